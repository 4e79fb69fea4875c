"""Cancelling a meeting goes through a confirmation page in a real browser (CSRF on): staff from a participant's
day, a company from its request; each page names the meeting, both sides, its time with the zone and who is
e-mailed, and 'Keep the meeting' leaves it."""

import pytest
from builders.accessibility import assert_accessible
from builders.dayops import build_day
from playwright.sync_api import expect

from matchmaker.enums import MeetingStatus
from matchmaker.extensions import db
from matchmaker.models import Meeting

pytestmark = pytest.mark.browser


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    return build_day(make_office, make_program, make_event, make_user, make_participation)


def _status(meeting) -> MeetingStatus:
    db.session.expire_all()
    return db.session.get(Meeting, meeting.id).status


def test_staff_cancel_a_meeting_after_seeing_what_it_does(page, sign_in, day):
    meeting = day.meet("c1", "i1", 1, "T2")
    sign_in(page, day.staff.email)
    page.goto(f"/staff/participations/{day.participations['c1'].id}/day")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel the meeting…").click()
    summary = page.locator("dl.cancel-summary")
    expect(summary).to_contain_text("Org c1 – Org i1")
    expect(summary).to_contain_text("Western Indonesia Time")
    expect(summary).to_contain_text("Table T2")
    expect(summary).to_contain_text("Person c1 (Org c1), Person i1 (Org i1)")
    assert_accessible(page)
    page.get_by_role("link", name="Keep the meeting").click()
    assert _status(meeting) == MeetingStatus.SCHEDULED

    page.get_by_role("link", name="Cancel the meeting…").click()
    page.get_by_role("button", name="Cancel the meeting").click()
    expect(page.locator(".flash.success")).to_have_text(
        "The meeting of Org c1 and Org i1 is cancelled; both sides are told by e-mail.")
    assert _status(meeting) == MeetingStatus.CANCELLED


def test_a_company_confirms_before_its_meeting_is_cancelled(page, sign_in, day):
    meeting = day.meet("c2", "i2", 0)
    sign_in(page, day.users["c2"].email)
    page.goto(f"/requests/{meeting.request_id}")
    page.get_by_role("link", name="Cancel the meeting…").click()
    expect(page.locator("dl.cancel-summary")).to_contain_text("Person i2 (Org i2)")
    assert _status(meeting) == MeetingStatus.SCHEDULED
    page.get_by_role("button", name="Cancel the meeting").click()
    expect(page.locator(".flash.success")).to_have_text("The meeting is cancelled; Org i2 is told by e-mail.")
    assert _status(meeting) == MeetingStatus.CANCELLED
