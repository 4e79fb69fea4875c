"""A company registers through the real form, signs in, finds its dashboard and signs out."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from matchmaker.enums import Role
from matchmaker.extensions import db
from matchmaker.models import User

pytestmark = pytest.mark.browser

ORG_NAME = "주식회사 한빛데이터"
EMAIL = "ceo@hanbit-data.example"
PASSWORD = "a-long-enough-password"
SCREENSHOT = "/tmp/matchmaker-register.png"


def fill_registration(page, password: str, confirm: str) -> None:
    page.goto("/register")
    page.select_option("#kind", "company")
    page.fill("#organization_name", ORG_NAME)
    page.fill("#organization_name_latin", "Hanbit Data")
    page.fill("#country", "KR")
    page.fill("#name", "김민준")
    page.fill("#email", EMAIL)
    page.fill("#password", password)
    page.fill("#confirm", confirm)
    page.select_option("#locale", "ko")
    page.select_option("#timezone", "Asia/Seoul")
    page.check("#consent_collection")  # no office abroad here: the transfer abroad is not asked
    page.check("#consent_provision")
    page.click("#submit")


def test_register_sign_in_sign_out_reaches_dashboard(page):
    fill_registration(page, PASSWORD, PASSWORD)
    page.wait_for_url("**/login")  # registering does not sign in: it says to check the mail, the same for all
    expect(page.locator("main")).to_contain_text("Check your e-mail")

    page.fill("#email", EMAIL.upper())  # addresses are matched case-insensitively
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/dashboard")
    expect(page.locator("h1")).to_contain_text(ORG_NAME)
    expect(page.locator("html")).to_have_attribute("lang", "ko")  # the language chosen on the form

    page.click("form[action='/logout'] button")
    page.wait_for_url("**/")
    expect(page.locator("form[action='/logout']")).to_have_count(0)

    user = db.session.scalar(sa.select(User).where(User.email == EMAIL))
    assert (user.role, user.locale, user.timezone) == (Role.COMPANY, "ko", "Asia/Seoul")
    assert (user.organization.name, user.organization.country) == (ORG_NAME, "KR")


def test_register_short_password_shows_error_and_keeps_values(page):
    fill_registration(page, "short", "short")
    expect(page.locator("#password-errors")).to_contain_text("at least 10 characters")
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#organization_name")).to_have_value(ORG_NAME)
    expect(page.locator("#email")).to_have_value(EMAIL)
    expect(page.locator("#kind")).to_have_value("company")
    expect(page.locator("#locale")).to_have_value("ko")
    expect(page.locator("#timezone")).to_have_value("Asia/Seoul")
    expect(page.locator("#password")).to_have_value("")  # passwords are never sent back
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
