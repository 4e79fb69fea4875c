"""Meetings placed in slots: the slots free for a pair, a free table (on an online day with virtual tables, a free
room), placing a meeting (new or moved) and taking it out of its slot. Request answers, staff's moves and walk-ins
all place through here; the database refuses double booking, callers lock, check who may act and write the audit
log."""

import uuid
from datetime import datetime

from sqlalchemy import select

from matchmaker.domain import rooms
from matchmaker.domain.timeslots import TimeSlot
from matchmaker.enums import EventMode, MeetingStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingRequest, MeetingSeat, Organization
from matchmaker.services import webhooks
from matchmaker.services.availability import slots_within
from matchmaker.services.events import participation_of
from matchmaker.services.interpreters import assign_language, capacity, interpreter_free


def busy_starts(org_id: int, event: Event | None = None) -> set[datetime]:
    """Starts at which the organization already sits in a scheduled meeting, at this event or at another one
    (a seat is unique per organization and start whatever the event: an office may run two days at once)."""
    return set(db.session.scalars(select(MeetingSeat.start_dt).where(MeetingSeat.organization_id == org_id)))


def busy_starts_of(event: Event, org_ids) -> dict[int, set[datetime]]:
    """Each organization's scheduled meeting starts at the event, in one query (absent: no meeting)."""
    out: dict[int, set[datetime]] = {}
    rows = db.session.execute(
        select(MeetingSeat.organization_id, MeetingSeat.start_dt).join(Meeting).where(
            MeetingSeat.organization_id.in_(list(org_ids)), Meeting.event_id == event.id,
            Meeting.status == MeetingStatus.SCHEDULED,
        )
    )
    for org_id, start in rows:
        out.setdefault(org_id, set()).add(start)
    return out


def available_slots(event: Event, org: Organization) -> list[TimeSlot]:
    """The event's slots that lie wholly inside the organization's availability (all when unset)."""
    participation = participation_of(event, org)
    return slots_within(event.slots(), participation.availability if participation else [])


def free_slots(item: MeetingRequest) -> list[TimeSlot]:
    """Slots where both sides are available and neither has a meeting yet, with a table left (and an
    interpreter, when the pair needs one)."""
    event = item.event
    a = {s.index for s in available_slots(event, item.from_org)}
    b = {s.index for s in available_slots(event, item.to_org)}
    busy = busy_starts(item.from_org_id) | busy_starts(item.to_org_id)
    cap = capacity(event)
    return [
        s for s in event.slots()
        if s.index in a and s.index in b and s.start not in busy and free_table(event, s) is not False
        and interpreter_free(item, s.start, cap)
    ]


def table_ids(event: Event) -> list[str]:
    """The labels of the day's tables: T1…Tn in person, the rooms' labels on an online day with virtual tables;
    none when meetings need no table (an online day without rooms, or no table count)."""
    if event.mode == EventMode.ONLINE:
        return [room["label"] for room in event.virtual_rooms or []]
    return [f"T{n}" for n in range(1, (event.tables or 0) + 1)]


def free_table(event: Event, slot: TimeSlot) -> str | None | bool:
    """A free table (or room) label for the slot, None when the day has no tables, False when all are taken."""
    labels = table_ids(event)
    if not labels:
        return None
    taken = set(db.session.scalars(
        select(Meeting.table_label).where(
            Meeting.event_id == event.id, Meeting.start_dt == slot.start,
            Meeting.status == MeetingStatus.SCHEDULED,
        )
    ))
    return next((label for label in labels if label not in taken), False)


def place(item: MeetingRequest, slot: TimeSlot, table: str | None) -> Meeting:
    """Create or move the meeting of an accepted request into `slot` (the database refuses double booking). An
    online meeting of a day with a room link template gets a room of its own, a new one whenever it is moved; on a
    day with virtual tables `table` is the room, and the meeting gets its link. A scheduled meeting whose time,
    table or link changes counts as changed for calendars (its SEQUENCE goes up)."""
    meeting = item.meeting
    moved = meeting is None or meeting.status != MeetingStatus.SCHEDULED or meeting.start_dt != slot.start \
        or meeting.table_label != (table or None)
    if meeting is None:
        meeting = Meeting(
            uid=f"{uuid.uuid4()}@matchmaker", event_id=item.event_id, request=item,
            start_dt=slot.start, end_dt=slot.end,
        )
        db.session.add(meeting)
    else:
        meeting.version += 1  # a board showing the meeting before this change can no longer move it
    was = (meeting.status, meeting.start_dt, meeting.table_label, meeting.online_url)
    meeting.status = MeetingStatus.SCHEDULED
    item.unplaced_reason = None  # placed: no longer left out by a scheduler run
    meeting.start_dt, meeting.end_dt = slot.start, slot.end
    meeting.table_label = table or None
    assign_language(meeting)
    db.session.flush()
    meeting.online_url = _room_link(meeting, item.event, moved)
    if was[0] == MeetingStatus.SCHEDULED and was[1:] != (meeting.start_dt, meeting.table_label, meeting.online_url):
        meeting.sequence += 1
    existing = {seat.organization_id for seat in meeting.seats}
    for org_id in sorted((item.from_org_id, item.to_org_id)):  # one order for every writer: no deadlock
        if org_id not in existing:
            meeting.seats.append(MeetingSeat(organization_id=org_id, start_dt=slot.start))
    db.session.flush()
    if item.event.published:  # before publication the day's schedule is news once, as schedule.published
        if was[0] != MeetingStatus.SCHEDULED:
            webhooks.emit_meeting("meeting.scheduled", meeting)
        elif was[1:3] != (meeting.start_dt, meeting.table_label):
            webhooks.emit_meeting("meeting.moved", meeting)
    return meeting


def _room_link(meeting: Meeting, event: Event, moved: bool) -> str | None:
    """The meeting's link: in a virtual room, the room's; at a table, or on a day with no template, as it was (else
    the day's single link); online with a template, a new room when it is new or moved, else the room it has."""
    room = rooms.room_url(event.virtual_rooms, meeting.table_label) if event.mode == EventMode.ONLINE else None
    if room:
        return room
    template = event.room_link_template
    if meeting.table_label or not template:
        return meeting.online_url or event.online_url
    if moved or not meeting.online_url:
        return rooms.render(template, room=rooms.new_token(), meeting=meeting.id, event=event.id)
    return meeting.online_url


def unplace(meeting: Meeting) -> None:
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.version += 1
    meeting.seats.clear()
    db.session.flush()
    if meeting.event.published:
        webhooks.emit_meeting("meeting.cancelled", meeting)
