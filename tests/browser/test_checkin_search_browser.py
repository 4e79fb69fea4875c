"""The check-in desk finds a Korean contact person typed in Latin letters, in a real browser."""

import pytest
from builders.dayops import build_day
from playwright.sync_api import expect

from matchmaker.enums import Attendance
from matchmaker.extensions import db
from matchmaker.models import Participation

pytestmark = pytest.mark.browser


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation)
    day.users["c1"].name = "김민준"
    day.users["c2"].name = "이서연"
    db.session.commit()
    return day


def test_desk_finds_kim_minjun_typed_in_latin_letters(page, sign_in, day):
    sign_in(page, day.staff.email)
    page.goto(f"/staff/events/{day.event.id}/checkin")
    page.fill("#q", "kim minjun")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.checkin tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("김민준")
    expect(rows.first).to_contain_text("(Kim Minjun)")
    expect(rows.first).to_contain_text("Org c1")
    rows.first.get_by_role("button", name="Check in").click()
    expect(page.locator(".flash.success")).to_contain_text("Org c1 is checked in.")
    db.session.expire_all()
    assert db.session.get(Participation, day.participations["c1"].id).attendance == Attendance.CHECKED_IN
