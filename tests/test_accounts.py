"""Accounts: registration, e-mail verification, password reset, inactive accounts, the admin CLI."""

import email
import re
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from builders.clients import AGREED
from sqlalchemy import func, select

from matchmaker.enums import OrgKind, Role
from matchmaker.extensions import db
from matchmaker.models import Organization, OutboxMessage, User
from matchmaker.services.tokens import make_invite_token, make_reset_token, make_verify_token

PASSWORD = "correct-horse-battery"  # the make_user default
NEW_PASSWORD = "a-brand-new-passphrase"

REGISTRATION = {
    "kind": "company",
    "organization_name": "주식회사 딥비전랩",
    "organization_name_latin": "DeepVision Lab",
    "country": "kr",
    "name": "Kim Minji",
    "email": "Minji.Kim@DeepVision.example",
    "password": "a-long-enough-password",
    "confirm": "a-long-enough-password",
    "locale": "en",
    "timezone": "Asia/Seoul", **AGREED,
}


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Organization, OutboxMessage)
    }


def sent_mails(app) -> list[EmailMessage]:
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def link_path(mail: EmailMessage) -> str:
    """The path of the one link in the mail's plain-text part (besides the privacy notice's, in every mail)."""
    (link,) = [found for found in re.findall(r"https?://\S+", mail.get_body(("plain",)).get_content())
               if urlsplit(found).path != "/privacy"]
    return urlsplit(link).path


# --- registration ------------------------------------------------------------------------------

def test_register_creates_organization_and_user_with_lowercased_email(app, client):
    response = client.post("/register", data=REGISTRATION)

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"  # not signed in: the address is confirmed first
    assert client.get("/dashboard").headers["Location"] == "/login?next=%2Fdashboard"
    user = db.session.scalar(select(User))
    assert counts() == {"User": 1, "Organization": 1, "OutboxMessage": 1}
    assert (user.email, user.name, user.role, user.verified) == (
        "minji.kim@deepvision.example", "Kim Minji", Role.COMPANY, False
    )
    org = user.organization
    assert (org.kind, org.name, org.name_latin, org.country, org.timezone) == (
        OrgKind.COMPANY, "주식회사 딥비전랩", "DeepVision Lab", "KR", "Asia/Seoul"
    )


def test_register_queues_exactly_one_verification_mail_with_the_link(app, client):
    client.post("/register", data=REGISTRATION)

    (mail,) = sent_mails(app)
    assert mail["To"] == "minji.kim@deepvision.example"
    assert link_path(mail).startswith("/verify/")


@pytest.mark.parametrize("kind, role", [("investor", Role.PARTNER), ("buyer", Role.PARTNER)])
def test_register_partner_kinds_get_partner_role(client, kind, role):
    client.post("/register", data={**REGISTRATION, "kind": kind})

    user = db.session.scalar(select(User))
    assert (user.role, user.organization.kind) == (role, OrgKind(kind))


def _register_answer(client, data: dict) -> tuple[int, str, bytes]:
    response = client.post("/register", data=data)
    page = client.get(response.headers["Location"]).data if response.status_code == 302 else response.data
    # The CSRF token carries the second it was signed: pages a second apart differ there and only there.
    page = re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token" value=""', page)
    return response.status_code, response.headers.get("Location"), page


def test_register_with_a_known_address_answers_as_for_a_new_one_and_mails_the_owner(app, client, make_user):
    """Registering must not tell who has an account: the owner hears of the attempt by e-mail instead."""
    owner = make_user(email="minji.kim@deepvision.example", name="Minji Owner")
    new_address = {**REGISTRATION, "email": "Someone.New@DeepVision.example"}
    fresh = _register_answer(client, new_address)
    before = counts()

    known = _register_answer(client, REGISTRATION)  # the owner's address in other case

    assert known == (fresh[0], fresh[1], fresh[2].replace(b"someone.new@", b"minji.kim@"))
    assert known[:2] == (302, "/login")
    assert b"Check your e-mail" in known[2]
    assert b"already exists" not in known[2]
    assert counts() == {**before, "OutboxMessage": before["OutboxMessage"] + 1}  # one mail, no account
    notice = sent_mails(app)[-1]
    assert notice["To"] == owner.email
    assert notice["Subject"] == "Someone tried to register with your e-mail address"
    text = notice.get_body(("plain",)).get_content()
    assert "http://localhost/login" in text and "http://localhost/reset" in text
    db.session.refresh(owner)
    assert owner.check_password(PASSWORD) and owner.name == "Minji Owner"  # the account is unchanged


