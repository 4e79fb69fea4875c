"""Scheduling a day from the database: instance building, a solver run, moves, locks, publication."""

from datetime import time, timedelta

import pytest
from builders.clients import switch_user
from builders.scheduling import run_scheduler
from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.enums import EventMode, MeetingStatus, OrgKind, RequestStatus, Role, RunStatus
from matchmaker.extensions import db
from matchmaker.models import Meeting, MeetingRequest, OutboxMessage, ScheduleRun
from matchmaker.services import ServiceError
from matchmaker.services import scheduling as service
from matchmaker.services.availability import slots_to_windows
from matchmaker.services.placement import place
from matchmaker.services.schedule_results import apply_schedule
from matchmaker.services.schedule_runs import GAVE_UP_QUEUED, GAVE_UP_RUNNING, RUN_MARGIN
from matchmaker.tasks.scheduling import execute_run


@pytest.fixture
def day(make_user, make_org, make_event, make_participation, make_office, make_program, auth):
    """An in-person day with 4 slots and 2 tables; three companies, two buyers, five accepted pairs."""
    office = make_office()
    event = make_event(program=make_program(office=office), mode=EventMode.IN_PERSON, venue="Hall",
                       timezone="Asia/Jakarta", day_start=time(9), day_end=time(11), tables=2)
    companies = [make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY)) for _ in range(3)]
    buyers = [make_user(Role.PARTNER, organization=make_org(OrgKind.BUYER)) for _ in range(2)]
    parts = {u.organization_id: make_participation(event, u.organization) for u in companies + buyers}
    pairs = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0)]
    items = [MeetingRequest(event_id=event.id, from_org_id=companies[c].organization_id,
                            to_org_id=buyers[b].organization_id, status=RequestStatus.ACCEPTED) for c, b in pairs]
    db.session.add_all(items)
    db.session.commit()
    staff = make_user(Role.STAFF, office=office)
    auth.login(staff)
    # Tests name the requests by their place in `pairs` (ids differ between databases).
    event.test_request_ids = [item.id for item in items]
    return event, companies, buyers, parts, staff


def _placed(event) -> dict[int, Meeting]:
    return {m.request_id: m for m in db.session.scalars(
        select(Meeting).where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.SCHEDULED))}


def test_instance_reflects_tables_availability_and_locks(day):
    event, companies, buyers, parts, _ = day
    parts[buyers[1].organization_id].availability = slots_to_windows(event.slots()[2:])
    db.session.commit()
    instance = service.build_instance(event)
    assert instance["tables"] == 2 and instance["table_ids"] == ["T1", "T2"]
    assert [s["id"] for s in instance["slots"]] == ["0", "1", "2", "3"]
    assert len(instance["meetings"]) == 5
    assert all(m["table_needed"] for m in instance["meetings"])
    late = next(p for p in instance["participants"] if p["id"] == str(buyers[1].organization_id))
    assert late["available"] == parts[buyers[1].organization_id].availability


def test_board_run_places_every_meeting_within_the_rules(client, day):
    event, companies, buyers, parts, _ = day
    parts[buyers[1].organization_id].availability = slots_to_windows(event.slots()[2:])
    db.session.commit()
    response = client.post(f"/staff/events/{event.id}/schedule/run", data={"time_limit": "10", "keep_placed": "y"})
    assert response.status_code == 302
    run = db.session.scalars(select(ScheduleRun)).one()
    assert run.status == RunStatus.DONE, run.error
    assert run.result["status"] == "optimal"
    placed = _placed(event)
    assert len(placed) == 5
    starts = {s.start: s.index for s in event.slots()}
    for meeting in placed.values():
        seats = {seat.organization_id for seat in meeting.seats}
        assert len(seats) == 2
        if buyers[1].organization_id in seats:
            assert starts[meeting.start_dt] >= 2
    per_slot: dict = {}
    for meeting in placed.values():
        per_slot.setdefault(meeting.start_dt, set()).add(meeting.table_label)
    assert all(len(tables) == len([m for m in placed.values() if m.start_dt == start])
               for start, tables in per_slot.items())
    page = client.get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
    assert companies[2].organization.name in page


def test_move_checks_availability_double_booking_and_tables(day):
    event, companies, buyers, parts, staff = day
    run_scheduler(staff, event, time_limit=10)
    placed = _placed(event)
    slots = event.slots()
    ids = event.test_request_ids
    first, second = placed[ids[0]], placed[ids[1]]  # both involve company 0
    with pytest.raises(ServiceError, match="already has a meeting then"):
        service.move_meeting(staff, first, next(s for s in slots if s.start == second.start_dt),
                             first.table_label)
    parts[companies[0].organization_id].availability = slots_to_windows([slots[0], slots[1], slots[2]])
    db.session.commit()
    with pytest.raises(ServiceError, match="is not available then"):
        service.move_meeting(staff, first, slots[3], "T1")
    db.session.rollback()


