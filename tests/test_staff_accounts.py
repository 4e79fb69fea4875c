"""Staff accounts: an admin creates one without typing its password (an invitation lets the colleague choose
it), and a taken address or office name comes back as a message under the field, never a 500."""

import re

import pytest
from sqlalchemy import func, select

from matchmaker.enums import Role
from matchmaker.extensions import db
from matchmaker.models import Office, OutboxMessage, User
from matchmaker.services import accounts
from matchmaker.services.tokens import read_password_token


@pytest.fixture
def admin(make_user, auth):
    user = make_user(Role.ADMIN, email="boss@example.com")
    auth.login(user)
    return user


def staff_form(**overrides):
    return {"name": "Ji-woo Han", "email": "Jiwoo@Example.com", "role": "staff", "office_id": "0",
            "locale": "en", "timezone": "Asia/Seoul", **overrides}


def invitations(address):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address)).all()


def test_the_form_asks_no_password(client, admin):
    page = client.get("/admin/staff/new").get_data(as_text=True)
    assert 'type="password"' not in page
    assert "choose their own password" in page


def test_creating_a_staff_account_sends_an_invitation_that_sets_the_password(client, admin):
    response = client.post("/admin/staff/new", data=staff_form())
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "jiwoo@example.com"))
    assert user.role == Role.STAFF and not user.check_password("")
    assert not user.password_hash.startswith(("scrypt", "pbkdf2"))  # no usable password yet
    (mail,) = invitations("jiwoo@example.com")
    assert "staff account" in mail.body_text
    token = re.search(r"/reset/(\S+)", mail.body_text).group(1)
    assert read_password_token(token).id == user.id
    client.post("/logout")
    client.post(f"/reset/{token}", data={"password": "a-new-password-1", "confirm": "a-new-password-1"})
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.check_password("a-new-password-1") and user.verified
    assert read_password_token(token) is None  # the link works once


def test_a_posted_password_is_ignored(client, admin):
    client.post("/admin/staff/new", data=staff_form(password="typed-by-the-admin-1"))
    user = db.session.scalar(select(User).where(User.email == "jiwoo@example.com"))
    assert not user.check_password("typed-by-the-admin-1")
    assert len(invitations("jiwoo@example.com")) == 1


def test_a_taken_address_is_a_message_under_the_field(client, admin, make_user):
    make_user(Role.STAFF, email="jiwoo@example.com")
    response = client.post("/admin/staff/new", data=staff_form(name="Someone Else"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="email-errors"' in page and "An account with this e-mail address already exists." in page
    assert 'value="Someone Else"' in page
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "jiwoo@example.com")) == 1
    assert invitations("jiwoo@example.com") == []


def test_the_cli_path_still_takes_a_password(app):
    user = accounts.create_staff(None, email="root@example.com", name="Root", password="long-enough-pass",
                                 role=Role.ADMIN, office_id=None)
    db.session.commit()
    assert user.check_password("long-enough-pass") and user.verified
    assert invitations("root@example.com") == []


def office_form(**overrides):
    return {"name": "Jakarta", "city": "Jakarta", "timezone": "Asia/Jakarta", "locale": "id", "email": "",
            **overrides}


@pytest.mark.parametrize("name", ["Jakarta", "jakarta ", " JAKARTA"])
def test_a_taken_office_name_is_a_message_not_a_500(client, admin, make_office, name):
    make_office(name="Jakarta")
    response = client.post("/admin/offices/new", data=office_form(name=name, city="Somewhere"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="name-errors"' in page and "Another office already has this name." in page
    assert 'value="Somewhere"' in page
    assert db.session.scalar(select(func.count()).select_from(Office)) == 1


def test_renaming_an_office_to_another_ones_name_is_refused(client, admin, make_office):
    make_office(name="Jakarta")
    other = make_office(name="Singapore")
    response = client.post(f"/admin/offices/{other.id}/edit", data=office_form(name="Jakarta", city="Singapore"))
    assert "Another office already has this name." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Office, other.id).name == "Singapore"
    # keeping its own name is no clash
    response = client.post(f"/admin/offices/{other.id}/edit", data=office_form(name="Singapore", city="SG"))
    assert response.status_code == 302