def test_register_with_an_inactive_address_answers_the_same_and_mails_nobody(app, client, make_user):
    make_user(email="minji.kim@deepvision.example", active=False)

    response = client.post("/register", data=REGISTRATION)

    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert sent_mails(app) == []
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"password": "short", "confirm": "short"}, "The password must have at least 10 characters."),
        ({"confirm": "another-long-password"}, "The passwords do not match."),
        ({"timezone": "Mars/Olympus_Mons"}, "Choose a time zone from the list."),
        ({"timezone": ""}, "Choose a time zone from the list."),
        ({"country": "KOR"}, "Use a two-letter country code."),
        ({"country": "K1"}, "Use a two-letter country code."),
        ({"locale": "xx"}, "Choose a language from the list."),
        ({"email": "not-an-address"}, "Invalid email address."),
        ({"organization_name": ""}, "This field is required."),
        ({"kind": "government"}, "Not a valid choice."),
    ],
    ids=["short-password", "mismatched-confirm", "unknown-zone", "no-zone", "long-country",
         "digit-country", "unknown-language", "bad-email", "no-organization", "unknown-kind"],
)
def test_register_bad_input_rerenders_and_saves_nothing(app, client, changes, message):
    response = client.post("/register", data={**REGISTRATION, **changes})

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert "Please correct the marked fields." in page
    assert f'value="{REGISTRATION["name"]}"' in page
    assert REGISTRATION["password"] not in page  # passwords are never sent back
    assert counts() == {"User": 0, "Organization": 0, "OutboxMessage": 0}
    assert sent_mails(app) == []


# --- e-mail verification -----------------------------------------------------------------------

def test_verification_link_from_mail_marks_user_verified(app, client):
    client.post("/register", data=REGISTRATION)
    (mail,) = sent_mails(app)

    response = client.get(link_path(mail))

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"  # registering does not sign in: the owner does, next
    assert db.session.scalar(select(User.verified)) is True
    signed_in = client.post("/login", data={"email": REGISTRATION["email"], "password": REGISTRATION["password"]})
    assert signed_in.headers["Location"] == "/dashboard"


def _tampered(token: str) -> str:
    payload, timestamp, signature = token.split(".")
    first = "B" if signature[0] != "B" else "C"  # the first character carries six whole bits
    return f"{payload}.{timestamp}.{first}{signature[1:]}"


@pytest.mark.parametrize("case", ["tampered", "expired", "reset-token", "changed-email", "garbage"])
def test_verification_link_refused_when_invalid(app, client, make_user, monkeypatch, case):
    user = make_user(verified=False)
    token = make_reset_token(user) if case == "reset-token" else make_verify_token(user)
    if case == "tampered":
        token = _tampered(token)
    elif case == "expired":
        monkeypatch.setitem(app.config, "EMAIL_TOKEN_MAX_AGE", -1)
    elif case == "changed-email":
        user.email = "someone.else@example.com"
        db.session.commit()
    elif case == "garbage":
        token = "not-a-token"

    response = client.get(f"/verify/{token}")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert "This confirmation link is invalid or has expired." in client.get("/login").get_data(as_text=True)
    db.session.refresh(user)
    assert user.verified is False


def test_resend_verification_queues_a_new_link(app, client, auth, make_user):
    user = make_user(verified=False)
    auth.login(user)

    response = client.post("/verify/resend")

    assert response.headers["Location"] == "/dashboard"
    (mail,) = sent_mails(app)
    assert client.get(link_path(mail)).status_code == 302
    db.session.refresh(user)
    assert user.verified is True


# --- password reset ----------------------------------------------------------------------------

def test_password_reset_flow_sets_new_password_once(app, client, auth, make_user):
    user = make_user(email="reset.me@example.com", verified=False)

    response = client.post("/reset", data={"email": "Reset.Me@Example.com"})
    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    (mail,) = sent_mails(app)
    assert mail["To"] == "reset.me@example.com"
    path = link_path(mail)
    assert path.startswith("/reset/")

    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/login")

    assert auth.login(user.email, NEW_PASSWORD).headers["Location"] == "/dashboard"
    auth.logout()
    old = auth.login(user.email, PASSWORD)
    assert old.status_code == 200
    assert "The e-mail address or the password is wrong." in old.get_data(as_text=True)

    again = client.get(path)
    assert (again.status_code, again.headers["Location"]) == (302, "/reset")
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD) and user.verified is True


