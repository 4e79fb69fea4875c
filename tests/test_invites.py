"""Publishing sends calendar invites; changes send updates with the same UID; cancellations remove them;
each member has a private feed."""

from datetime import time

import pytest
from ical.calendar_stream import IcsCalendarStream
from sqlalchemy import select

from matchmaker.enums import EventMode, OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import MeetingRequest, OutboxMessage
from matchmaker.services import invites
from matchmaker.services.meetings import cancel, place
from matchmaker.services.scheduling import move_meeting, publish


@pytest.fixture
def published(make_user, make_org, make_event, make_program, make_office, make_participation):
    office = make_office(email="jakarta@agency.example")
    event = make_event(program=make_program(office=office), mode=EventMode.IN_PERSON, venue="Hotel Ballroom",
                       timezone="Asia/Jakarta", day_start=time(9), day_end=time(11), tables=3)
    company = make_user(Role.COMPANY, locale="ko", timezone="Asia/Seoul",
                        organization=make_org(OrgKind.COMPANY, name="주식회사 인바이트"))
    buyer = make_user(Role.PARTNER, locale="en", timezone="Asia/Jakarta",
                      organization=make_org(OrgKind.BUYER, name="Invite Buyer"))
    for user in (company, buyer):
        make_participation(event, user.organization)
    item = MeetingRequest(event_id=event.id, from_org_id=company.organization_id,
                          to_org_id=buyer.organization_id, status=RequestStatus.ACCEPTED)
    db.session.add(item)
    db.session.flush()
    meeting = place(item, event.slots()[1], "T2")
    staff = make_user(Role.STAFF, office=office)
    assert publish(staff, event) == 2
    db.session.commit()
    return event, meeting, company, buyer, staff


def _messages(kind: str) -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)).all()


def _event_of(message: OutboxMessage):
    [vevent] = IcsCalendarStream.calendar_from_ics(message.calendar.replace("METHOD:", "X-METHOD:")).events
    return vevent


def test_publish_invites_each_attendee_in_their_language(published):
    event, meeting, company, buyer, _ = published
    by_address = {m.to_address: m for m in _messages("invite")}
    assert set(by_address) == {company.email, buyer.email}
    korean = by_address[company.email]
    assert korean.calendar_method == "REQUEST"
    assert "METHOD:REQUEST" in korean.calendar
    assert f"UID:{meeting.uid}" in korean.calendar
    assert "Invite Buyer" in korean.subject and "초대" in korean.subject
    assert "한국 표준시" in korean.body_text  # the recipient's zone, named in Korean
    parsed = _event_of(korean)
    assert parsed.dtstart == meeting.start_dt and parsed.sequence == 0
    assert "ORGANIZER;CN=" in korean.calendar and "jakarta@agency.example" in korean.calendar


def test_move_then_publish_sends_an_update_with_the_same_uid(published):
    event, meeting, company, buyer, staff = published
    move_meeting(staff, meeting, event.slots()[3], "T1")
    db.session.commit()
    assert invites.send_pending_invites(event) == 2
    db.session.commit()
    update = _messages("invite")[-1]
    parsed = _event_of(update)
    assert parsed.uid == meeting.uid
    assert parsed.sequence == 1
    assert parsed.dtstart == event.slots()[3].start
    assert invites.send_pending_invites(event) == 0  # nothing new: nothing sent


def test_participant_cancellation_sends_cancel_at_once(published):
    event, meeting, company, buyer, _ = published
    cancel(company, meeting.request)
    db.session.commit()
    [to_buyer] = [m for m in _messages("invite_cancel") if m.to_address == buyer.email]
    assert to_buyer.calendar_method == "CANCEL"
    assert "STATUS:CANCELLED" in to_buyer.calendar
    assert _event_of(to_buyer).sequence == 1


def test_feed_lists_published_meetings_and_renewal_revokes_the_link(client, auth, published):
    event, meeting, company, buyer, _ = published
    auth.login(company)
    settings = client.get("/settings").get_data(as_text=True)
    assert "webcal://" in settings
    db.session.refresh(company)
    old = company.calendar_token
    feed = client.get(f"/calendar/{old}.ics")
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"
    text = feed.get_data(as_text=True)
    assert f"UID:{meeting.uid}" in text and "METHOD" not in text
    client.post("/calendar/renew")
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_quick_changes_reach_each_attendee_as_one_update(app, monkeypatch, published):
    from datetime import timedelta

    from matchmaker.database import utcnow
    from matchmaker.enums import OutboxStatus
    from matchmaker.tasks.mail import deliver_due

    monkeypatch.setitem(app.config, "INVITE_DIGEST_SECONDS", 60)
    event, meeting, company, buyer, staff = published
    for slot in (2, 3, 0, 2):  # four moves within the minute, each published at once
        move_meeting(staff, meeting, event.slots()[slot], "T1")
        publish(staff, event)
        db.session.commit()
    deliver_due()  # nothing is due yet: the updates are held for the digest
    held = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "invite", OutboxMessage.status == OutboxStatus.QUEUED)).all()
    assert sorted(m.to_address for m in held) == sorted([company.email, buyer.email])
    assert all(_event_of(m).sequence == 4 and _event_of(m).dtstart == event.slots()[2].start for m in held)
    for message in held:
        message.next_attempt_dt = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert deliver_due() == {"sent": 2, "failed": 0}
