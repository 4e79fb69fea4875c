"""Staff racing each other on PostgreSQL, with real threads released together: two people moving one meeting
(or two meetings onto one table), "run scheduler" and "send suggestions" clicked twice. One wins; the other
gets a message, never a 500; no update is lost; no run is queued twice; nobody gets a suggestion twice."""

from datetime import time

import pytest
from builders.clients import sign_in
from builders.races import needs_postgres, page, race, server_errors
from sqlalchemy import func, select

from matchmaker.enums import EventMode, MeetingStatus, OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Meeting, MeetingRequest, MeetingSeat, OutboxMessage, ScheduleRun
from matchmaker.services import recommendations

pytestmark = needs_postgres

TRIALS = 10


@pytest.fixture
def signed_in(app, client):
    def new_client(user):
        other = app.test_client()
        assert sign_in(other, user).status_code == 302
        return other

    return new_client


@pytest.fixture
def office_day(make_office, make_program, make_event, make_user, make_org, make_participation, add_meeting):
    """An office, two of its staff, and a builder of in-person days (four slots, two tables) with `pairs`
    meetings placed in the first slot, one per table."""
    office = make_office()
    program = make_program(office=office)
    staff = [make_user(Role.STAFF, office=office) for _ in range(2)]

    def day(pairs: int = 1):
        event = make_event(program=program, mode=EventMode.IN_PERSON, venue="Hall", timezone="Asia/Jakarta",
                           day_start=time(9), day_end=time(11), tables=2)
        meetings = []
        for n in range(pairs):
            company, buyer = make_org(OrgKind.COMPANY), make_org(OrgKind.BUYER)
            for org in (company, buyer):
                make_participation(event, org)
            item = MeetingRequest(event_id=event.id, from_org_id=company.id, to_org_id=buyer.id,
                                  status=RequestStatus.ACCEPTED)
            db.session.add(item)
            db.session.commit()
            meeting = add_meeting(item, slot=0)
            meeting.table_label = f"T{n + 1}"
            db.session.commit()
            meetings.append(meeting)
        return event, meetings

    return staff, day


def _move(client, meeting_id: int, slot: int, table: str, version: int):
    data = {"slot": str(slot), "table": table, "version": str(version)}
    return lambda: client.post(f"/staff/meetings/{meeting_id}/move", data=data, follow_redirects=True)


def _consistent(meeting: Meeting) -> bool:
    seats = db.session.scalars(select(MeetingSeat).where(MeetingSeat.meeting_id == meeting.id)).all()
    return len(seats) == 2 and all(seat.start_dt == meeting.start_dt for seat in seats)


def test_two_staff_moving_one_meeting_one_wins_the_other_is_told(office_day, signed_in):
    staff, day = office_day
    clients = [signed_in(person) for person in staff]
    errors, lost, broken, untold = [], 0, 0, 0
    for _ in range(TRIALS):
        event, (meeting,) = day()
        slots = event.slots()
        board = clients[0].get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
        assert f'name="version" value="{meeting.version}"' in board  # what both of them saw
        results = race(_move(clients[0], meeting.id, 1, "T1", meeting.version),
                       _move(clients[1], meeting.id, 2, "T2", meeting.version))
        errors += server_errors(results)
        db.session.expire_all()
        moved = [r for r in results if "The meeting is moved." in page(r)]
        lost += len(moved) > 1  # both were told it moved: one of the two moves is gone
        broken += not _consistent(meeting) or meeting.start_dt not in (slots[1].start, slots[2].start)
        untold += sum("changed this meeting a moment ago" not in page(r) for r in results if r not in moved)
    summary = f"{len(errors)} server errors, {lost} lost updates, {broken} broken meetings, {untold} untold losers"
    assert (len(errors), lost, broken, untold) == (0, 0, 0, 0), f"in {TRIALS} trials: {summary}"


def test_two_meetings_moved_onto_one_table_at_once(office_day, signed_in):
    staff, day = office_day
    clients = [signed_in(person) for person in staff]
    errors, doubles, untold = [], 0, 0
    for _ in range(TRIALS):
        event, meetings = day(pairs=2)
        slot = event.slots()[3]
        results = race(*(_move(c, m.id, 3, "T1", m.version) for c, m in zip(clients, meetings, strict=True)))
        errors += server_errors(results)
        db.session.expire_all()
        doubles += db.session.scalar(select(func.count()).select_from(Meeting).where(
            Meeting.event_id == event.id, Meeting.start_dt == slot.start, Meeting.table_label == "T1",
            Meeting.status == MeetingStatus.SCHEDULED)) != 1
        untold += sum("Table T1 is taken at that time." not in page(r)
                      for r in results if "The meeting is moved." not in page(r))
    summary = f"{len(errors)} server errors, {doubles} slots without exactly one meeting, {untold} untold losers"
    assert (len(errors), doubles, untold) == (0, 0, 0), f"in {TRIALS} trials: {summary}"


def test_run_scheduler_clicked_twice_queues_one_run(office_day, signed_in):
    staff, day = office_day
    clients = [signed_in(person) for person in staff]
    errors, untold = [], 0
    for _ in range(TRIALS):
        event, _ = day()
        url = f"/staff/events/{event.id}/schedule/run"
        results = race(*(lambda c=c, url=url: c.post(url, data={"time_limit": "5", "keep_placed": "y"},
                                             follow_redirects=True) for c in clients))
        errors += server_errors(results)
        started = [r for r in results if "The scheduler is running." in page(r)]
        untold += sum("A run is already queued or running for this day." not in page(r)
                      for r in results if r not in started)
        db.session.expire_all()
        runs = db.session.scalars(select(ScheduleRun).where(ScheduleRun.event_id == event.id)).all()
        assert len(runs) == len(started) >= 1
    summary = f"{len(errors)} server errors, {untold} untold second clicks"
    assert (len(errors), untold) == (0, 0), f"in {TRIALS} trials: {summary}"


def test_send_suggestions_clicked_twice_mails_each_person_once(two_by_two, make_user, signed_in):
    event, *people = two_by_two
    recommendations.compute(event)
    db.session.commit()
    staff = [make_user(Role.STAFF) for _ in range(2)]
    clients = [signed_in(person) for person in staff]
    url = f"/staff/events/{event.id}/matrix/send"
    results = race(*(lambda c=c: c.post(url, follow_redirects=True) for c in clients))
    errors = server_errors(results)
    counts = dict(db.session.execute(
        select(OutboxMessage.to_address, func.count()).where(OutboxMessage.kind == "suggestions")
        .group_by(OutboxMessage.to_address)).all())
    told = sum("Suggestions were already sent" in page(r) for r in results)
    assert (len(errors), counts, told) == (0, {p.email: 1 for p in people}, 1)
