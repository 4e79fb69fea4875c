"""Throttling counts failed sign-ins (per account and per network address) and account mails (per e-mail address
and per network address), never successful sign-ins: a venue's Wi-Fi full of attendees signs in freely."""

import pytest
from builders import clients
from builders.clients import AGREED, PASSWORD
from sqlalchemy import func, select

from matchmaker.enums import Role
from matchmaker.extensions import db
from matchmaker.models import OutboxMessage, User

REGISTRATION = {
    "kind": "buyer", "organization_name": "Throttle Buyer", "country": "TH", "name": "Somchai",
    "email": "somchai@throttle.example", "password": "a-long-enough-password",
    "confirm": "a-long-enough-password", "locale": "en", "timezone": "Asia/Bangkok", **AGREED,
}


def sign_in(app, email: str, password: str = PASSWORD, address: str = "127.0.0.1"):
    """A fresh browser at `address` posts the sign-in form."""
    return clients.sign_in(app.test_client(), email, password, address=address)


@pytest.fixture(autouse=True)
def _isolated_browsers(client):
    """The `client` fixture makes every test client run each request in a fresh context, as a real one does."""


def test_two_hundred_attendees_behind_one_address_all_sign_in(app, make_user, make_org):
    """The reproduction: the 11th attendee signing in from the venue's Wi-Fi used to get 429."""
    users = [make_user(Role.PARTNER, organization=make_org()) for _ in range(200)]

    answers = [sign_in(app, user.email) for user in users]

    assert [(a.status_code, a.headers.get("Location")) for a in answers] == [(302, "/dashboard")] * 200


def test_eleven_failures_pause_the_account_not_the_venue(app, make_user):
    target, neighbour = make_user(), make_user()

    failures = [sign_in(app, target.email, "wrong-password") for _ in range(10)]
    eleventh = sign_in(app, target.email, "wrong-password")
    right_password = sign_in(app, target.email.upper())  # the same account, however it is typed

    assert [f.status_code for f in failures] == [200] * 10
    assert all("The e-mail address or the password is wrong." in f.get_data(as_text=True) for f in failures)
    assert (eleventh.status_code, right_password.status_code) == (429, 429)
    page = eleventh.get_data(as_text=True)
    assert "Too many failed sign-ins to this account: it is paused for up to 15 minutes." in page
    assert 'href="/reset"' in page
    assert sign_in(app, neighbour.email).headers["Location"] == "/dashboard"


def test_the_paused_account_is_paused_from_every_address(app, make_user):
    user = make_user()
    for n in range(10):
        sign_in(app, user.email, "wrong-password", address=f"10.0.0.{n + 1}")

    assert sign_in(app, user.email, address="10.9.9.9").status_code == 429


def test_successes_do_not_count_against_the_account(app, make_user):
    user = make_user()

    answers = [sign_in(app, user.email) for _ in range(15)]

    assert {a.status_code for a in answers} == {302}


def test_failures_from_one_network_address_are_limited_too(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNIN_FAILURES_PER_NETWORK", "5 per 15 minutes")
    users = [make_user() for _ in range(7)]

    failures = [sign_in(app, user.email, "wrong-password", address="192.0.2.7") for user in users[:5]]
    sixth = sign_in(app, users[5].email, address="192.0.2.7")
    elsewhere = sign_in(app, users[6].email, address="198.51.100.1")

    assert [f.status_code for f in failures] == [200] * 5
    assert sixth.status_code == 429
    assert "Too many failed sign-ins from your network" in sixth.get_data(as_text=True)
    assert elsewhere.headers["Location"] == "/dashboard"


def test_hammering_a_paused_account_does_not_use_up_the_network(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNIN_FAILURES_PER_NETWORK", "15 per 15 minutes")
    target, other = make_user(), make_user()

    statuses = [sign_in(app, target.email, "wrong-password").status_code for _ in range(30)]

    assert statuses == [200] * 10 + [429] * 20
    assert sign_in(app, other.email).headers["Location"] == "/dashboard"


def test_wrong_current_passwords_pause_the_password_change(app, make_user):
    user = make_user()
    browser = app.test_client()
    clients.sign_in(browser, user)
    wrong = {"current": "not-my-password", "password": "a-brand-new-passphrase", "confirm": "a-brand-new-passphrase"}

    statuses = [browser.post("/account/password", data=wrong).status_code for _ in range(11)]

    assert statuses == [200] * 10 + [429]


# --- account mails -----------------------------------------------------------------------------

def mails() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


@pytest.mark.parametrize("known", [True, False], ids=["known", "unknown"])
def test_reset_requests_per_address_are_limited_alike_for_known_and_unknown(app, client, make_user, known):
    address = make_user().email if known else "nobody@throttle.example"

    statuses = [client.post("/reset", data={"email": address}).status_code for _ in range(6)]

    assert statuses == [302] * 5 + [429]
    assert "Too many e-mails were asked for this address" in client.post(
        "/reset", data={"email": address}).get_data(as_text=True)
    assert client.post("/reset", data={"email": "another@throttle.example"}).status_code == 302


@pytest.mark.parametrize("known", [True, False], ids=["known", "unknown"])
def test_registrations_per_address_are_limited_alike_for_known_and_unknown(app, client, make_user, known):
    if known:
        make_user(email=REGISTRATION["email"])

    statuses = [client.post("/register", data=REGISTRATION).status_code for _ in range(6)]

    assert statuses == [302] * 5 + [429]
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert mails() == 5


def test_registration_forms_with_mistakes_do_not_count(client):
    mistakes = [client.post("/register", data={**REGISTRATION, "confirm": "other"}).status_code for _ in range(8)]

    assert mistakes == [200] * 8
    assert client.post("/register", data=REGISTRATION).headers["Location"] == "/login"


def test_register_and_reset_share_the_address_allowance(client):
    answers = [client.post("/register", data=REGISTRATION).status_code for _ in range(3)]
    answers += [client.post("/reset", data={"email": REGISTRATION["email"]}).status_code for _ in range(3)]

    assert answers == [302] * 5 + [429]


def test_resend_confirmation_is_limited(app, client, make_user):
    user = make_user(verified=False)
    clients.sign_in(client, user)

    statuses = [client.post("/verify/resend").status_code for _ in range(6)]

    assert statuses == [302] * 5 + [429]
    assert mails() == 5


def test_account_mails_from_one_network_address_are_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ACCOUNT_MAILS_PER_NETWORK", "3 per 15 minutes")

    statuses = [client.post("/reset", data={"email": f"n{n}@throttle.example"}).status_code for n in range(4)]
    elsewhere = client.post("/reset", data={"email": "x@throttle.example"}, environ_base={"REMOTE_ADDR": "10.1.1.1"})

    assert statuses == [302] * 3 + [429]
    assert elsewhere.status_code == 302
