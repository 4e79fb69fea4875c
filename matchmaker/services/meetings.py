"""Meeting requests from asking to answering, and meetings placed in slots."""

import uuid
from datetime import datetime

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from matchmaker.database import utcnow
from matchmaker.domain.timeslots import TimeSlot
from matchmaker.enums import (
    MeetingStatus,
    OrgKind,
    PairRuleKind,
    ParticipationStatus,
    RequestStatus,
    SchedulingMode,
)
from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    Organization,
    PairRule,
    Participation,
    User,
)
from matchmaker.services import ServiceError, audit
from matchmaker.services.availability import slots_within
from matchmaker.services.events import participation_of
from matchmaker.services.interpreters import assign_language, capacity, interpreter_free
from matchmaker.services.locking import lock, lock_rows, refused_as
from matchmaker.services.mail import queue_email

OPEN = (RequestStatus.REQUESTED,)
# The losing side of a race for a slot: the other transaction took the table or a seat first.
TAKEN = _l("This time was just taken; please choose another.")
NOT_FREE = _l("This time is no longer free for both of you; choose another.")


def _approved(event: Event, org: Organization) -> bool:
    participation = participation_of(event, org)
    return participation is not None and participation.status == ParticipationStatus.APPROVED


def pair_rule(event: Event, a: int, b: int) -> PairRule | None:
    return db.session.scalar(
        select(PairRule).where(
            PairRule.event_id == event.id, PairRule.org_low_id == min(a, b), PairRule.org_high_id == max(a, b)
        )
    )


def existing_request(event: Event, a: int, b: int) -> MeetingRequest | None:
    return db.session.scalar(
        select(MeetingRequest).where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.org_low_id == min(a, b),
            MeetingRequest.org_high_id == max(a, b),
        )
    )


def deadline_passed(event: Event, now: datetime | None = None) -> bool:
    return event.request_deadline_dt is not None and (now or utcnow()) >= event.request_deadline_dt


def open_requests_sent(event: Event, org: Organization) -> int:
    return db.session.scalar(
        select(func.count()).select_from(MeetingRequest).where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.from_org_id == org.id,
            MeetingRequest.status.in_(OPEN),
        )
    )


def check_can_request(event: Event, sender: Organization, target: Organization) -> None:
    """Raise ServiceError with the reason when `sender` may not ask `target` for a meeting."""
    if sender.id == target.id:
        raise ServiceError(gettext("You cannot request a meeting with yourself."))
    if (sender.kind == OrgKind.COMPANY) == (target.kind == OrgKind.COMPANY):
        raise ServiceError(gettext("Companies meet investors and buyers, not their own side."))
    if not _approved(event, sender):
        raise ServiceError(gettext("Your organization is not approved for this matchmaking day."))
    if not _approved(event, target):
        raise ServiceError(gettext("This organization does not take part in this matchmaking day."))
    if deadline_passed(event):
        raise ServiceError(gettext("The deadline for meeting requests has passed."))
    rule = pair_rule(event, sender.id, target.id)
    if rule is not None and rule.kind == PairRuleKind.FORBIDDEN:
        raise ServiceError(gettext("The office does not offer this meeting."))
    if existing_request(event, sender.id, target.id) is not None:
        raise ServiceError(gettext("There is already a request between your organizations for this day."))
    if event.max_open_requests is not None and open_requests_sent(event, sender) >= event.max_open_requests:
        raise ServiceError(
            ngettext(
                "You may have at most %(num)d request waiting for an answer.",
                "You may have at most %(num)d requests waiting for an answer.",
                event.max_open_requests,
            )
        )


def request_meeting(actor: User, event: Event, target: Organization, message: str | None) -> MeetingRequest:
    sender = participation_of(event, actor.organization)
    if sender is not None:  # one sender's requests take turns, so two tabs cannot both pass the cap
        lock_rows(Participation, [sender.id])
    check_can_request(event, actor.organization, target)
    item = MeetingRequest(
        event_id=event.id, from_org_id=actor.organization_id, to_org_id=target.id,
        message=(message or "").strip() or None, created_by_id=actor.id,
    )
    # The same request posted twice at once: the pair's unique key lets the first in, the second is told.
    with refused_as(_l("There is already a request between your organizations for this day.")):
        db.session.add(item)
    audit.record(actor, "request_meeting", item, to_org_id=target.id)
    _notify(target, item, _l("New meeting request from %(name)s", name=actor.organization.display_name),
            "request_received", "request_received")
    return item


