"""The installable app: its manifest, service worker and favicon are served from the root with the right types and
caching, every page links them, the Content-Security-Policy lets them load, and the icons are real images."""

import json
import re
import struct

import pytest
from flask import url_for

from matchmaker import ROOT
from matchmaker.enums import Role

STATIC = ROOT / "static"


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_manifest_opens_the_agenda_standalone_with_icons(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    assert response.headers["Cache-Control"] == "no-cache"
    data = json.loads(response.get_data(as_text=True))
    assert (data["start_url"], data["scope"], data["display"]) == ("/agenda", "/", "standalone")
    assert data["name"] == data["short_name"] == "Matchmaker"
    assert data["theme_color"] == "#0d2a4a"
    assert data["lang"] == "en"
    purposes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def test_manifest_icons_exist_at_their_sizes(client):
    icons = json.loads(client.get("/manifest.webmanifest").get_data(as_text=True))["icons"]

    for icon in icons:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response.mimetype == icon["type"]
        if icon["type"] == "image/png":
            width, height = _png_size(response.get_data())
            assert f"{width}x{height}" == icon["sizes"]
        response.close()


def test_manifest_names_follow_the_readers_language(client):
    client.set_cookie("lang", "ko")

    data = json.loads(client.get("/manifest.webmanifest").get_data(as_text=True))

    assert data["lang"] == "ko"
    assert "Cookie" in client.get("/manifest.webmanifest").headers["Vary"]


def test_favicon_is_an_ico_file_holding_png_images(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response.mimetype == "image/x-icon"
    assert "max-age=86400" in response.headers["Cache-Control"]
    data = response.get_data()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, 2)
    sizes = []
    for n in range(count):
        width, _height, _colours, _zero, _planes, _bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * n: 22 + 16 * n]
        )
        assert _png_size(data[offset: offset + length]) == (width, width)
        sizes.append(width)
    assert sizes == [16, 32]
    response.close()


def test_service_worker_is_served_from_the_root_as_javascript_never_cached(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.get_data() == (STATIC / "js" / "sw.js").read_bytes()
    response.close()


def test_service_worker_keeps_only_the_agenda_and_static_files(app):
    """The worker is a static file: its paths must be the app's, and it handles GET requests only."""
    source = (STATIC / "js" / "sw.js").read_text(encoding="utf-8")
    with app.test_request_context():
        agenda, static = url_for("meetings.agenda"), app.static_url_path + "/"
    assert f'const AGENDA_PATH = "{agenda}";' in source
    assert f'const STATIC_PREFIX = "{static}";' in source
    assert 'if (request.method !== "GET") return;' in source
    # The offline note the worker reveals on a kept copy is the one the agenda renders hidden.
    marker = re.search(r'const OFFLINE_NOTE_HIDDEN = "([^"]+)";', source).group(1)
    assert marker in (ROOT / "templates" / "meetings" / "agenda.html").read_text(encoding="utf-8")


def test_csp_lets_the_worker_and_the_manifest_load_from_the_site_only(client):
    csp = _csp(client.get("/login"))

    assert csp["worker-src"] == "'self'"
    assert csp["manifest-src"] == "'self'"


@pytest.mark.parametrize(("signed_in", "flag"), [(False, "0"), (True, "1")])
def test_pages_link_the_manifest_icons_and_the_worker(client, auth, make_user, signed_in, flag):
    if signed_in:
        auth.login(make_user(Role.COMPANY))

    html = client.get("/").get_data(as_text=True)

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert 'data-worker="/sw.js"' in html
    assert f'data-signed-in="{flag}"' in html


def test_the_agenda_renders_its_offline_note_hidden(client, auth, make_user):
    auth.login(make_user(Role.COMPANY))

    html = client.get("/agenda").get_data(as_text=True)

    assert re.search(r"<p [^>]*data-offline-note hidden>You are offline", html)


def test_service_worker_check_answers_304_when_unchanged(client):
    etag = client.get("/sw.js").headers["ETag"]

    response = client.get("/sw.js", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.get_data() == b""
