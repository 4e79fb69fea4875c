"""The time-zone pickers start from the browser's zone when nothing is chosen yet, and keep a chosen one."""

import pytest
from playwright.sync_api import expect

from matchmaker.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def jakarta_page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-US", timezone_id="Asia/Jakarta")
    context.set_default_timeout(5000)
    page = context.new_page()
    yield page
    context.close()


def test_registration_preselects_the_browsers_zone(jakarta_page):
    jakarta_page.goto("/register")
    expect(jakarta_page.locator("#timezone")).to_have_value("Asia/Jakarta")


def test_settings_preselect_only_when_the_user_has_no_zone(jakarta_page, sign_in, make_user):
    user = make_user(timezone=None)
    sign_in(jakarta_page, user.email)
    jakarta_page.goto("/settings")
    expect(jakarta_page.locator("#timezone")).to_have_value("Asia/Jakarta")
    user.timezone = "Asia/Seoul"
    db.session.commit()
    jakarta_page.goto("/settings")
    expect(jakarta_page.locator("#timezone")).to_have_value("Asia/Seoul")
    expect(jakarta_page.locator("#calendar")).to_have_value("gregorian")
