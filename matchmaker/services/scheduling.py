"""Scheduling a matchmaking day: the database turned into a schedule instance, solved in the background,
the result applied as a draft, adjusted by staff and published."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from matchmaker.database import utcnow
from matchmaker.domain.languages import resource_id
from matchmaker.domain.timeslots import TimeSlot
from matchmaker.enums import EventMode, MeetingStatus, OrgKind, ParticipationStatus, RequestStatus, RunStatus
from matchmaker.extensions import db
from matchmaker.jobs import enqueue
from matchmaker.models import Event, Meeting, MeetingRequest, MeetingSeat, Participation, ScheduleRun, User
from matchmaker.services import ServiceError, audit, interpreters
from matchmaker.services.locking import lock, refused_as
from matchmaker.services.placement import available_slots, busy_starts, place, unplace
from matchmaker.services.schedule_runs import active_run, give_up_stale_run

INSTANCE_FORMAT = "matchmaker.schedule-instance.v1"
ALREADY_ACTIVE = _l("A run is already queued or running for this day.")
CHANGED_MEANWHILE = _l("Someone else changed this meeting a moment ago; the board shows it as it is now.")


def table_ids(event: Event) -> list[str]:
    return [f"T{n}" for n in range(1, (event.tables or 0) + 1)]


def accepted_requests(event: Event) -> list[MeetingRequest]:
    return list(db.session.scalars(
        select(MeetingRequest).where(
            MeetingRequest.event_id == event.id, MeetingRequest.status == RequestStatus.ACCEPTED
        ).order_by(MeetingRequest.id)
    ))


def build_instance(event: Event, locked_only: bool = False) -> dict:
    """The event as a schedule instance (../shared/formats/schedule-instance.md).

    Meetings are the accepted requests (id = request id). Locked meetings are fixed to their slot;
    with `locked_only` false the others are free to move (the solver keeps them where they are when it can).
    """
    slots = event.slots()
    by_start = {s.start: s for s in slots}
    participations = db.session.scalars(
        select(Participation).where(
            Participation.event_id == event.id, Participation.status == ParticipationStatus.APPROVED
        )
    ).all()
    approved = {p.organization_id: p for p in participations}
    elsewhere = _meetings_elsewhere(event, list(approved), list(by_start))
    participants = []
    for p in participations:
        entry = {
            "id": str(p.organization_id),
            "side": "company" if p.organization.kind == OrgKind.COMPANY else "partner",
        }
        if p.organization.timezone:
            entry["timezone"] = p.organization.timezone
        if p.availability:
            entry["available"] = p.availability
        if p.organization_id in elsewhere:
            entry["unavailable_slots"] = sorted(str(by_start[start].index) for start in elsewhere[p.organization_id])
        if p.max_meetings is not None:
            entry["max_meetings"] = p.max_meetings
        participants.append(entry)
    meetings = []
    cap = interpreters.capacity(event)
    needed: set = set()
    for item in accepted_requests(event):
        if item.from_org_id not in approved or item.to_org_id not in approved:
            continue  # a side withdrew: nothing to schedule
        entry = {
            "id": str(item.id),
            "participants": [str(item.from_org_id), str(item.to_org_id)],
            "weight": 1 + max(item.priority, 0),
            "table_needed": event.mode != EventMode.ONLINE,
        }
        language = interpreters.language_of(item.from_org, item.to_org, cap)
        if language.needs_interpreter:
            entry["needs"] = [resource_id(language.pair)]
            needed.add(language.pair)
        meeting = item.meeting
        if meeting is not None and meeting.status == MeetingStatus.SCHEDULED and meeting.locked:
            slot = by_start.get(meeting.start_dt)
            if slot is not None:
                entry["fixed_slot"] = str(slot.index)
        meetings.append(entry)
    instance = {
        "format": INSTANCE_FORMAT,
        "name": event.title,
        "timezone": event.timezone,
        "slots": [{"id": str(s.index), "start": s.start.isoformat(), "end": s.end.isoformat()} for s in slots],
        "tables": event.tables if event.mode != EventMode.ONLINE else None,
        "participants": participants,
        "meetings": meetings,
    }
    if event.tables and event.mode != EventMode.ONLINE:
        instance["table_ids"] = table_ids(event)
    if needed:
        instance["resources"] = _interpreter_resources(slots, cap, sorted(needed))
    return instance


def _meetings_elsewhere(event: Event, org_ids: list[int], starts: list) -> dict[int, set]:
    """The starts of this day at which each organization sits in a meeting of another day (an office running
    two days at once): the scheduler must leave them out, since a seat is unique per organization and start."""
    rows = db.session.execute(
        select(MeetingSeat.organization_id, MeetingSeat.start_dt).join(Meeting).where(
            Meeting.event_id != event.id, MeetingSeat.organization_id.in_(org_ids), MeetingSeat.start_dt.in_(starts)
        )
    )
    out: dict[int, set] = {}
    for org_id, start in rows:
        out.setdefault(org_id, set()).add(start)
    return out


def _interpreter_resources(slots: list[TimeSlot], cap: interpreters.Capacity, pairs: list) -> list[dict]:
    """Interpreters as resources of the solver, one per language pair: the staff's number for every slot as
    `capacity`, and the slots where it differs (a slot's own row, or no default row) in `slot_capacity`."""
    resources = []
    for pair in pairs:
        default = cap.default.get(pair, 0)
        entry = {"id": resource_id(pair), "capacity": default}
        per_slot = {str(s.index): cap.at(pair, s.start) for s in slots}
        per_slot = {sid: count for sid, count in per_slot.items() if count != default}
        if per_slot:
            entry["slot_capacity"] = per_slot
        resources.append(entry)
    return resources


def previous_assignment(event: Event) -> dict:
    """What is placed now, as a schedule, so that re-scheduling keeps it in place (tables too)."""
    by_start = {s.start: s for s in event.slots()}
    rows = []
    for item in accepted_requests(event):
        meeting = item.meeting
        if meeting is not None and meeting.status == MeetingStatus.SCHEDULED and meeting.start_dt in by_start:
            row = {"meeting": str(item.id), "slot": str(by_start[meeting.start_dt].index)}
            if meeting.table_label:
                row["table"] = meeting.table_label
            rows.append(row)
    return {"assignments": rows}


def start_run(actor: User, event: Event, time_limit: int = 30, keep_placed: bool = True) -> ScheduleRun:
    """Queue a scheduler run; the page shows its progress and never waits for it."""
    give_up_stale_run(event)
    if active_run(event) is not None:
        raise ServiceError(str(ALREADY_ACTIVE))
    run = ScheduleRun(event_id=event.id, time_limit=time_limit, keep_placed=keep_placed,
                      created_by_id=actor.id, status=RunStatus.QUEUED, moved=[])
    with refused_as(ALREADY_ACTIVE):  # two clicks at once: the index allows one active run per day
        db.session.add(run)
    audit.record(actor, "start_schedule_run", run, event_id=event.id)
    db.session.commit()  # the job reads the run from its own session
    enqueue("matchmaker.services.scheduling:execute_run", run.id, queue="matchmaker-scheduler")  # never behind mail
    return run


def execute_run(run_id: int) -> None:
    """The background job: solve, then apply the result as the event's draft schedule."""
    from matchmaker.scheduling import parse_instance, solve, validate

    # Compare-and-set: a run given up meanwhile (or picked up by another worker) is not started.
    started = db.session.execute(
        update(ScheduleRun).where(ScheduleRun.id == run_id, ScheduleRun.status == RunStatus.QUEUED)
        .values(status=RunStatus.RUNNING, started_dt=utcnow())
    ).rowcount
    db.session.commit()
    if not started:
        return
    run = db.session.get(ScheduleRun, run_id)
    try:
        event = run.event
        instance = build_instance(event)
        previous = previous_assignment(event) if run.keep_placed else None
        parsed = parse_instance(instance)
        result = solve(parsed, time_limit=run.time_limit, workers=2, previous=previous)
        problems = validate(parsed, result) if result.status in ("optimal", "feasible") else []
        if problems:  # never apply a schedule that breaks a hard rule
            raise RuntimeError("; ".join(problems[:3]))
        schedule = result.to_dict()
        if lock(run).status != RunStatus.RUNNING:  # given up while solving: staff may have started another
            db.session.rollback()
            return
        run.instance = instance
        run.result = schedule
        if schedule["status"] in ("optimal", "feasible"):
            run.moved = apply_schedule(event, schedule)
        run.status = RunStatus.DONE
    except Exception as error:  # a failed run is shown to staff with its error, never lost
        db.session.rollback()
        run = lock(db.session.get(ScheduleRun, run_id))
        if run.status != RunStatus.RUNNING:
            db.session.rollback()
            return
        run.status = RunStatus.FAILED
        run.error = f"{type(error).__name__}: {error}"[:2000]
    run.finished_dt = utcnow()
    db.session.commit()


def apply_schedule(event: Event, schedule: dict) -> list[int]:
    """Place every assigned meeting; unplace the ones left out. Returns the request ids that moved."""
    slots = {str(s.index): s for s in event.slots()}
    requests = {str(r.id): r for r in accepted_requests(event)}
    assigned = {a["meeting"]: a for a in schedule.get("assignments", [])}
    moved = []
    # Free every seat first, so that swaps between meetings never collide mid-way.
    for key, item in requests.items():
        meeting = item.meeting
        if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
            continue
        target = assigned.get(key)
        if target is None or slots[target["slot"]].start != meeting.start_dt:
            if target is not None:
                moved.append(item.id)
            meeting.seats.clear()
    db.session.flush()
    for key, target in assigned.items():
        item = requests.get(key)
        if item is not None:
            place(item, slots[target["slot"]], target.get("table"))
    for key, item in requests.items():
        if key not in assigned and item.meeting is not None and item.meeting.status == MeetingStatus.SCHEDULED:
            unplace(item.meeting)
    return moved


def _take(meetings: list[Meeting], version: int | None = None) -> None:
    """Lock the meetings' rows (in id order) and read them again: of two staff changing one meeting at once,
    the second waits for the first, then finds the meeting changed (another version than the board it
    posted from showed, or no longer scheduled) and is told so instead of undoing the first one's work."""
    for meeting in sorted(meetings, key=lambda m: m.id):
        lock(meeting)
    if any(m.status != MeetingStatus.SCHEDULED for m in meetings):
        raise ServiceError(str(CHANGED_MEANWHILE))
    if version is not None and meetings[0].version != version:
        raise ServiceError(str(CHANGED_MEANWHILE))


def _table_taken(event: Event, slot: TimeSlot, table: str | None, meeting_id: int) -> bool:
    return table is not None and db.session.scalar(
        select(Meeting.id).where(
            Meeting.event_id == event.id, Meeting.start_dt == slot.start, Meeting.table_label == table,
            Meeting.status == MeetingStatus.SCHEDULED, Meeting.id != meeting_id,
        )
    ) is not None


def move_meeting(actor: User, meeting: Meeting, slot: TimeSlot, table: str | None, version: int | None = None) -> None:
    """Staff move a meeting: the hard rules are checked here, the database refuses double booking. `version`
    is the meeting's version the board showed (None: do not compare)."""
    _take([meeting], version)
    event = meeting.event
    item = meeting.request
    for org in (item.from_org, item.to_org):
        if slot.index not in {s.index for s in available_slots(event, org)}:
            raise ServiceError(gettext("%(name)s is not available then.", name=org.display_name))
        if slot.start != meeting.start_dt and slot.start in busy_starts(org.id, event):
            raise ServiceError(gettext("%(name)s already has a meeting then.", name=org.display_name))
    if slot.start != meeting.start_dt and not interpreters.interpreter_free(item, slot.start):
        raise ServiceError(gettext("No interpreter for their languages is free then."))
    if event.tables and event.mode != EventMode.ONLINE:
        if table not in table_ids(event):
            raise ServiceError(gettext("Choose one of the day's tables."))
        if _table_taken(event, slot, table, meeting.id):
            raise ServiceError(gettext("Table %(t)s is taken at that time.", t=table))
    else:
        table = None
    meeting_id = meeting.id

    def refusal() -> str:  # another move or a walk-in committed first: say which rule it now breaks
        if _table_taken(event, slot, table, meeting_id):
            return gettext("Table %(t)s is taken at that time.", t=table)
        return gettext("One of them has just been given another meeting at that time.")

    with refused_as(refusal):
        meeting.seats.clear()
        db.session.flush()
        place(item, slot, table)
    audit.record(actor, "move_meeting", meeting, slot=slot.index, table=table)


def swap_meetings(actor: User, first: Meeting, second: Meeting, version: int | None = None) -> None:
    """Exchange the slots and tables of two meetings of the same day, checking both against the rules.
    `version` is the first meeting's version the board showed."""
    if first.event_id != second.event_id or first.id == second.id:
        raise ServiceError(gettext("Choose two meetings of the same day."))
    _take([first, second], version)
    slots = {s.start: s for s in first.event.slots()}
    a_slot, a_table = slots[first.start_dt], first.table_label
    b_slot, b_table = slots[second.start_dt], second.table_label
    for meeting in (first, second):  # free both seats first, so the exchange never collides mid-way
        meeting.seats.clear()
        meeting.table_label = None
    db.session.flush()
    try:
        move_meeting(actor, first, b_slot, b_table)
        move_meeting(actor, second, a_slot, a_table)
    except ServiceError:
        db.session.rollback()
        raise


def set_locked(actor: User, meeting: Meeting, locked: bool) -> None:
    """Pin a meeting in place (or free it). Setting the state asked for, rather than toggling, makes a double
    click act once."""
    _take([meeting])
    if meeting.locked == locked:
        return
    meeting.locked = locked
    meeting.version += 1
    audit.record(actor, "lock_meeting" if locked else "unlock_meeting", meeting)


def publish(actor: User, event: Event) -> int:
    """Make the schedule visible to participants and send their calendars what is new since the last
    publication: an invite per meeting and attendee, an update for a moved one, a cancellation for a
    removed one. Returns how many people were notified."""
    from matchmaker.services.invites import send_pending_invites

    scheduled = db.session.scalar(
        select(Meeting.id).where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.SCHEDULED).limit(1)
    )
    if scheduled is None:
        raise ServiceError(gettext("There is no scheduled meeting to publish."))
    event.published = True
    event.published_dt = utcnow()
    recipients: set[str] = set()
    count = send_pending_invites(event, recipients)
    audit.record(actor, "publish_schedule", event, messages=count, recipients=len(recipients))
    return len(recipients)
