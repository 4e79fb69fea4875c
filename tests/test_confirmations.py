"""Confirmations that say what an action will do: publishing (meetings new, moved, cancelled; e-mails and people,
matching what publishing then sends; a stale preview refused; refused while a scheduler run is queued), sending
suggestions, marking a participant absent, rejecting an approved one. A confirmation page changes nothing."""

import re
from datetime import timedelta

import pytest
from builders.dayops import build_day
from sqlalchemy import func, select

from matchmaker.enums import MeetingStatus, OutboxStatus, ParticipationStatus, RequestStatus, RunStatus
from matchmaker.extensions import db
from matchmaker.models import Meeting, OutboxMessage, Recommendation, ScheduleRun
from matchmaker.services import placement
from matchmaker.services.confirmations import publish_preview


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation, auth):
    day = build_day(make_office, make_program, make_event, make_user, make_participation, published=False)
    auth.login(day.staff)
    return day


def _outbox(**where) -> list[OutboxMessage]:
    db.session.expire_all()
    query = select(OutboxMessage)
    for name, value in where.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    return list(db.session.scalars(query))


def _token(page: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)


def _published_once_then_changed(client, day):
    """Publish four meetings (their invites marked sent), then move one, cancel one and place a new one."""
    for a, b, slot in (("c1", "i1", 0), ("c1", "i2", 1), ("c2", "i1", 2), ("c3", "i3", 0)):
        day.meet(a, b, slot)
    client.post(f"/staff/events/{day.event.id}/schedule/publish")
    for message in _outbox():
        message.status = OutboxStatus.SENT
    moved, cancelled = day.meetings["c1", "i1"], day.meetings["c2", "i1"]
    placement.place(moved.request, day.event.slots()[3], moved.table_label)
    placement.unplace(cancelled)
    db.session.commit()
    day.meet("c2", "i2", 4)


def test_the_preview_says_what_publishing_then_does(client, day):
    _published_once_then_changed(client, day)
    page = client.get(f"/staff/events/{day.event.id}/schedule/publish").get_data(as_text=True)
    assert "1 new meeting: both sides get an invitation." in page
    assert "1 moved or changed meeting: both sides get an update." in page
    assert "1 cancelled meeting: both sides get a cancellation." in page
    assert "6 e-mails" in page and "to 4 people." in page
    assert _outbox(status=OutboxStatus.QUEUED) == []  # looking sends nothing

    before = {m.id for m in _outbox()}
    response = client.post(f"/staff/events/{day.event.id}/schedule/publish", data={"token": _token(page)},
                           follow_redirects=True)
    assert "The schedule is published; 4 participants are notified." in response.get_data(as_text=True)
    queued = [m for m in _outbox() if m.id not in before]
    assert len(queued) == 6
    assert len({m.to_address for m in queued}) == 4
    assert sorted(m.kind for m in queued) == ["invite"] * 4 + ["invite_cancel"] * 2
    assert publish_preview(day.event).meetings == 0  # nothing left to send


def test_a_preview_of_another_state_is_refused(client, day):
    day.meet("c1", "i1", 0)
    page = client.get(f"/staff/events/{day.event.id}/schedule/publish").get_data(as_text=True)
    day.meet("c2", "i2", 1)  # a colleague placed one more meeting meanwhile
    response = client.post(f"/staff/events/{day.event.id}/schedule/publish", data={"token": _token(page)},
                           follow_redirects=True)
    assert "The schedule changed since you looked at what publishing does" in response.get_data(as_text=True)
    db.session.refresh(day.event)
    assert not day.event.published and _outbox() == []


def test_publish_waits_for_a_queued_run(client, day):
    day.meet("c1", "i1", 0)
    db.session.add(ScheduleRun(event_id=day.event.id, time_limit=30, keep_placed=True, created_by_id=day.staff.id,
                               status=RunStatus.QUEUED, moved=[]))
    db.session.commit()
    board = client.get(f"/staff/events/{day.event.id}/schedule").get_data(as_text=True)
    assert re.search(r'<button type="button" disabled[^>]*>Publish the schedule</button>', board)
    assert "Publishing waits until the scheduler" in board
    assert f"staff/events/{day.event.id}/schedule/publish" not in board
    preview = client.get(f"/staff/events/{day.event.id}/schedule/publish").get_data(as_text=True)
    assert re.search(r'<button type="submit" disabled>Publish</button>', preview)
    response = client.post(f"/staff/events/{day.event.id}/schedule/publish", follow_redirects=True)
    assert "The scheduler is still working on this day" in response.get_data(as_text=True)
    db.session.refresh(day.event)
    assert not day.event.published and _outbox() == []


