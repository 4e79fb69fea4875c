"""Password storage, CSRF, cookies, login rate limit, redirects after sign-in, error bodies."""

import re
from urllib.parse import urlencode

import pytest
from builders.clients import AGREED
from sqlalchemy import func, select

from matchmaker.enums import Role
from matchmaker.extensions import db
from matchmaker.models import User

PASSWORD = "correct-horse-battery"  # the make_user default
REGISTRATION = {
    "kind": "investor", "organization_name": "Han River Capital", "country": "US", "name": "Jo Park",
    "email": "jo@hanriver.example", "password": "a-long-enough-password",
    "confirm": "a-long-enough-password", "locale": "en", "timezone": "America/New_York", **AGREED,
}


# --- passwords ---------------------------------------------------------------------------------

def test_password_stored_as_salted_hash(make_user):
    first, second = make_user(), make_user()

    assert PASSWORD not in first.password_hash
    assert first.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert first.password_hash != second.password_hash  # salted: same password, different hashes
    assert first.check_password(PASSWORD) is True
    assert first.check_password(PASSWORD.upper()) is False
    assert first.check_password("") is False


def test_password_from_registration_never_reaches_the_database_in_clear(client):
    client.post("/register", data=REGISTRATION)

    stored = db.session.execute(db.text("SELECT password_hash FROM users")).scalar_one()
    assert REGISTRATION["password"] not in stored
    assert db.session.scalar(select(User)).check_password(REGISTRATION["password"])


# --- CSRF --------------------------------------------------------------------------------------

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, page: str) -> str:
    return CSRF_FIELD.search(client.get(page).get_data(as_text=True)).group(1)


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


# path -> (page that shows the form, form data, where a successful POST redirects)
CSRF_FORMS = {
    "/login": ("/login", {"email": "member@example.com", "password": PASSWORD}, "/dashboard"),
    "/register": ("/register", REGISTRATION, "/login"),
    "/language": ("/", {"lang": "ko", "next": "/events/"}, "/events/"),
    "/logout": ("/dashboard", {}, "/"),
}


def _prepare(client, make_user, path: str) -> None:
    make_user(email="member@example.com")
    if path == "/logout":  # signing out needs someone signed in
        token = csrf_token(client, "/login")
        client.post("/login", data={"email": "member@example.com", "password": PASSWORD, "csrf_token": token})


@pytest.mark.parametrize("path", list(CSRF_FORMS))
def test_csrf_post_without_token_is_refused(client, make_user, csrf_on, path):
    _prepare(client, make_user, path)
    users = db.session.scalar(select(func.count()).select_from(User))

    response = client.post(path, data=CSRF_FORMS[path][1])

    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "The request could not be understood" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == users


@pytest.mark.parametrize("path", list(CSRF_FORMS))
def test_csrf_post_with_wrong_token_is_refused(client, make_user, csrf_on, path):
    _prepare(client, make_user, path)
    csrf_token(client, CSRF_FORMS[path][0])  # the session has a CSRF secret…

    response = client.post(  # …but not this token; the JSON body tells which check failed
        path, data={**CSRF_FORMS[path][1], "csrf_token": "forged"}, headers={"Accept": "application/json"}
    )

    assert response.status_code == 400
    assert response.json == {"error": 400, "message": "The CSRF token is invalid."}


@pytest.mark.parametrize("path", list(CSRF_FORMS))
def test_csrf_post_with_token_from_form_page_works(client, make_user, csrf_on, path):
    _prepare(client, make_user, path)
    page, data, target = CSRF_FORMS[path]

    response = client.post(path, data={**data, "csrf_token": csrf_token(client, page)})

    assert (response.status_code, response.headers["Location"]) == (302, target)


def test_csrf_token_of_another_session_is_refused(app, client, csrf_on):
    token = csrf_token(app.test_client(), "/login")

    response = client.post(
        "/login", data={"email": "x@example.com", "password": "x", "csrf_token": token},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 400
    assert response.json == {"error": 400, "message": "The CSRF session token is missing."}


# --- cookies -----------------------------------------------------------------------------------

def _cookie(response, name: str) -> str:
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    return header


@pytest.mark.parametrize("name", ["session", "remember_token"])
def test_login_cookies_are_httponly_and_samesite_lax(client, make_user, name):
    user = make_user()

    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})

    cookie = _cookie(response, name)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_language_cookie_is_httponly_and_samesite_lax(client):
    response = client.post("/language", data={"lang": "ko", "next": "/"})

    cookie = _cookie(response, "lang")
    assert cookie.startswith("lang=ko;")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


# --- where to go after signing in --------------------------------------------------------------

NEXT_TARGETS = [
    ("/events/", "/events/"),
    ("/requests?status=requested", "/requests?status=requested"),
    ("", "/dashboard"),
    ("https://evil.example/", "/dashboard"),
    ("http:evil.example", "/dashboard"),
    ("//evil.example", "/dashboard"),
    ("///evil.example", "/dashboard"),
    ("/\\evil.example", "/dashboard"),
    ("\\\\evil.example", "/dashboard"),
    ("/\t/evil.example", "/dashboard"),  # browsers drop tabs and newlines: this would be //evil.example
    ("/\n/evil.example", "/dashboard"),
    ("javascript:alert(1)", "/dashboard"),
    ("events/", "/dashboard"),
]


@pytest.mark.parametrize("target, location", NEXT_TARGETS, ids=[repr(t) for t, _ in NEXT_TARGETS])
def test_login_next_only_accepts_local_paths(client, make_user, target, location):
    user = make_user(Role.COMPANY)

    response = client.post(
        "/login?" + urlencode({"next": target}), data={"email": user.email, "password": PASSWORD}
    )

    assert (response.status_code, response.headers["Location"]) == (302, location)


@pytest.mark.parametrize("target, location", NEXT_TARGETS, ids=[repr(t) for t, _ in NEXT_TARGETS])
def test_language_next_only_accepts_local_paths(client, target, location):
    response = client.post("/language", data={"lang": "en", "next": target})

    expected = "/" if location == "/dashboard" else location
    assert (response.status_code, response.headers["Location"]) == (302, expected)


# --- error bodies ------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_api_path_errors_are_json(client, method):
    response = client.open("/api/no-such-thing", method=method)

    # Problem details (RFC 9457), as every answer under /api/.
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404
    assert isinstance(response.json["title"], str) and isinstance(response.json["detail"], str)


def test_page_errors_are_html(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<html" in response.get_data(as_text=True)


def test_page_errors_are_json_when_client_asks_for_json(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})

    assert (response.status_code, response.mimetype) == (404, "application/json")
    assert response.json["error"] == 404


def test_forbidden_page_is_html_with_status(client, auth, make_user):
    auth.login(make_user(Role.COMPANY))

    response = client.get("/staff/")

    assert (response.status_code, response.mimetype) == (403, "text/html")


def test_staff_cannot_read_password_reset_links_in_the_outbox(client, auth, make_user):
    """Whoever holds a reset link owns the account: the outbox page hides such links from staff."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import OutboxMessage

    admin = make_user(Role.ADMIN)
    client.post("/reset", data={"email": admin.email})
    message = db.session.scalars(select(OutboxMessage)).one()
    assert "/reset/" in message.body_text
    auth.login(make_user(Role.STAFF))
    page = client.get(f"/staff/outbox/{message.id}").get_data(as_text=True)
    assert "/reset/" not in page
    assert "[private link hidden]" in page