def test_swap_on_the_board_exchanges_slots_and_tables(client, day):
    event, companies, buyers, parts, staff = day
    run_scheduler(staff, event, time_limit=10)
    placed = _placed(event)
    ids = event.test_request_ids
    # Pairs 0 (company 0 - buyer 0) and 3 (company 1 - buyer 1) share nobody, so they can always swap.
    first, second = placed[ids[0]], placed[ids[3]]
    before = {m.id: (m.start_dt, m.table_label) for m in (first, second)}

    response = client.post(f"/staff/meetings/{first.id}/swap", data={"other": str(second.id)})

    assert response.status_code == 302
    db.session.expire_all()
    after = {m.id: (m.start_dt, m.table_label) for m in (db.session.get(Meeting, first.id),
                                                          db.session.get(Meeting, second.id))}
    assert after == {first.id: before[second.id], second.id: before[first.id]}
    seats = {(s.organization_id, s.start_dt) for m in (first, second) for s in db.session.get(Meeting, m.id).seats}
    assert seats == {(companies[0].organization_id, before[second.id][0]),
                     (buyers[0].organization_id, before[second.id][0]),
                     (companies[1].organization_id, before[first.id][0]),
                     (buyers[1].organization_id, before[first.id][0])}


def test_locked_meeting_stays_when_the_scheduler_runs_again(day):
    event, companies, buyers, parts, staff = day
    run_scheduler(staff, event, time_limit=10)
    last = event.test_request_ids[4]
    meeting = _placed(event)[last]
    service.set_locked(staff, meeting, True)
    db.session.commit()
    fixed = next(m for m in service.build_instance(event)["meetings"] if m["id"] == str(last))
    assert fixed["fixed_slot"] == str(next(s.index for s in event.slots() if s.start == meeting.start_dt))
    before = meeting.start_dt
    run_scheduler(staff, event, time_limit=10, keep_placed=False)
    db.session.refresh(meeting)
    assert meeting.start_dt == before


def test_rescheduling_after_a_cancellation_moves_nobody(day):
    from matchmaker.services.meetings import cancel

    event, companies, buyers, parts, staff = day
    run_scheduler(staff, event, time_limit=10)
    before = {rid: (m.start_dt, m.table_label) for rid, m in _placed(event).items()}
    third = event.test_request_ids[2]
    cancel(staff, db.session.get(MeetingRequest, third))
    db.session.commit()
    run = run_scheduler(staff, event, time_limit=10)
    db.session.refresh(run)
    assert run.moved == []
    after = {rid: m.start_dt for rid, m in _placed(event).items()}
    assert after == {rid: start for rid, (start, _) in before.items() if rid != third}


def test_publish_notifies_each_participant_and_shows_agenda(client, day):
    event, companies, buyers, parts, staff = day
    client.post(f"/staff/events/{event.id}/schedule/run", data={"time_limit": "10"})
    member = companies[0]
    switch_user(client, member)
    assert client.get("/agenda").get_data(as_text=True).count("/meetings/") == 0  # not published yet
    switch_user(client, staff)
    client.post(f"/staff/events/{event.id}/schedule/publish")
    db.session.refresh(event)
    assert event.published
    invites = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invite")).all()
    assert len(invites) == 2 * 5  # one per attendee per meeting
    assert {m.to_address for m in invites} == {u.email for u in companies + buyers}
    switch_user(client, member)
    assert client.get("/agenda").get_data(as_text=True).count('href="/meetings/') == 2


def test_the_board_says_what_publishing_will_e_mail_before_it_is_done(client, day):
    event, *_ = day
    client.post(f"/staff/events/{event.id}/schedule/run", data={"time_limit": "10"})
    page = client.get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
    assert "e-mails both sides of 5 new, moved or cancelled meetings" in page
    client.post(f"/staff/events/{event.id}/schedule/publish")
    page = client.get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
    assert "Nothing has changed since the last publication: publishing again e-mails no one." in page
    meeting = next(iter(_placed(event).values()))
    service.set_locked(day[4], meeting, True)  # a lock is no change participants see
    place(meeting.request, event.slots()[3], "T2" if meeting.table_label == "T1" else "T1")
    db.session.commit()
    page = client.get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
    assert "e-mails both sides of 1 new, moved or cancelled meeting," in page


