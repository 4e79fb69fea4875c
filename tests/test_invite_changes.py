"""Invites say what changed and show the right clock first: in person the venue's time, then the reader's; a moved
meeting's subject, first line and invite text say from → to with the table; a cancelled one says who cancelled; each
in the recipient's language."""

from datetime import date, time

import pytest
from ical.calendar_stream import IcsCalendarStream
from sqlalchemy import select

from matchmaker.domain.timefmt import format_clock, format_instant, zone_label
from matchmaker.enums import EventMode, OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import MeetingRequest, OutboxMessage
from matchmaker.services import invites
from matchmaker.services.meetings import cancel, place
from matchmaker.services.scheduling import move_meeting, publish

NNBSP = "\u202f"


@pytest.fixture
def day(make_user, make_org, make_event, make_program, make_office, make_participation):
    """A Jakarta ballroom day; a Seoul company (one member reads Korean, one English) meets a Jakarta buyer at T2."""
    office = make_office(email="jakarta@agency.example")
    program = make_program(office=office, start_date=date(2030, 1, 1), end_date=date(2030, 2, 28))
    event = make_event(program=program, mode=EventMode.IN_PERSON, venue="Hotel Ballroom", date=date(2030, 1, 15),
                       timezone="Asia/Jakarta", day_start=time(9), day_end=time(11), tables=3)
    seoul = make_org(OrgKind.COMPANY, name="Hanbit", timezone="Asia/Seoul")
    korean = make_user(Role.COMPANY, locale="ko", timezone="Asia/Seoul", organization=seoul)
    english = make_user(Role.COMPANY, locale="en", timezone="Asia/Seoul", organization=seoul)
    buyer = make_user(Role.PARTNER, locale="en", timezone="Asia/Jakarta",
                      organization=make_org(OrgKind.BUYER, name="Invite Buyer", timezone="Asia/Jakarta"))
    for org in (seoul, buyer.organization):
        make_participation(event, org)
    item = MeetingRequest(event_id=event.id, from_org_id=seoul.id, to_org_id=buyer.organization_id,
                          status=RequestStatus.ACCEPTED)
    db.session.add(item)
    db.session.flush()
    meeting = place(item, event.slots()[1], "T2")
    staff = make_user(Role.STAFF, office=office)
    publish(staff, event)
    db.session.commit()
    return event, meeting, korean, english, buyer, staff


def _last(kind: str, address: str) -> OutboxMessage:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind, OutboxMessage.to_address
                                                          == address).order_by(OutboxMessage.id.desc())).first()


def _description(message: OutboxMessage) -> str:
    [vevent] = IcsCalendarStream.calendar_from_ics(message.calendar.replace("METHOD:", "X-METHOD:")).events
    return vevent.description


def _body_lines(message: OutboxMessage) -> list[str]:
    return [line for line in message.body_text.splitlines() if line.strip()]


def test_in_person_invite_shows_the_venue_time_first_then_the_readers(day):
    event, meeting, korean, english, buyer, _ = day
    start = meeting.start_dt
    message = _last("invite", english.email)
    venue = format_instant(start, "Asia/Jakarta", "en")
    assert f"When: {venue} · Your time: " in message.body_text
    assert message.body_text.index("Western Indonesia Time") < message.body_text.index("Korean Standard Time")
    assert message.subject == "Invitation: meeting with Invite Buyer"
    assert _body_lines(message)[1] == f"New meeting: you meet Invite Buyer at {event.title}."
    text = _description(message)
    assert text.index("Western Indonesia Time") < text.index("Your time:") < text.index("Korean Standard Time")
    # The Korean reader: the same order, named in Korean.
    ko = _last("invite", korean.email)
    assert ko.body_text.index(zone_label(start, "Asia/Jakarta", "ko")) < ko.body_text.index(
        zone_label(start, "Asia/Seoul", "ko"))
    # The buyer is in the venue's zone: one time only.
    local = _last("invite", buyer.email)
    assert "Your time" not in local.body_text and "Korean" not in local.body_text


def test_a_moved_meeting_says_from_and_to_in_subject_first_line_and_invite(day):
    event, meeting, korean, english, buyer, staff = day
    before, after = event.slots()[1].start, event.slots()[3].start
    move_meeting(staff, meeting, event.slots()[3], "T1")
    move_meeting(staff, meeting, event.slots()[3], "T3")  # two moves before anyone is told: one update
    db.session.commit()
    assert invites.send_pending_invites(event) == 3
    db.session.commit()
    message = _last("invite", english.email)
    old, new = format_instant(before, "Asia/Jakarta", "en"), format_instant(after, "Asia/Jakarta", "en")
    assert message.subject == ("Moved: meeting with Invite Buyer, Tue, Jan 15, 9:30 AM, Table T2 → "
                               "10:30 AM, Table T3 (GMT+07:00)")
    headline = (f"Your meeting with Invite Buyer at {event.title} has moved from {old}, Table T2 "
                f"to {new}, Table T3.")
    assert _body_lines(message)[1] == headline
    assert _description(message).splitlines()[0] == headline
    ko = _last("invite", korean.email)
    assert ko.subject != message.subject and "Invite Buyer" in ko.subject
    assert format_clock(before, "Asia/Jakarta", "ko").replace(NNBSP, " ") in ko.subject
    assert format_clock(after, "Asia/Jakarta", "ko").replace(NNBSP, " ") in ko.subject
    for instant in (before, after):
        assert format_instant(instant, "Asia/Jakarta", "ko") in _description(ko).splitlines()[0]
    # Told once: the next update (nothing changed since) is not a move.
    assert invites.send_pending_invites(event) == 0


def test_a_cancellation_says_who_cancelled(day):
    event, meeting, korean, english, buyer, staff = day
    cancel(buyer, meeting.request)
    db.session.commit()
    message = _last("invite_cancel", english.email)
    assert message.subject == "Cancelled by Invite Buyer: your meeting with them"
    when = format_instant(meeting.start_dt, "Asia/Jakarta", "en")
    assert _body_lines(message)[1] == f"Invite Buyer cancelled your meeting of {when} at {event.title}."
    assert _description(message).startswith("Invite Buyer cancelled your meeting")
    own = _last("invite_cancel", buyer.email)
    assert own.subject == "Cancelled by your organization: meeting with Hanbit"


def test_staff_cancellation_names_the_office(day):
    event, meeting, korean, english, buyer, staff = day
    cancel(staff, meeting.request)
    db.session.commit()
    for user in (english, buyer):
        message = _last("invite_cancel", user.email)
        assert message.subject.startswith("Cancelled by the office: meeting with")
        assert _body_lines(message)[1].startswith("The office cancelled your meeting with")


def test_online_invite_reads_the_readers_time_first_then_the_other_partys(day):
    event, meeting, korean, english, buyer, _ = day
    event.mode = EventMode.ONLINE
    meeting.table_label = None
    meeting.sequence += 1
    db.session.commit()
    invites.send_pending_invites(event)
    db.session.commit()
    message = _last("invite", english.email)
    [when] = [line for line in _description(message).splitlines() if line.startswith("When:")]
    assert when.index("Korean Standard Time") < when.index("Their time:") < when.index("Western Indonesia Time")
    [line] = [line for line in message.body_text.splitlines() if line.startswith("When:")]
    assert line.index("Korean Standard Time") < line.index("Their time:") < line.index("Jakarta")
