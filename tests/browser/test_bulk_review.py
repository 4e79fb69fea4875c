"""Deciding on several applications at once in a real browser (CSRF on): 'Select all' ticks every application,
one is unticked, 'Reject selected' with one reason shows who is rejected first, and confirming rejects them; the
review queue with its selection and the preview pass the axe-core checks."""

import pytest
from builders.accessibility import assert_accessible
from builders.dayops import build_day
from playwright.sync_api import expect

from matchmaker.enums import MeetingStatus, ParticipationStatus
from matchmaker.extensions import db
from matchmaker.models import Meeting, Participation

pytestmark = pytest.mark.browser


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation, published=False)
    for key in ("c2", "c3", "i3"):
        day.participations[key].status = ParticipationStatus.APPLIED
    db.session.commit()
    return day


def _status(day, key) -> ParticipationStatus:
    db.session.expire_all()
    return db.session.get(Participation, day.participations[key].id).status


def test_reject_selected_with_one_reason_through_the_preview(page, sign_in, day):
    sign_in(page, day.staff.email)
    page.goto("/staff/reviews")
    page.get_by_label("Select all").check()  # shown by the script, ticks the three applications
    for key in ("c2", "c3", "i3"):
        expect(page.get_by_label(f"Select Org {key}")).to_be_checked()
    page.get_by_label("Select Org c3").uncheck()
    expect(page.get_by_label("Select all")).not_to_be_checked()
    assert_accessible(page)
    page.fill("#bulk-reason", "The day is full.")
    page.get_by_role("button", name="Reject selected").click()

    expect(page.locator("h1")).to_have_text("Reject 2 applications?")
    expect(page.locator("ul.bulk-acting")).to_contain_text("Org c2")
    expect(page.locator("ul.bulk-acting")).to_contain_text("Org i3")
    expect(page.locator("ul.bulk-acting")).not_to_contain_text("Org c3")
    expect(page.locator("#bulk-reason")).to_have_value("The day is full.")
    assert_accessible(page)
    assert _status(day, "c2") == ParticipationStatus.APPLIED  # looking changes nothing
    page.get_by_role("button", name="Reject 2").click()

    expect(page.locator(".flash.success")).to_have_text("2 applications rejected; the applicants are told by e-mail.")
    assert [_status(day, k) for k in ("c2", "i3", "c3")] == [
        ParticipationStatus.REJECTED, ParticipationStatus.REJECTED, ParticipationStatus.APPLIED]
    assert db.session.get(Participation, day.participations["c2"].id).reason == "The day is full."


def test_rejecting_approved_participants_on_the_day_page_names_their_meetings(page, sign_in, day):
    meeting = day.meet("c1", "i1", 0)
    sign_in(page, day.staff.email)
    page.goto(f"/staff/events/{day.event.id}")
    for part in ("form#bulk", "table.participants"):  # the day's list with its selection (the cockpit is tested apart)
        assert_accessible(page, part)
    page.get_by_label("Select Org c1").check()  # ticked by hand, as without scripts
    page.get_by_label("Select Org c2").check()
    page.get_by_role("button", name="Reject selected").click()
    expect(page.locator(".field.has-error")).to_contain_text("Give the applicants a reason for the rejection.")
    expect(page.locator("table.confirm-meetings")).to_contain_text("Org c1 – Org i1")
    page.fill("#bulk-reason", "Changed plans")
    page.get_by_role("button", name="Reject 2").click()
    expect(page.locator(".flash.success")).to_contain_text("2 applications rejected")
    assert page.url.endswith(f"/staff/events/{day.event.id}")
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == MeetingStatus.CANCELLED
