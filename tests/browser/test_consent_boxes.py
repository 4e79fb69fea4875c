"""Registration in Chromium with its consent boxes: each consent with its own text, the transfer abroad naming the
offices' countries; a required box left unticked shows its message under the box and keeps what was typed; ticking
it registers, with each consent recorded. The registration, consent and privacy pages pass axe-core."""

import pytest
from builders.accessibility import assert_accessible
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.enums import ConsentKind, Role
from matchmaker.extensions import db
from matchmaker.models import Consent, User

pytestmark = pytest.mark.browser

EMAIL = "consent@browser.example"


@pytest.fixture
def offices(make_office):
    make_office(name="Singapore", city="Singapore", timezone="Asia/Singapore")
    make_office(name="Bangkok", city="Bangkok", timezone="Asia/Bangkok")


def fill(page) -> None:
    page.goto("/register")
    page.select_option("#kind", "investor")
    page.fill("#organization_name", "Lion City Capital")
    page.fill("#country", "SG")
    page.fill("#name", "Tan Wei")
    page.fill("#email", EMAIL)
    page.fill("#password", "a-long-enough-password")
    page.fill("#confirm", "a-long-enough-password")
    page.select_option("#locale", "en")
    page.select_option("#timezone", "Asia/Singapore")


def test_registration_asks_each_consent_and_records_them(page, offices):
    fill(page)
    transfer = page.locator("#consent-transfer_abroad")
    expect(transfer).to_contain_text("Singapore")
    expect(transfer).to_contain_text("Thailand")
    assert_accessible(page)
    page.check("#consent_collection")
    page.check("#consent_transfer_abroad")
    page.check("#consent_news")
    page.click("#submit")

    # Provision left unticked: its message under its own box, the rest as typed and ticked.
    expect(page.locator("#consent-provision .errors")).to_have_text("This consent is required.")
    expect(page.locator("#consent-collection .errors")).to_have_count(0)
    expect(page.locator("#organization_name")).to_have_value("Lion City Capital")
    expect(page.locator("#consent_news")).to_be_checked()
    assert_accessible(page)

    page.fill("#password", "a-long-enough-password")  # passwords are never sent back
    page.fill("#confirm", "a-long-enough-password")
    page.check("#consent_provision")
    page.click("#submit")
    page.wait_for_url("**/login")

    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == EMAIL))
    assert user.role == Role.PARTNER
    assert set(db.session.scalars(select(Consent.kind).where(Consent.user_id == user.id))) == set(ConsentKind)


def test_privacy_and_consent_pages_pass_axe(page, offices, make_user, sign_in):
    page.goto("/privacy")
    expect(page.locator("h1")).to_have_text("Privacy notice")
    assert_accessible(page)

    sign_in(page, make_user(Role.COMPANY, consented=False).email)
    page.goto("/agenda")
    page.wait_for_url("**/consent?next=/agenda")
    assert_accessible(page)
    for box in ("#consent_collection", "#consent_provision", "#consent_transfer_abroad"):
        page.check(box)
    page.click("#submit")
    page.wait_for_url("**/agenda")
