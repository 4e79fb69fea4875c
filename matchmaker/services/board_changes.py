"""Changes staff make on the schedule board, and the undo of the last one: move a meeting, swap two, place an
accepted request in a free cell. The rules are checked by `services.scheduling` (move, swap) and
`domain.board_cells` (placing); a locked meeting stays where it is.

Each change leaves an audit entry "board_change" on the event with what it replaced (each meeting's seat before,
and its version after): `undo` puts the staff member's last change back, refused when one of its meetings changed
since (its version moved on). It never commits.
"""

from flask_babel import gettext
from sqlalchemy import select

from matchmaker.domain.board_cells import blocked_cells
from matchmaker.domain.timeslots import TimeSlot
from matchmaker.enums import MeetingStatus, RequestStatus
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Event, Meeting, MeetingRequest, User
from matchmaker.services import ServiceError, audit
from matchmaker.services import scheduling as service
from matchmaker.services.board_rules import LOCKED, card_of_request, names_of, read_day, reason
from matchmaker.services.locking import lock, refused_as
from matchmaker.services.placement import place, table_ids, unplace

CHANGE, UNDO = "board_change", "board_undo"


def _seat(meeting: Meeting) -> dict:
    return {"meeting": meeting.id, "start": meeting.start_dt.isoformat() if meeting.start_dt else None,
            "table": meeting.table_label}


def _remember(actor: User, event: Event, before: list[dict], meetings: list[Meeting]) -> None:
    db.session.flush()
    versions = {m.id: m.version for m in meetings}
    audit.record(actor, CHANGE, event, seats=[{**seat, "version": versions[seat["meeting"]]} for seat in before])


def _unlocked(*meetings: Meeting) -> None:
    if any(m.locked for m in meetings):
        raise ServiceError(str(LOCKED))


def move(actor: User, meeting: Meeting, slot: TimeSlot, table: str | None, version: int | None = None) -> None:
    """Move a meeting to a slot and table (`scheduling.move_meeting`), remembering where it was."""
    _unlocked(meeting)
    before = [_seat(meeting)]
    service.move_meeting(actor, meeting, slot, table, version=version)
    _remember(actor, meeting.event, before, [meeting])


def swap(actor: User, first: Meeting, second: Meeting, version: int | None = None,
         other_version: int | None = None) -> None:
    """Exchange two meetings' seats (`scheduling.swap_meetings`); `other_version` is the second's version the
    board showed (None: not compared)."""
    if other_version is not None and lock(second).version != other_version:
        raise ServiceError(str(service.CHANGED_MEANWHILE))
    _unlocked(first, second)
    before = [_seat(first), _seat(second)]
    service.swap_meetings(actor, first, second, version=version)
    _remember(actor, first.event, before, [first, second])


def place_request(actor: User, item: MeetingRequest, slot: TimeSlot, table: str | None) -> Meeting:
    """Place an accepted request not placed yet in a free cell, checked against the day's rules."""
    event = item.event
    if item.status != RequestStatus.ACCEPTED or (item.meeting and item.meeting.status == MeetingStatus.SCHEDULED):
        raise ServiceError(gettext("This request is no longer waiting for a place."))
    meetings = list(db.session.scalars(select(Meeting).where(
        Meeting.event_id == event.id, Meeting.status == MeetingStatus.SCHEDULED)))
    block = blocked_cells(card_of_request(item, event), read_day(event, meetings)).moves.get(slot.index)
    if block is not None:
        raise ServiceError(reason(block, names_of(meetings, item.from_org, item.to_org)))
    tables = table_ids(event)
    if tables and table not in tables:
        raise ServiceError(gettext("Choose one of the day's tables."))
    if tables and any(m.start_dt == slot.start and m.table_label == table for m in meetings):
        raise ServiceError(gettext("Table %(t)s is taken at that time.", t=table))
    with refused_as(gettext("One of them has just been given another meeting at that time.")):
        meeting = place(item, slot, table if tables else None)
    audit.record(actor, "place_meeting", meeting, slot=slot.index, table=meeting.table_label)
    _remember(actor, event, [{"meeting": meeting.id, "start": None, "table": None}], [meeting])
    return meeting


def last_change(actor: User, event: Event) -> AuditLog | None:
    """The staff member's last board change on the day, if it was not undone yet."""
    entry = db.session.scalar(
        select(AuditLog).where(AuditLog.actor_id == actor.id, AuditLog.object_type == "Event",
                               AuditLog.object_id == event.id, AuditLog.action.in_((CHANGE, UNDO)))
        .order_by(AuditLog.id.desc()).limit(1))
    return entry if entry is not None and entry.action == CHANGE else None


def undo(actor: User, event: Event) -> None:
    """Put the staff member's last board change on `event` back; refused when nothing is left to undo or when one
    of its meetings changed since."""
    entry = last_change(actor, event)
    if entry is None:
        raise ServiceError(gettext("There is no change of yours to undo."))
    seats = entry.details["seats"]
    meetings = [db.session.get(Meeting, seat["meeting"]) for seat in seats]
    for meeting, seat in zip(meetings, seats, strict=True):
        if meeting is None or lock(meeting).version != seat["version"] or meeting.status != MeetingStatus.SCHEDULED:
            raise ServiceError(gettext("The meeting has changed since; the last change cannot be undone."))
    slots = {s.start.isoformat(): s for s in event.slots()}
    if len(meetings) == 2:
        service.swap_meetings(actor, meetings[0], meetings[1])
    elif seats[0]["start"] is None:
        unplace(meetings[0])
        audit.record(actor, "unplace_meeting", meetings[0])
    elif seats[0]["start"] in slots:
        service.move_meeting(actor, meetings[0], slots[seats[0]["start"]], seats[0]["table"])
    else:
        raise ServiceError(gettext("The meeting has changed since; the last change cannot be undone."))
    audit.record(actor, UNDO, event, undone=entry.id)
