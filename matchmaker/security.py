"""What browsers are told to refuse: the security headers (Flask-Talisman) and links to anything but a web page.

The Content-Security-Policy lets a page run only our own scripts and styles (files under static/: no template
has an inline script, an `on…=` attribute or a `style` attribute, and tests/test_headers.py keeps it so), and
no site may frame it. HSTS is sent only when the session cookie is marked secure, i.e. the site is served over
HTTPS. Talisman never redirects to HTTPS itself: the reverse proxy that terminates TLS does that, and a health
check or the embedded server speaking plain HTTP to gunicorn must not be sent elsewhere.
"""

from flask import Flask
from markupsafe import Markup, escape

from matchmaker.domain.links import web_url

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",  # the QR codes and charts are inline SVG elements, not images
    "manifest-src": "'self'",  # the installable app's /manifest.webmanifest
    "worker-src": "'self'",  # the service worker /sw.js that keeps the agenda offline
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
REFERRER_POLICY = "strict-origin-when-cross-origin"  # other sites see our origin at most, never a page's path


def init_app(app: Flask) -> None:
    from flask_talisman import Talisman

    secure = bool(app.config.get("SESSION_COOKIE_SECURE"))
    Talisman(
        app,
        force_https=False,
        strict_transport_security=secure,
        strict_transport_security_include_subdomains=False,  # other hosts of the agency's domain are not ours
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy=REFERRER_POLICY,
        # Talisman would otherwise rewrite the cookie settings of config.py: they stay as configured.
        session_cookie_secure=secure,
        session_cookie_http_only=bool(app.config.get("SESSION_COOKIE_HTTPONLY", True)),
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
    )
    app.add_template_filter(web_url, "web_url")
    app.add_template_global(external_link, "external_link")


def external_link(value) -> Markup:
    """A stored address as a link when it is an http(s) one, else as plain text (rows saved before the rule)."""
    if not value:
        return Markup("")
    url = web_url(value)
    if url is None:
        return escape(value)
    return Markup('<a href="{0}" rel="noopener noreferrer">{1}</a>').format(url, value)
