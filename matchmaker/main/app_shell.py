"""What makes the site an installable app on a phone: the web app manifest, the service worker and the favicon, each
served from the site's root (on blueprint `main`, from routes.py).

The service worker (static/js/sw.js) must be served from the root, not from /static/js/, or its scope would stop at
/static/js/ and it could not keep the agenda. It is a static file: what it may cache is decided there (the member's
agenda and the static files, never another page, never a POST). These views read no database and change nothing.
"""

import json
from pathlib import Path

from flask import current_app, request, url_for
from flask_babel import gettext as _

from matchmaker.i18n import viewer_locale
from matchmaker.main.routes import bp

THEME_COLOUR = "#0d2a4a"  # the header's navy (static/css/matchmaker.css), also in templates/base.html
ICONS = (
    ("icons/icon-192.png", "192x192", "image/png", "any"),
    ("icons/icon-512.png", "512x512", "image/png", "any"),
    ("icons/icon-maskable-512.png", "512x512", "image/png", "maskable"),
    ("icons/icon.svg", "any", "image/svg+xml", "any"),
)


def _static_file(filename: str, mimetype: str, cache_control: str):
    """A small file of static/ read whole (no file left open if the client goes away), with an ETag for a 304."""
    data = (Path(current_app.static_folder) / filename).read_bytes()
    response = current_app.response_class(data, mimetype=mimetype)
    response.headers["Cache-Control"] = cache_control
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/manifest.webmanifest")
def manifest():
    data = {
        "id": "/",
        "name": _("Matchmaker"),
        "short_name": _("Matchmaker"),
        "description": _("Your meetings on the matchmaking days, also readable offline."),
        "lang": viewer_locale(),
        # The installed app opens on the member's agenda (a sign-in first when needed), the page kept offline.
        "start_url": url_for("meetings.agenda"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": url_for("static", filename=path), "sizes": sizes, "type": kind, "purpose": purpose}
            for path, sizes, kind, purpose in ICONS
        ],
    }
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/manifest+json"
    )
    # Names follow the reader's language: a browser asks again rather than keep another language's copy.
    response.headers["Cache-Control"] = "no-cache"
    response.vary.update(("Accept-Language", "Cookie"))
    return response


@bp.get("/sw.js")
def service_worker():
    # no-cache: the browser checks for a new worker on every visit instead of running a stale one for a day.
    return _static_file("js/sw.js", "application/javascript", "no-cache")


@bp.get("/favicon.ico")
def favicon():
    return _static_file("icons/favicon.ico", "image/x-icon", "public, max-age=86400")
