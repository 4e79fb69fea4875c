"""Staff open the publish preview from the board: its counts are the database's, Cancel goes back with nothing
published, and Publish then sends what it said."""

import pytest
from builders.dayops import build_day
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Event, OutboxMessage
from matchmaker.services.confirmations import publish_preview

pytestmark = pytest.mark.browser


def test_publish_preview_counts_match_the_database_and_cancel_does_nothing(
        page, sign_in, make_office, make_program, make_event, make_user, make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation, published=False)
    for a, b, slot in (("c1", "i1", 0), ("c1", "i2", 1), ("c2", "i3", 0)):
        day.meet(a, b, slot)
    expected = publish_preview(day.event)
    assert (len(expected.new), expected.emails, expected.people) == (3, 6, 5)

    sign_in(page, day.staff.email)
    page.goto(f"/staff/events/{day.event.id}/schedule")
    page.get_by_role("link", name="Publish the schedule…").click()
    summary = page.locator(".publish-summary")
    expect(summary).to_contain_text("3 new meetings: both sides get an invitation.")
    expect(summary).to_contain_text("0 cancelled meetings")
    expect(summary).to_contain_text("6 e-mails to 5 people.")
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(f"/staff/events/{day.event.id}/schedule", ignore_case=True)
    db.session.expire_all()
    assert not db.session.get(Event, day.event.id).published
    assert db.session.scalars(select(OutboxMessage)).all() == []

    page.get_by_role("link", name="Publish the schedule…").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text("5 participants are notified")
    db.session.expire_all()
    invites = [m for m in db.session.scalars(select(OutboxMessage)) if m.kind == "invite"]
    assert len(invites) == 6 and len({m.to_address for m in invites}) == 5
