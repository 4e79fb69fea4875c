"""An online day published with a room per meeting (issue #14, part 1): staff type the office's video rooms on the
day's form (a bad line refused with the text kept), run the scheduler and publish from the board; every invite in
the outbox carries its meeting's room as CONFERENCE, meetings at the same time in different rooms, and a
participant's meeting page shows the room and its link."""

import re
from collections import Counter
from datetime import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.enums import OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, OutboxMessage

pytestmark = pytest.mark.browser

ROOMS = "Room A | https://rooms.example/a\nRoom B | https://rooms.example/b"


def _conference(calendar: str) -> tuple[str, str]:
    """The UID and CONFERENCE link of an invite's calendar."""
    text = calendar.replace("\r\n ", "").replace("\r\n", "\n")
    uid = re.search(r"^UID:(.+)$", text, re.M).group(1)
    [link] = re.findall(r"^CONFERENCE;[^\n]*?:(https://\S+)$", text, re.M)
    return uid, link


def test_an_online_day_is_published_with_a_room_per_meeting(page, sign_in, make_user, make_org, make_event,
                                                            make_program, make_office, make_participation,
                                                            make_request):
    office = make_office(timezone="America/Los_Angeles")
    event = make_event(program=make_program(office=office), title="Online rooms day", day_start=time(9),
                       day_end=time(10), online_url="https://meet.example/one-room-for-all")
    companies = [make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, name=f"Rooms Company {n}"))
                 for n in range(3)]
    investors = [make_user(Role.PARTNER, organization=make_org(OrgKind.INVESTOR, name=f"Rooms Investor {n}"))
                 for n in range(3)]
    for user in companies + investors:
        make_participation(event, user.organization)
    for company, investor in zip(companies, investors, strict=True):
        make_request(event, company.organization, investor.organization, status=RequestStatus.ACCEPTED)
    staff = make_user(Role.STAFF, office=office, timezone="America/Los_Angeles")

    sign_in(page, staff.email)
    page.goto(f"/staff/events/{event.id}/edit")
    page.fill("#room_list", ROOMS + "\nRoom C")
    page.get_by_role("button", name="Save matchmaking day").click()
    expect(page.locator("#room_list-errors")).to_contain_text("Line 3: Room C has no link")
    expect(page.locator("#room_list")).to_have_value(ROOMS + "\nRoom C")
    page.fill("#room_list", ROOMS)
    page.get_by_role("button", name="Save matchmaking day").click()
    expect(page.locator(".flash.success")).to_contain_text("The matchmaking day is saved.")

    page.goto(f"/staff/events/{event.id}/schedule")
    page.fill("#time_limit", "5")
    page.get_by_role("button", name="Run the scheduler").click()
    page.goto(f"/staff/events/{event.id}/schedule")
    expect(page.locator("main")).to_contain_text("Room A")
    expect(page.locator("main")).to_contain_text("Room B")
    page.get_by_role("link", name="Publish the schedule…").click()  # the preview first, then one button
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text("The schedule is published")

    db.session.expire_all()
    assert db.session.get(Event, event.id).published
    meetings = {m.uid: m for m in db.session.scalars(select(Meeting).where(Meeting.event_id == event.id))}
    assert len(meetings) == 3  # two rooms, two slots: three meetings fit
    assert Counter(m.start_dt for m in meetings.values()).most_common(1)[0][1] == 2
    invites = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invite")).all()
    assert len(invites) == 6  # one per meeting and side
    by_meeting: dict[str, set[str]] = {}
    for invite in invites:
        uid, link = _conference(invite.calendar)
        by_meeting.setdefault(uid, set()).add(link)
        meeting = meetings[uid]
        assert link == meeting.online_url and link in ("https://rooms.example/a", "https://rooms.example/b")
        assert meeting.table_label in invite.body_text and link in invite.body_text
    assert set(by_meeting) == set(meetings) and all(len(links) == 1 for links in by_meeting.values())
    rooms_at = Counter((m.start_dt, m.online_url) for m in meetings.values())
    assert max(rooms_at.values()) == 1  # meetings at the same time are in different rooms

    page.click("form[action='/logout'] button")
    meeting = next(m for m in meetings.values() if m.request.from_org_id == companies[0].organization_id)
    sign_in(page, companies[0].email)
    page.goto(f"/meetings/{meeting.id}")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(meeting.table_label)
    expect(facts.locator(f"a[href='{meeting.online_url}']")).to_be_visible()
    expect(facts).not_to_contain_text("one-room-for-all")