def edit_request(actor: User, item: MeetingRequest, message: str | None) -> None:
    if item.from_org_id != actor.organization_id:
        raise ServiceError(gettext("Only the organization that sent the request can edit it."))
    lock(item)
    if item.status != RequestStatus.REQUESTED:
        raise ServiceError(gettext("Only a request that waits for an answer can be edited."))
    item.message = (message or "").strip() or None
    audit.record(actor, "edit_request", item)


def _require_receiver(actor: User, item: MeetingRequest) -> None:
    if item.to_org_id != actor.organization_id:
        raise ServiceError(gettext("Only the organization that received the request can answer it."))
    # A double click, a second tab or the other side cancelling: the row lock makes the answers take turns,
    # and each one checks the status the previous one left.
    lock(item)
    expire_if_due(item)
    if item.status == RequestStatus.ACCEPTED:
        raise ServiceError(gettext("This request is already accepted."))
    if item.status == RequestStatus.DECLINED:
        raise ServiceError(gettext("This request is already declined."))
    if item.status != RequestStatus.REQUESTED:
        raise ServiceError(gettext("This request is no longer waiting for an answer."))


def accept(actor: User, item: MeetingRequest, slot: TimeSlot | None = None, table: str | None = None) -> None:
    """Accept a request. When participants pick slots, the meeting is placed in `slot` at once."""
    _require_receiver(actor, item)
    event = item.event
    if event.scheduling == SchedulingMode.PICK:
        if slot is None:
            raise ServiceError(gettext("Choose a time for the meeting."))
        # Placements at one event take turns, so the free tables are counted after the previous one committed.
        lock_rows(Event, [event.id])
        if slot.index not in {s.index for s in free_slots(item)}:
            raise ServiceError(str(NOT_FREE))
    item.status = RequestStatus.ACCEPTED
    item.responded_dt = utcnow()
    if event.scheduling == SchedulingMode.PICK:
        with refused_as(TAKEN):  # a seat taken at the same instant at another event, or a table by a walk-in
            place(item, slot, table=table or _free_table(event, slot))
    audit.record(actor, "accept", item, slot=slot.index if slot else None)
    _notify(item.from_org, item, _l("%(name)s accepted your meeting request", name=item.to_org.display_name),
            "request_accepted", "request_answered")


def decline(actor: User, item: MeetingRequest) -> None:
    _require_receiver(actor, item)
    item.status = RequestStatus.DECLINED
    item.responded_dt = utcnow()
    audit.record(actor, "decline", item)
    _notify(item.from_org, item, _l("%(name)s declined your meeting request", name=item.to_org.display_name),
            "request_declined", "request_answered")


def cancel(actor: User, item: MeetingRequest) -> None:
    """Either side (or staff) cancels; a placed meeting is cancelled with it and its slot freed."""
    if not (actor.is_staff or item.involves(actor.organization_id)):
        raise ServiceError(gettext("You cannot cancel this request."))
    lock(item)
    if item.status not in (RequestStatus.REQUESTED, RequestStatus.ACCEPTED):
        raise ServiceError(gettext("This request is already closed."))
    item.status = RequestStatus.CANCELLED
    item.responded_dt = utcnow()
    if item.meeting is not None and item.meeting.status == MeetingStatus.SCHEDULED:
        unplace(item.meeting)
        if item.event.published and item.meeting.invited_sequence is not None:
            from matchmaker.services.invites import queue_invites

            queue_invites(item.meeting, cancel=True)  # calendars drop it now, not at the next publication
    audit.record(actor, "cancel", item)
    others = [item.from_org, item.to_org] if actor.is_staff else [
        item.to_org if actor.organization_id == item.from_org_id else item.from_org
    ]
    for org in others:
        _notify(org, item, _l("A meeting request was cancelled"), "request_cancelled", "request_answered")


def expire_if_due(item: MeetingRequest, now: datetime | None = None) -> bool:
    if item.status == RequestStatus.REQUESTED and deadline_passed(item.event, now):
        item.status = RequestStatus.EXPIRED
        audit.record(None, "expire", item)
        return True
    return False


