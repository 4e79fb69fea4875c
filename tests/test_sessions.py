"""Sessions end when they should: a password reset or change, signing out and deactivation end every session and
remember-me cookie of the account, copies included (the session version in each session's identity).

Each test signs in with one test client and copies its cookies into others, as a thief with a copied cookie would.
"""

import pytest

from matchmaker.enums import Role
from matchmaker.extensions import db
from matchmaker.services.tokens import make_reset_token

PASSWORD = "correct-horse-battery"  # the make_user default
NEW_PASSWORD = "a-brand-new-passphrase"
SIGNED_OUT = "/login?next=%2Fdashboard"


@pytest.fixture(autouse=True)
def _isolated_browsers(client):
    """The `client` fixture makes every test client run each request in a fresh context, as a real one does."""


def signed_in_client(app, user, remember: bool = True):
    client = app.test_client()
    form = {"email": user.email, "password": PASSWORD}
    if remember:
        form["remember"] = "y"
    assert client.post("/login", data=form).headers["Location"] == "/dashboard"
    return client


def copy_of(app, source, *names: str):
    """A second browser holding copies of `source`'s cookies `names` (session, remember_token)."""
    thief = app.test_client()
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, f"no {name} cookie to copy"
        thief.set_cookie(name, cookie.value)
    return thief


def opens_dashboard(client) -> bool:
    response = client.get("/dashboard")
    if response.status_code == 200:
        return True
    assert response.headers["Location"] == SIGNED_OUT
    return False


@pytest.fixture
def victim(app, make_user):
    """A member signed in with "keep me signed in", a copy of the session cookie and a copy of the remember-me
    cookie alone, all three opening the dashboard."""
    user = make_user(Role.COMPANY)
    browser = signed_in_client(app, user)
    session_copy = copy_of(app, browser, "session")
    remember_copy = copy_of(app, browser, "remember_token")
    assert [opens_dashboard(c) for c in (browser, session_copy, remember_copy)] == [True, True, True]
    return user, browser, session_copy, remember_copy


def test_password_reset_ends_every_session_and_remember_cookie(app, victim):
    user, browser, session_copy, remember_copy = victim
    path = f"/reset/{make_reset_token(user)}"

    response = app.test_client().post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.headers["Location"] == "/login"
    assert [opens_dashboard(c) for c in (browser, session_copy, remember_copy)] == [False, False, False]
    assert app.test_client().post("/login", data={"email": user.email, "password": NEW_PASSWORD}) \
        .headers["Location"] == "/dashboard"


def test_password_reset_in_a_signed_in_browser_signs_it_out_too(app, victim):
    user, browser, _, _ = victim

    response = browser.post(f"/reset/{make_reset_token(user)}", data={"password": NEW_PASSWORD,
                                                                      "confirm": NEW_PASSWORD})

    assert response.headers["Location"] == "/login"
    assert opens_dashboard(browser) is False


def test_password_change_ends_other_sessions_and_keeps_this_one(app, victim):
    user, browser, session_copy, remember_copy = victim

    response = browser.post("/account/password", data={
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.headers["Location"] == "/settings"
    assert "You are signed out on every other device." in browser.get("/settings").get_data(as_text=True)
    assert [opens_dashboard(c) for c in (browser, session_copy, remember_copy)] == [True, False, False]
    # This browser's remember-me cookie was issued again under the new version and still works on its own.
    assert opens_dashboard(copy_of(app, browser, "remember_token")) is True
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)


def test_password_change_with_a_wrong_current_password_changes_nothing(app, victim):
    user, browser, session_copy, remember_copy = victim

    response = browser.post("/account/password", data={
        "current": "not-my-password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 200
    assert "This is not your current password." in response.get_data(as_text=True)
    assert [opens_dashboard(c) for c in (browser, session_copy, remember_copy)] == [True, True, True]
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_password_change_page_is_linked_from_settings(app, victim):
    _, browser, _, _ = victim

    assert 'href="/account/password"' in browser.get("/settings").get_data(as_text=True)
    assert browser.get("/account/password").status_code == 200


def test_sign_out_ends_copied_session_and_remember_cookies(app, victim):
    _, browser, session_copy, remember_copy = victim

    response = browser.post("/logout")

    assert response.headers["Location"] == "/"
    assert [opens_dashboard(c) for c in (browser, session_copy, remember_copy)] == [False, False, False]


def test_sign_out_says_it_ends_every_device(app, victim):
    _, browser, _, _ = victim

    browser.post("/logout")

    assert "You are signed out, on this device and on every other one." in browser.get("/").get_data(as_text=True)


def test_deactivation_ends_sessions_for_good(app, victim, make_user):
    user, browser, session_copy, remember_copy = victim
    admin = signed_in_client(app, make_user(Role.ADMIN), remember=False)

    admin.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert [opens_dashboard(c) for c in (browser, session_copy, remember_copy)] == [False, False, False]
    admin.post(f"/admin/users/{user.id}/active", data={"active": "1"})

    db.session.refresh(user)
    assert user.active is True
    assert [opens_dashboard(c) for c in (browser, session_copy, remember_copy)] == [False, False, False]
    assert opens_dashboard(signed_in_client(app, user)) is True  # signing in again works


def test_a_session_of_another_user_is_not_touched(app, victim, make_user):
    _, browser, _, _ = victim
    other = signed_in_client(app, make_user(Role.COMPANY))

    browser.post("/logout")

    assert opens_dashboard(other) is True


def test_session_identity_names_the_version(app, make_user):
    """Flask-Login keeps get_id() in the session and the remember-me cookie; an identity without the version (a
    session from before versions) is not accepted."""
    user = make_user()
    assert user.get_id() == f"{user.id}:0"
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    assert opens_dashboard(client) is False
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:0"
    assert opens_dashboard(client) is True
