"""Meeting requests from asking to answering (request, accept, decline, cancel, expire), the member's lists of
them, and staff's pair rules.

Placing a meeting in a slot is `placement`'s; accepting on a day where participants pick times places it at once.
"""

from datetime import datetime
from functools import cache

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import selectinload

from matchmaker.database import utcnow
from matchmaker.domain.timeslots import TimeSlot
from matchmaker.enums import MeetingStatus, OrgKind, PairRuleKind, ParticipationStatus, RequestStatus, SchedulingMode
from matchmaker.extensions import db
from matchmaker.models import Event, MeetingRequest, Organization, PairRule, Participation, User
from matchmaker.services import ServiceError, audit, webhooks
from matchmaker.services.changes import CANCELLED, Change
from matchmaker.services.consents import shown_to_partners
from matchmaker.services.events import participation_of
from matchmaker.services.invites import queue_invites
from matchmaker.services.locking import lock, lock_rows, refused_as
from matchmaker.services.mail import queue_email
from matchmaker.services.placement import free_slots, free_table, place, unplace

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
    if not _approved(event, target) or not shown_to_partners(target):  # not yet agreed: hidden, as if absent
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
            place(item, slot, table=table or free_table(event, slot))
    audit.record(actor, "accept", item, slot=slot.index if slot else None)
    webhooks.emit("request.accepted", event.program.office_id, webhooks.request_payload(item))
    _notify(item.from_org, item, _l("%(name)s accepted your meeting request", name=item.to_org.display_name),
            "request_accepted", "request_answered")


def decline(actor: User, item: MeetingRequest) -> None:
    _require_receiver(actor, item)
    item.status = RequestStatus.DECLINED
    item.responded_dt = utcnow()
    audit.record(actor, "decline", item)
    webhooks.emit("request.declined", item.event.program.office_id, webhooks.request_payload(item))
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
    item.unplaced_reason = None  # no longer accepted: nothing left to schedule
    if item.meeting is not None and item.meeting.status == MeetingStatus.SCHEDULED:
        unplace(item.meeting)
        if item.event.published and item.meeting.invited_sequence is not None:
            by = None if actor.is_staff else actor.organization_id  # the e-mail says who cancelled
            queue_invites(item.meeting, cancel=True, change=Change(CANCELLED, by_org_id=by))  # calendars drop it now
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


def requests_newest_first(org_id: int) -> list[MeetingRequest]:
    """Every request the organization sent or received, the newest first (with its meeting: its state reads it)."""
    return list(db.session.scalars(
        requests_of(org_id).options(selectinload(MeetingRequest.meeting)).order_by(MeetingRequest.created_dt.desc())
    ))


def requests_by_counterpart(event_id: int, org_id: int) -> dict[int, MeetingRequest]:
    """The organization's requests of one day, by the other organization's id."""
    return {r.other_org_id(org_id): r
            for r in db.session.scalars(_day_requests_query(), {"org_id": org_id, "event_id": event_id})}


@cache
def _day_requests_query():
    """`requests_of` one day, built once: the participants and recommendations pages ask it on every view."""
    return (requests_of(bindparam("org_id")).where(MeetingRequest.event_id == bindparam("event_id"))
            .options(selectinload(MeetingRequest.meeting)))  # its state (the status badge) reads it


def _notify(org: Organization, item: MeetingRequest, subject, kind: str, template: str) -> None:
    for user in org.users:
        if user.active:
            queue_email(user, kind, subject, template, item=item, event=item.event)