def expire_due_requests(now: datetime | None = None) -> int:
    """Close every waiting request whose event's deadline has passed (run by views and by cron)."""
    now = now or utcnow()
    due = db.session.scalars(
        select(MeetingRequest).join(Event).where(
            MeetingRequest.status == RequestStatus.REQUESTED,
            Event.request_deadline_dt.is_not(None),
            Event.request_deadline_dt <= now,
        )
    ).all()
    return sum(expire_if_due(item, now) for item in due)


# --- Placing meetings in slots ---------------------------------------------------------------


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
        if s.index in a and s.index in b and s.start not in busy and _free_table(event, s) is not False
        and interpreter_free(item, s.start, cap)
    ]


def _free_table(event: Event, slot: TimeSlot) -> str | None | bool:
    """A free table label for the slot, None when the day has no tables, False when all are taken."""
    if not event.tables:
        return None
    taken = set(db.session.scalars(
        select(Meeting.table_label).where(
            Meeting.event_id == event.id, Meeting.start_dt == slot.start,
            Meeting.status == MeetingStatus.SCHEDULED,
        )
    ))
    for n in range(1, event.tables + 1):
        if f"T{n}" not in taken:
            return f"T{n}"
    return False


def place(item: MeetingRequest, slot: TimeSlot, table: str | None) -> Meeting:
    """Create or move the meeting of an accepted request into `slot` (the database refuses double booking)."""
    meeting = item.meeting
    if meeting is None:
        meeting = Meeting(
            uid=f"{uuid.uuid4()}@matchmaker", event_id=item.event_id, request=item,
            start_dt=slot.start, end_dt=slot.end,
        )
        db.session.add(meeting)
    else:
        meeting.version += 1  # a board showing the meeting before this change can no longer move it
        if meeting.status == MeetingStatus.SCHEDULED and meeting.start_dt != slot.start:
            meeting.sequence += 1
    meeting.status = MeetingStatus.SCHEDULED
    meeting.start_dt, meeting.end_dt = slot.start, slot.end
    meeting.table_label = table or None
    meeting.online_url = meeting.online_url or item.event.online_url
    assign_language(meeting)
    db.session.flush()
    existing = {seat.organization_id for seat in meeting.seats}
    for org_id in sorted((item.from_org_id, item.to_org_id)):  # one order for every writer: no deadlock
        if org_id not in existing:
            meeting.seats.append(MeetingSeat(organization_id=org_id, start_dt=slot.start))
    db.session.flush()
    return meeting


def unplace(meeting: Meeting) -> None:
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.version += 1
    meeting.seats.clear()
    db.session.flush()


# --- Staff ------------------------------------------------------------------------------------


def set_pair_rule(actor: User, event: Event, a: Organization, b: Organization, kind: PairRuleKind | None) -> None:
    """Force or forbid a pair (None removes the rule). Forcing creates an accepted request; forbidding
    cancels an open one."""
    if (a.kind == OrgKind.COMPANY) == (b.kind == OrgKind.COMPANY):
        raise ServiceError(gettext("A pair is one company and one investor or buyer."))
    rule = pair_rule(event, a.id, b.id)
    if kind is None:
        if rule is not None:
            db.session.delete(rule)
        audit.record(actor, "clear_pair_rule", event, a=a.id, b=b.id)
        return
    if rule is None:
        rule = PairRule.for_pair(event.id, a.id, b.id, kind)
        rule.created_by_id = actor.id
        db.session.add(rule)
    rule.kind = kind
    item = existing_request(event, a.id, b.id)
    if kind == PairRuleKind.FORCED:
        company, partner = (a, b) if a.kind == OrgKind.COMPANY else (b, a)
        if item is None:
            item = MeetingRequest(event_id=event.id, from_org_id=company.id, to_org_id=partner.id,
                                  created_by_id=actor.id, priority=0)
            db.session.add(item)
        item.status = RequestStatus.ACCEPTED
        item.responded_dt = utcnow()
        item.priority = max(item.priority, 10)
    elif item is not None and item.status in (RequestStatus.REQUESTED, RequestStatus.ACCEPTED):
        cancel(actor, item)
    db.session.flush()
    audit.record(actor, f"pair_{kind.value}", event, a=a.id, b=b.id)


def requests_of(org_id: int):
    return select(MeetingRequest).where(
        or_(MeetingRequest.from_org_id == org_id, MeetingRequest.to_org_id == org_id)
    )


def _notify(org: Organization, item: MeetingRequest, subject, kind: str, template: str) -> None:
    for user in org.users:
        if user.active:
            queue_email(user, kind, subject, template, item=item, event=item.event)