@pytest.mark.parametrize("other", ["99999", "99999999999999999999", "-3", "abc", ""])
def test_a_swap_with_a_meeting_number_typed_wrong_says_so_on_the_board(client, day, other):
    event, companies, buyers, parts, staff = day
    run_scheduler(staff, event, time_limit=10)
    meeting = next(iter(_placed(event).values()))
    response = client.post(f"/staff/meetings/{meeting.id}/swap", data={"other": other}, follow_redirects=True)
    assert response.status_code == 200 and response.request.path == f"/staff/events/{event.id}/schedule"
    assert "Choose the meeting to swap with." in response.get_data(as_text=True)


def _stuck_run(event, status: RunStatus, age: timedelta, time_limit: int = 30) -> ScheduleRun:
    """A run a lost worker (or an unreachable Redis) left behind, `age` ago."""
    run = ScheduleRun(event_id=event.id, status=status, time_limit=time_limit, moved=[],
                      created_dt=utcnow() - age, started_dt=utcnow() - age if status == RunStatus.RUNNING else None)
    db.session.add(run)
    db.session.commit()
    return run


def test_a_run_left_queued_is_given_up_when_the_board_is_looked_at_and_can_start_again(client, day):
    event, companies, buyers, parts, staff = day
    stuck = _stuck_run(event, RunStatus.QUEUED, timedelta(seconds=30) + RUN_MARGIN + timedelta(seconds=1))
    page = client.get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
    assert "It never started: no worker took it up within 6 minutes" in page
    db.session.refresh(stuck)
    assert (stuck.status, stuck.error) == (RunStatus.FAILED, GAVE_UP_QUEUED)

    page = client.post(f"/staff/events/{event.id}/schedule/run", data={"time_limit": "10", "keep_placed": "y"},
                       follow_redirects=True).get_data(as_text=True)
    assert "The scheduler is running." in page
    fresh = db.session.scalars(select(ScheduleRun).where(ScheduleRun.id != stuck.id)).one()
    assert fresh.status == RunStatus.DONE, fresh.error
    execute_run(stuck.id)  # the lost job turns up after all: it neither starts nor applies anything
    db.session.refresh(stuck)
    assert (stuck.status, stuck.started_dt) == (RunStatus.FAILED, None)


def test_a_run_left_running_past_its_limit_is_given_up_when_another_starts(client, day):
    event, companies, buyers, parts, staff = day
    stuck = _stuck_run(event, RunStatus.RUNNING, timedelta(seconds=30) + RUN_MARGIN + timedelta(seconds=1))
    run = run_scheduler(staff, event, time_limit=10)
    db.session.refresh(stuck)
    assert (stuck.status, stuck.error) == (RunStatus.FAILED, GAVE_UP_RUNNING)
    assert run.status == RunStatus.DONE
    client.get(f"/staff/events/{event.id}/schedule")  # the newest run is shown; the given-up one stays failed
    db.session.refresh(stuck)
    assert stuck.status == RunStatus.FAILED


def test_a_run_within_its_limit_blocks_a_second_one_with_a_message(client, day):
    event, companies, buyers, parts, staff = day
    waiting = _stuck_run(event, RunStatus.QUEUED, timedelta(seconds=30) + RUN_MARGIN - timedelta(seconds=5))
    page = client.post(f"/staff/events/{event.id}/schedule/run", data={"time_limit": "10", "keep_placed": "y"},
                       follow_redirects=True).get_data(as_text=True)
    assert "A run is already queued or running for this day." in page
    assert "waiting to start since" in page
    db.session.refresh(waiting)
    assert waiting.status == RunStatus.QUEUED
    assert db.session.scalars(select(ScheduleRun)).all() == [waiting]


def test_a_move_from_an_outdated_board_is_refused_and_the_newer_move_kept(client, day):
    """Two staff look at the board; the first moves a meeting; the second, still seeing the old board, moves
    it elsewhere. Without versions the second silently undid the first (a lost update)."""
    event, companies, buyers, parts, staff = day
    run_scheduler(staff, event, time_limit=10)
    meeting = _placed(event)[event.test_request_ids[4]]
    seen = meeting.version
    board = client.get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
    assert f'name="version" value="{seen}"' in board
    slots = event.slots()
    free = [(s, t) for s in slots for t in ("T1", "T2")
            if not any(m.start_dt == s.start and m.table_label == t for m in _placed(event).values())]
    company = meeting.request.from_org_id
    busy = {m.start_dt for m in _placed(event).values() if company in {x.organization_id for x in m.seats}}
    (first_slot, first_table), (second_slot, second_table) = [(s, t) for s, t in free if s.start not in busy][:2]

    service.move_meeting(staff, meeting, first_slot, first_table, version=seen)
    db.session.commit()
    response = client.post(f"/staff/meetings/{meeting.id}/move", follow_redirects=True, data={
        "slot": str(second_slot.index), "table": second_table, "version": str(seen)})
    assert "Someone else changed this meeting a moment ago" in response.get_data(as_text=True)
    db.session.refresh(meeting)
    assert (meeting.start_dt, meeting.table_label) == (first_slot.start, first_table)
    assert meeting.version == seen + 1