def test_password_reset_with_mismatched_passwords_changes_nothing(client, make_user):
    user = make_user()
    path = f"/reset/{make_reset_token(user)}"

    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})

    assert response.status_code == 200
    assert "The passwords do not match." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_password_reset_link_refused_when_expired(app, client, make_user, monkeypatch):
    user = make_user()
    monkeypatch.setitem(app.config, "RESET_TOKEN_MAX_AGE", -1)

    response = client.post(f"/reset/{make_reset_token(user)}",
                           data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert (response.status_code, response.headers["Location"]) == (302, "/reset")
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(("invite_age", "works"), [(3 * 24 * 3600, True), (-1, False)])
def test_invitation_link_outlives_a_reset_link_and_works_once(app, client, make_user, monkeypatch,
                                                              invite_age, works):
    """Imported accounts get a first-password link valid for days; reset links stay short."""
    user = make_user(verified=False)
    monkeypatch.setitem(app.config, "RESET_TOKEN_MAX_AGE", -1)  # a reset link this old is refused
    monkeypatch.setitem(app.config, "INVITE_TOKEN_MAX_AGE", invite_age)
    link = f"/reset/{make_invite_token(user)}"
    form = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}

    first = client.post(link, data=form)

    db.session.refresh(user)
    assert (first.headers["Location"], user.check_password(NEW_PASSWORD), user.verified) == (
        ("/login", True, True) if works else ("/reset", False, False)
    )
    assert client.post(link, data=form).headers["Location"] == "/reset"  # used, or expired


def _reset_answer(client, address: str) -> tuple[int, str, bytes]:
    response = client.post("/reset", data={"email": address})
    page = client.get("/login").data
    # The CSRF token carries the second it was signed: pages a second apart differ there and only there.
    page = re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token" value=""', page)
    return response.status_code, response.headers.get("Location"), page


def test_password_reset_answers_the_same_for_unknown_address(app, client, make_user):
    make_user(email="known@example.com")
    make_user(email="inactive@example.com", active=False)

    known = _reset_answer(client, "known@example.com")
    unknown = _reset_answer(client, "nobody@example.com")
    inactive = _reset_answer(client, "inactive@example.com")

    assert known == unknown == inactive
    assert known[:2] == (302, "/login")
    assert [mail["To"] for mail in sent_mails(app)] == ["known@example.com"]


# --- inactive accounts -------------------------------------------------------------------------

def test_login_refused_for_inactive_user(client, auth, make_user):
    user = make_user(active=False)

    response = auth.login(user)

    assert response.status_code == 200
    assert "This account has been deactivated." in response.get_data(as_text=True)
    assert client.get("/dashboard").headers["Location"] == "/login?next=%2Fdashboard"


def test_deactivated_user_is_signed_out_on_next_request(app, client, auth, make_user):
    user = make_user()
    auth.login(user)
    user.active = False
    db.session.commit()

    # A fresh app context, as each real request has: Flask-Login caches the user in `g`.
    with app.app_context():
        response = client.get("/dashboard")

    assert response.headers["Location"] == "/login?next=%2Fdashboard"


# --- the admin CLI -----------------------------------------------------------------------------

def create_admin(runner, address: str, password: str = "an-admin-password"):
    return runner.invoke(
        args=["users", "create-admin", "--email", address, "--password", password, "--name", "Ada Admin"]
    )


def test_cli_create_admin_creates_verified_admin(runner):
    result = create_admin(runner, "Ada@Example.com")

    assert result.exit_code == 0, result.output
    assert "Created admin ada@example.com" in result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.name, user.role, user.verified, user.organization_id) == (
        "ada@example.com", "Ada Admin", Role.ADMIN, True, None
    )
    assert user.check_password("an-admin-password")


@pytest.mark.parametrize(
    "address, password, message",
    [
        ("ADA@example.com", "an-admin-password", "An account with this e-mail address already exists."),
        ("new@example.com", "short", "The password must have at least 10 characters."),
    ],
    ids=["duplicate-email", "short-password"],
)
def test_cli_create_admin_refuses_bad_input(runner, make_user, address, password, message):
    make_user(Role.ADMIN, email="ada@example.com")

    result = create_admin(runner, address, password)

    assert result.exit_code == 1
    assert message in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


# --- the same registration twice at once ---------------------------------------------------------

def test_the_same_registration_posted_twice_at_once_makes_one_account_and_no_error(app, client, monkeypatch):
    """A double click: both requests find the address free, then both insert. The database's unique address
    refuses the second; it answers like the first (never a 500), and one account and one mail remain."""
    import threading

    from matchmaker.services import accounts

    both_looked = threading.Barrier(2, timeout=20)
    real_lookup = accounts.find_user_by_email

    def lookup_then_wait(address):
        found = real_lookup(address)
        both_looked.wait()  # neither goes on until both have seen the address free
        return found

    monkeypatch.setattr(accounts, "find_user_by_email", lookup_then_wait)
    answers, errors = [], []

    def post():
        try:
            response = app.test_client().post("/register", data=REGISTRATION)
            answers.append((response.status_code, response.headers.get("Location")))
        except Exception as error:  # noqa: BLE001 - a 500 in testing mode arrives as the exception
            errors.append(error)

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert answers == [(302, "/login"), (302, "/login")]
    db.session.expire_all()
    assert counts() == {"User": 1, "Organization": 1, "OutboxMessage": 1}