def test_suggestions_preview_counts_who_gets_what(client, day):
    for company, partner in (("c1", "i1"), ("c2", "i1"), ("c1", "i2")):
        db.session.add(Recommendation(event_id=day.event.id, company_id=day.orgs[company].id,
                                      partner_id=day.orgs[partner].id, rank=1, score=0.9))
    db.session.commit()
    page = client.get(f"/staff/events/{day.event.id}/matrix/send").get_data(as_text=True)
    assert "2 companies are e-mailed." in page and "2 partners are e-mailed." in page
    assert "4 e-mails in all." in page
    assert _outbox() == []
    client.post(f"/staff/events/{day.event.id}/matrix/send")
    assert len(_outbox(kind="suggestions")) == 4
    again = client.get(f"/staff/events/{day.event.id}/matrix/send").get_data(as_text=True)
    assert "0 e-mails in all." in again and "4 people already have theirs and get nothing again." in again


def test_absent_preview_lists_the_meetings_freed(client, day):
    first, second = day.meet("c1", "i1", 0), day.meet("c1", "i2", 2)
    day.meet("c2", "i3", 1)
    participation = day.participations["c1"]
    page = client.get(f"/staff/participations/{participation.id}/absent").get_data(as_text=True)
    assert "2 meetings that have not started are cancelled" in page
    assert "Org c1 – Org i1" in page and "Org c1 – Org i2" in page and "Org i3" not in page
    db.session.expire_all()
    assert {first.status, second.status} == {MeetingStatus.SCHEDULED}
    client.post(f"/staff/participations/{participation.id}/absent", data={"reason": "illness"})
    db.session.expire_all()
    assert {first.status, second.status} == {MeetingStatus.CANCELLED}


def test_rejecting_an_approved_participant_lists_then_cancels_its_meetings(client, day):
    mine, other = day.meet("c1", "i1", 0), day.meet("c2", "i2", 0)
    participation = day.participations["c1"]
    page = client.get(f"/staff/participations/{participation.id}/reject").get_data(as_text=True)
    assert "1 scheduled meeting is cancelled, and both sides are told:" in page and "Org c1 – Org i1" in page
    db.session.expire_all()
    assert participation.status == ParticipationStatus.APPROVED and mine.status == MeetingStatus.SCHEDULED
    event_page = client.get(f"/staff/events/{day.event.id}").get_data(as_text=True)
    assert f"/staff/participations/{participation.id}/reject" in event_page

    client.post(f"/staff/participations/{participation.id}/decide", data={"reject": "1", "reason": "Left early"})
    db.session.expire_all()
    assert participation.status == ParticipationStatus.REJECTED
    assert mine.status == MeetingStatus.CANCELLED and mine.request.status == RequestStatus.CANCELLED
    assert other.status == MeetingStatus.SCHEDULED
    assert db.session.scalar(select(func.count(Meeting.id)).where(Meeting.status == MeetingStatus.SCHEDULED)) == 1


def test_a_run_lost_long_ago_does_not_block_publishing(client, day):
    day.meet("c1", "i1", 0)
    run = ScheduleRun(event_id=day.event.id, time_limit=30, keep_placed=True, created_by_id=day.staff.id,
                      status=RunStatus.QUEUED, moved=[])
    db.session.add(run)
    db.session.commit()
    run.created_dt = run.created_dt - timedelta(hours=2)
    db.session.commit()
    page = client.get(f"/staff/events/{day.event.id}/schedule/publish").get_data(as_text=True)
    assert "The scheduler is still working" not in page
    client.post(f"/staff/events/{day.event.id}/schedule/publish", data={"token": _token(page)})
    db.session.refresh(day.event)
    assert day.event.published
