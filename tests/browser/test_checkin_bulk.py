"""Checking in several participants at once at the desk in a real browser (CSRF on), by ticking rows or with
'Select all'; the check-in page passes the axe-core checks."""

import pytest
from builders.accessibility import assert_accessible
from builders.dayops import build_day
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.enums import Attendance
from matchmaker.extensions import db
from matchmaker.models import Participation

pytestmark = pytest.mark.browser


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation)
    day.meet("c1", "i1", 1, "T1")
    return day


def _checked_in(day) -> set[str]:
    db.session.expire_all()
    ids = {p.id for p in db.session.scalars(select(Participation)) if p.attendance == Attendance.CHECKED_IN}
    return {key for key, p in day.participations.items() if p.id in ids}


def test_desk_checks_in_ticked_rows_then_everyone_left(page, sign_in, day):
    sign_in(page, day.staff.email)
    page.goto(f"/staff/events/{day.event.id}/checkin")
    assert_accessible(page)
    page.get_by_label("Select Org c1").check()
    page.get_by_label("Select Org i2").check()
    page.get_by_role("button", name="Check in selected").click()
    expect(page.locator(".flash.success")).to_have_text("2 participants are checked in.")
    assert _checked_in(day) == {"c1", "i2"}

    page.get_by_label("Select all").check()  # the four rows left (checked-in rows have no box)
    page.get_by_role("button", name="Check in selected").click()
    expect(page.locator(".flash.success")).to_have_text("4 participants are checked in.")
    assert _checked_in(day) == set(day.participations)
    assert_accessible(page)


def test_checkin_page_is_accessible_on_a_phone(page, sign_in, day):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, day.staff.email)
    page.goto(f"/staff/events/{day.event.id}/checkin")
    expect(page.get_by_role("button", name="Check in selected")).to_be_visible()
    assert_accessible(page)