def test_lock_clicked_twice_stays_locked(client, day):
    event, companies, buyers, parts, staff = day
    run_scheduler(staff, event, time_limit=10)
    meeting = _placed(event)[event.test_request_ids[0]]
    for _ in range(2):
        assert client.post(f"/staff/meetings/{meeting.id}/lock", data={"locked": "1"}).status_code == 302
    db.session.refresh(meeting)
    assert meeting.locked
    client.post(f"/staff/meetings/{meeting.id}/lock", data={"locked": "0"})
    db.session.refresh(meeting)
    assert not meeting.locked


def test_with_redis_down_a_run_still_runs_and_no_page_fails(app, client, day, monkeypatch):
    """REDIS_URL on a closed port: the run used to stay queued forever (and block the day's next runs)."""
    from matchmaker.jobs import wait_for_background

    event, companies, buyers, parts, staff = day
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(app.config, "JOBS_MODE", "rq")
    response = client.post(f"/staff/events/{event.id}/schedule/run", data={"time_limit": "5", "keep_placed": "y"})
    assert response.status_code == 302
    assert wait_for_background(60)
    run = db.session.scalars(select(ScheduleRun)).one()
    db.session.refresh(run)
    assert run.status == RunStatus.DONE, run.error
    assert len(_placed(event)) == 5
    page = client.get(f"/staff/events/{event.id}/schedule")
    assert page.status_code == 200 and "waiting to start" not in page.get_data(as_text=True)


def test_the_scheduler_leaves_out_times_a_participant_meets_at_another_day(day, make_event, make_org,
                                                                            make_participation, add_meeting):
    """The office runs a second day at the same hours: a company already meeting there at 09:00 is not
    available at 09:00 here (applying such a schedule failed on the seat's unique key)."""
    event, companies, buyers, parts, staff = day
    twin = make_event(program=event.program, mode=EventMode.IN_PERSON, venue="Annex", timezone=event.timezone,
                      date=event.date, day_start=time(9), day_end=time(11), tables=2)
    other = make_org(OrgKind.BUYER)
    busy = companies[0].organization
    for org in (busy, other):
        make_participation(twin, org)
    elsewhere = MeetingRequest(event_id=twin.id, from_org_id=busy.id, to_org_id=other.id,
                               status=RequestStatus.ACCEPTED)
    db.session.add(elsewhere)
    db.session.commit()
    add_meeting(elsewhere, slot=0)
    entry = next(p for p in service.build_instance(event)["participants"] if p["id"] == str(busy.id))
    assert entry["unavailable_slots"] == ["0"]
    run = run_scheduler(staff, event, time_limit=10)
    assert run.status == RunStatus.DONE, run.error
    starts = {m.start_dt for m in _placed(event).values() if busy.id in {x.organization_id for x in m.seats}}
    assert event.slots()[0].start not in starts


def test_a_run_that_exchanges_tables_or_gives_a_left_out_meetings_table_to_another_is_applied(day):
    """The result is applied meeting by meeting: two meetings trading tables in one slot, or a meeting taking the
    table of one the run leaves out, must not meet the one-meeting-per-table rule half-way."""
    event, *_ = day
    first, second, left_out, newcomer = (db.session.get(MeetingRequest, event.test_request_ids[n])
                                         for n in (0, 3, 1, 2))
    slots = event.slots()
    place(first, slots[0], "T1")
    place(second, slots[0], "T2")
    place(left_out, slots[1], "T1")
    db.session.commit()
    schedule = {"assignments": [
        {"meeting": str(first.id), "slot": str(slots[0].index), "table": "T2"},
        {"meeting": str(second.id), "slot": str(slots[0].index), "table": "T1"},
        {"meeting": str(newcomer.id), "slot": str(slots[1].index), "table": "T1"},
    ]}
    apply_schedule(event, schedule)
    db.session.commit()
    placed = {rid: (m.start_dt, m.table_label) for rid, m in _placed(event).items()}
    assert placed == {first.id: (slots[0].start, "T2"), second.id: (slots[0].start, "T1"),
                      newcomer.id: (slots[1].start, "T1")}
