"""A company's agenda (member area) passes the axe-core checks (no serious or critical violation) on a desktop
window and on a 390 px phone, with meetings at tables on a published day."""

import pytest
from builders.accessibility import assert_accessible
from builders.clients import PASSWORD
from builders.dayops import build_day
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation)
    day.meet("c1", "i1", 0)
    day.meet("c1", "i2", 2)
    return day


def test_agenda_is_accessible_on_a_desktop(page, sign_in, day):
    sign_in(page, day.users["c1"].email)
    page.goto("/agenda")
    expect(page.locator("main")).to_contain_text("Org i2")
    assert_accessible(page)


def test_agenda_is_accessible_on_a_phone(browser, live_server, day):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, locale="en-US", timezone_id="Asia/Jakarta")
    context.set_default_timeout(8000)
    phone = context.new_page()
    try:
        phone.goto("/login")
        phone.fill("#email", day.users["c1"].email)
        phone.fill("#password", PASSWORD)
        phone.click("#submit")
        phone.wait_for_url("**/*")
        phone.goto("/agenda")
        expect(phone.locator("main")).to_contain_text("Org i1")
        assert_accessible(phone)
    finally:
        context.close()
