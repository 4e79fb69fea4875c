"""Security headers on every kind of answer (a page, /healthz, error pages), HSTS only over HTTPS with secure
cookies and never a redirect to HTTPS from the app itself, and templates the Content-Security-Policy can serve:
no inline script, no event-handler attribute, no inline style."""

import re

import pytest

from matchmaker import ROOT, config, create_app
from matchmaker.extensions import db

TEMPLATES = ROOT / "templates"
# E-mails are read in mail clients, not under our CSP, and most clients only honour inline styles.
NOT_SERVED = {"email"}


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


def assert_security_headers(response):
    csp = _csp(response)
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(("path", "status"), [
    ("/login", 200),
    ("/healthz", 200),
    ("/no-such-page", 404),
    ("/staff/events/99999999999999999999", 404),
])
def test_answers_carry_the_security_headers(client, path, status):
    response = client.get(path)

    assert response.status_code == status
    assert_security_headers(response)
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP, cookies not secure


def test_error_pages_of_refused_posts_carry_the_headers(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    response = client.post("/login", data={"email": "a@example.com", "password": "x"})  # no CSRF token

    assert response.status_code == 400
    assert_security_headers(response)


def _app(tmp_path, app, **overrides):
    settings = config.TestConfig(tmp_path / "instance", database_url=app.config["SQLALCHEMY_DATABASE_URI"])
    for key, value in overrides.items():
        setattr(settings, key, value)
    return create_app(settings)


def test_server_errors_carry_the_headers(tmp_path, app):
    other = _app(tmp_path, app, PROPAGATE_EXCEPTIONS=False)

    @other.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = other.test_client().get("/boom")

    assert response.status_code == 500
    assert_security_headers(response)
    with other.app_context():
        db.engine.dispose()


def test_hsts_only_with_secure_cookies_and_never_a_redirect(tmp_path, app):
    secure = _app(tmp_path, app, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)

    over_http = secure.test_client().get("/login")
    over_https = secure.test_client().get("/login", base_url="https://localhost")
    behind_proxy = secure.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})

    assert over_http.status_code == 200  # TLS and its redirect belong to the proxy; a health check over HTTP works
    assert "Strict-Transport-Security" not in over_http.headers
    assert over_https.headers["Strict-Transport-Security"] == "max-age=31556926"
    assert behind_proxy.headers["Strict-Transport-Security"] == "max-age=31556926"
    assert_security_headers(over_https)
    with secure.app_context():
        db.engine.dispose()


def test_plain_http_deployments_get_no_hsts_even_over_https(client):
    response = client.get("/login", base_url="https://localhost")

    assert "Strict-Transport-Security" not in response.headers


def test_talisman_leaves_the_cookie_settings_as_configured(app, client):
    client.get("/login")

    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


# --- templates the policy can serve ------------------------------------------------------------------

def _served_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).parts[0] not in NOT_SERVED:
            yield path


# A data block (type="application/json", read by a script with JSON.parse) is never executed, so the CSP
# does not apply to it; every other <script> without src is inline code.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']application/json[\"'])[^>]*>",
                           re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
INLINE_STYLE = re.compile(r"<style\b|<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
SCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_the_scan_finds_what_the_policy_would_block():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert INLINE_SCRIPT.search('<script type="module">x()</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/a.js" defer></script>')
    assert EVENT_HANDLER.search('<button class="x" onclick="go()">')
    assert EVENT_HANDLER.search('<body\n  onload="go()">')
    assert not EVENT_HANDLER.search('<p>Lunch on=Friday</p>')
    assert INLINE_STYLE.search('<p style="color:red">') and INLINE_STYLE.search("<style>p{}</style>")
    assert SCRIPT_URL.search('<a href="javascript:go()">')


@pytest.mark.parametrize("path", list(_served_templates()), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_handler_or_style(path):
    text = path.read_text(encoding="utf-8")

    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to static/js/"
    assert not EVENT_HANDLER.search(text), "an on…= attribute: add the listener in static/js/"
    assert not INLINE_STYLE.search(text), "an inline style: add a class to static/css/matchmaker.css"
    assert not SCRIPT_URL.search(text)
