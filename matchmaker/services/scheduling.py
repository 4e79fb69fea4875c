"""Scheduling a matchmaking day: the database turned into a schedule instance (`build_instance`, with what is
placed now as `previous_assignment`), and the draft adjusted by staff (move, swap, lock) and published.

A scheduler run's life (queued, given up) is in `services.schedule_runs`, applying its result in
`services.schedule_results`, the background job that solves in `matchmaker.tasks.scheduling`. It never commits.
"""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.domain.languages import resource_id
from matchmaker.domain.timeslots import TimeSlot
from matchmaker.enums import EventMode, MeetingStatus, OrgKind, ParticipationStatus, RequestStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingRequest, MeetingSeat, Participation, User
from matchmaker.scheduling.instance import INSTANCE_FORMAT
from matchmaker.services import ServiceError, audit, interpreters, webhooks
from matchmaker.services.confirmations import check_publishable
from matchmaker.services.invites import send_pending_invites
from matchmaker.services.locking import lock, lock_rows, refused_as
from matchmaker.services.placement import available_slots, busy_starts, place, table_ids

CHANGED_MEANWHILE = _l("Someone else changed this meeting a moment ago; the board shows it as it is now.")


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
    An online day's virtual rooms are its tables: each meeting needs one, so they limit the parallel meetings.
    """
    rooms = table_ids(event) if event.mode == EventMode.ONLINE else []
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
            "table_needed": event.mode != EventMode.ONLINE or bool(rooms),
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
        "tables": event.tables if event.mode != EventMode.ONLINE else (len(rooms) or None),
        "participants": participants,
        "meetings": meetings,
    }
    if table_ids(event):
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
    if table_ids(event):
        if table not in table_ids(event):
            raise ServiceError(_choose_table(event))
        if _table_taken(event, slot, table, meeting.id):
            raise ServiceError(_table_taken_message(event, table))
    else:
        table = None
    meeting_id = meeting.id

    def refusal() -> str:  # another move or a walk-in committed first: say which rule it now breaks
        if _table_taken(event, slot, table, meeting_id):
            return _table_taken_message(event, table)
        return gettext("One of them has just been given another meeting at that time.")

    with refused_as(refusal):
        meeting.seats.clear()
        db.session.flush()
        place(item, slot, table)
    audit.record(actor, "move_meeting", meeting, slot=slot.index, table=table)


def _choose_table(event: Event) -> str:
    if event.mode == EventMode.ONLINE:
        return gettext("Choose one of the day's rooms.")
    return gettext("Choose one of the day's tables.")


def _table_taken_message(event: Event, table: str) -> str:
    if event.mode == EventMode.ONLINE:
        return gettext("%(room)s is taken at that time.", room=table)
    return gettext("Table %(t)s is taken at that time.", t=table)


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


def publish(actor: User, event: Event, token: str | None = None) -> int:
    """Make the schedule visible to participants and send their calendars what is new since the last
    publication: an invite per meeting and attendee, an update for a moved one, a cancellation for a
    removed one. Refused while a scheduler run is queued or running, and when `token` (the preview's, see
    `confirmations.publish_preview`; None: not compared) says the schedule changed since. Returns how many
    people were notified."""
    lock_rows(Event, [event.id])  # two publishes at once take turns: the second compares its token anew
    check_publishable(event, token)
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
    webhooks.emit("schedule.published", event.program.office_id, {"event": {"id": event.id, "title": event.title}})
    return len(recipients)
