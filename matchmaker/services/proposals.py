"""Changing a meeting's time after it is scheduled. On days where participants pick slots, one side proposes
another slot free for both (and a table or room free), the other accepts (the meeting is moved through the
staff's path, `scheduling.move_meeting`, and the calendars get an update) or declines, and the proposer may
withdraw. On days staff schedule, a member asks the office for a change with a reason; staff see the open asks on
the schedule board and mark them done. One open proposal per meeting: the meeting's row lock makes the two sides
take turns, and the database's unique index turns the loser of a race into a message. Each proposal and answer
is e-mailed to the other side. It never commits."""

from dataclasses import dataclass, field

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from matchmaker.database import utcnow
from matchmaker.domain.timeslots import TimeSlot
from matchmaker.enums import MeetingStatus, ProposalKind, ProposalStatus, RequestStatus, SchedulingMode
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingRequest, Organization, TimeProposal, User
from matchmaker.services import ServiceError, audit
from matchmaker.services.invites import queue_invites
from matchmaker.services.locking import lock, lock_rows, refused_as
from matchmaker.services.mail import queue_email
from matchmaker.services.placement import free_slots, free_table
from matchmaker.services.scheduling import move_meeting

MAX_REASON = 1000
ONE_OPEN = _l("This meeting already has an open proposal: answer or withdraw it first.")
NOT_FREE = _l("That time is no longer free for both of you (or no table is left then); choose another.")
CHANGED = _l("This proposal is no longer open; the page shows what changed.")


@dataclass
class Panel:
    """What the meeting page shows about changing the time, for one side."""

    mode: SchedulingMode
    open: TimeProposal | None
    mine: bool  # the open proposal is the viewer's organization's
    started: bool = False  # the meeting has begun: nothing more to propose or ask
    slots: list[TimeSlot] = field(default_factory=list)  # what the viewer may propose (pick days, none open)
    history: list[TimeProposal] = field(default_factory=list)


def open_proposal(meeting: Meeting) -> TimeProposal | None:
    return db.session.scalar(select(TimeProposal).where(
        TimeProposal.meeting_id == meeting.id, TimeProposal.status == ProposalStatus.PENDING))


def proposable_slots(meeting: Meeting) -> list[TimeSlot]:
    """Slots still to come, free for both sides, with a table (or an interpreter) free, other than the
    meeting's own; none once the meeting has started."""
    now = utcnow()
    if meeting.start_dt <= now:
        return []
    return [s for s in free_slots(meeting.request) if s.start != meeting.start_dt and s.start > now]


def panel(meeting: Meeting, org: Organization) -> Panel:
    current = open_proposal(meeting)
    history = list(db.session.scalars(select(TimeProposal).where(
        TimeProposal.meeting_id == meeting.id, TimeProposal.status != ProposalStatus.PENDING)
        .order_by(TimeProposal.created_dt.desc()).limit(5)))
    mode = meeting.event.scheduling
    scheduled = meeting.status == MeetingStatus.SCHEDULED
    slots = proposable_slots(meeting) if scheduled and current is None and mode == SchedulingMode.PICK else []
    return Panel(mode=mode, open=current, mine=current is not None and current.proposed_by_org_id == org.id,
                 started=meeting.start_dt <= utcnow(), slots=slots, history=history)


def open_asks(event_id: int) -> list[TimeProposal]:
    """The day's open asks for staff's help, oldest first, with their meetings and organizations."""
    return list(db.session.scalars(
        select(TimeProposal).join(Meeting, TimeProposal.meeting_id == Meeting.id)
        .where(Meeting.event_id == event_id, TimeProposal.kind == ProposalKind.ASK_STAFF,
               TimeProposal.status == ProposalStatus.PENDING)
        .options(joinedload(TimeProposal.meeting).joinedload(Meeting.request).joinedload(MeetingRequest.from_org),
                 joinedload(TimeProposal.meeting).joinedload(Meeting.request).joinedload(MeetingRequest.to_org),
                 joinedload(TimeProposal.proposed_by_org))
        .order_by(TimeProposal.created_dt)
    ).unique())


# --- verbs ---------------------------------------------------------------------------------------

def _take(actor: User, meeting: Meeting) -> Organization:
    """The actor's side of the meeting, with the meeting's row locked and read again: the two sides' proposals
    and answers take turns, each checking what the one before left."""
    if not meeting.request.involves(actor.organization_id):
        raise ServiceError(gettext("Only the two sides of a meeting can change its time."))
    lock(meeting)
    if meeting.status != MeetingStatus.SCHEDULED or meeting.request.status != RequestStatus.ACCEPTED:
        raise ServiceError(gettext("This meeting is no longer scheduled."))
    return actor.organization


def _no_open(meeting: Meeting) -> None:
    if open_proposal(meeting) is not None:
        raise ServiceError(str(ONE_OPEN))


def _slot_at(event: Event, start) -> TimeSlot | None:
    return next((s for s in event.slots() if s.start == start), None)


def propose_time(actor: User, meeting: Meeting, slot: TimeSlot) -> TimeProposal:
    """Propose `slot` to the other side (days where participants pick slots)."""
    mine = _take(actor, meeting)
    event = meeting.event
    if event.scheduling != SchedulingMode.PICK:
        raise ServiceError(gettext("On this day the office schedules the meetings: ask them for a change."))
    _no_open(meeting)
    if meeting.start_dt <= utcnow():
        raise ServiceError(gettext("This meeting has started; its time can no longer change."))
    if slot.start == meeting.start_dt:
        raise ServiceError(gettext("The meeting is already at that time."))
    if slot.start not in {s.start for s in proposable_slots(meeting)}:
        raise ServiceError(str(NOT_FREE))
    proposal = TimeProposal(meeting_id=meeting.id, kind=ProposalKind.NEW_TIME, proposed_by_org_id=mine.id,
                            proposed_by_id=actor.id, start_dt=slot.start)
    with refused_as(ONE_OPEN):  # the other side proposed at the same moment
        db.session.add(proposal)
    audit.record(actor, "propose_time", meeting, proposal=proposal.id, start=slot.start.isoformat())
    _notify(meeting.request.other_org(mine.id), proposal, "proposed",
            _l("%(name)s proposes another time for your meeting", name=mine.display_name))
    return proposal


def clean_reason(text: str | None) -> str:
    return "".join(c for c in (text or "") if c.isprintable() or c in "\n\t").strip()


def ask_staff(actor: User, meeting: Meeting, reason: str | None) -> TimeProposal:
    """Ask the office to change the meeting (days staff schedule), saying why."""
    mine = _take(actor, meeting)
    if meeting.event.scheduling == SchedulingMode.PICK:
        raise ServiceError(gettext("On this day you can propose another time to the other side yourself."))
    reason = clean_reason(reason)
    if not reason:
        raise ServiceError(gettext("Say what you would like changed, and why."))
    if len(reason) > MAX_REASON:
        raise ServiceError(gettext("Keep it to %(num)d characters.", num=MAX_REASON))
    _no_open(meeting)
    proposal = TimeProposal(meeting_id=meeting.id, kind=ProposalKind.ASK_STAFF, proposed_by_org_id=mine.id,
                            proposed_by_id=actor.id, reason=reason)
    with refused_as(ONE_OPEN):
        db.session.add(proposal)
    audit.record(actor, "ask_staff_change", meeting, proposal=proposal.id)
    return proposal


def _pending(meeting: Meeting, proposal_id: int | None, kind: ProposalKind) -> TimeProposal:
    """The meeting's open proposal, which must be the one the page showed (`proposal_id`)."""
    current = open_proposal(meeting)
    if current is None or current.id != proposal_id or current.kind != kind:
        raise ServiceError(str(CHANGED))
    return current


def _decide(proposal: TimeProposal, actor: User, status: ProposalStatus) -> None:
    proposal.status = status
    proposal.decided_dt = utcnow()
    proposal.decided_by_id = actor.id


def accept(actor: User, meeting: Meeting, proposal_id: int | None) -> None:
    """The other side accepts the proposed time: the meeting moves there, its calendars are updated."""
    mine = _take(actor, meeting)
    proposal = _pending(meeting, proposal_id, ProposalKind.NEW_TIME)
    if proposal.proposed_by_org_id == mine.id:
        raise ServiceError(gettext("The other side answers your proposal; you can withdraw it."))
    event = meeting.event
    lock_rows(Event, [event.id])  # placements at one event take turns (as accepting a request does)
    slot = _slot_at(event, proposal.start_dt)
    if slot is None or slot.start not in {s.start for s in proposable_slots(meeting)}:
        raise ServiceError(gettext("That time is no longer free for both of you (or no table is left then): "
                                   "decline it, or propose another time."))
    table = free_table(event, slot)
    move_meeting(actor, meeting, slot, table or None)
    _decide(proposal, actor, ProposalStatus.ACCEPTED)
    audit.record(actor, "accept_time", meeting, proposal=proposal.id)
    if event.published:
        queue_invites(meeting)  # the calendars move now, not at the next publication
    _notify(proposal.proposed_by_org, proposal, "accepted",
            _l("%(name)s accepted the new time for your meeting", name=mine.display_name))


def decline(actor: User, meeting: Meeting, proposal_id: int | None) -> None:
    mine = _take(actor, meeting)
    proposal = _pending(meeting, proposal_id, ProposalKind.NEW_TIME)
    if proposal.proposed_by_org_id == mine.id:
        raise ServiceError(gettext("The other side answers your proposal; you can withdraw it."))
    _decide(proposal, actor, ProposalStatus.DECLINED)
    audit.record(actor, "decline_time", meeting, proposal=proposal.id)
    _notify(proposal.proposed_by_org, proposal, "declined",
            _l("%(name)s declined the new time; the meeting stays as it was", name=mine.display_name))


def withdraw(actor: User, meeting: Meeting, proposal_id: int | None) -> None:
    """The proposer takes back its open proposal (or ask to staff)."""
    mine = _take(actor, meeting)
    current = open_proposal(meeting)
    if current is None or current.id != proposal_id:
        raise ServiceError(str(CHANGED))
    if current.proposed_by_org_id != mine.id:
        raise ServiceError(gettext("Only the side that proposed it can withdraw it."))
    _decide(current, actor, ProposalStatus.WITHDRAWN)
    audit.record(actor, "withdraw_time", meeting, proposal=current.id)
    if current.kind == ProposalKind.NEW_TIME:
        _notify(meeting.request.other_org(mine.id), current, "withdrawn",
                _l("%(name)s withdrew its proposal of another time", name=mine.display_name))


def mark_done(actor: User, meeting: Meeting, proposal_id: int | None) -> None:
    """Staff mark an ask for a change as handled (they move the meeting on the board themselves)."""
    lock(meeting)
    proposal = _pending(meeting, proposal_id, ProposalKind.ASK_STAFF)
    _decide(proposal, actor, ProposalStatus.DONE)
    audit.record(actor, "ask_staff_done", meeting, proposal=proposal.id)
    _notify(proposal.proposed_by_org, proposal, "done", _l("The office handled your request for a change"))


def _notify(org: Organization, proposal: TimeProposal, action: str, subject) -> None:
    meeting = proposal.meeting or db.session.get(Meeting, proposal.meeting_id)
    for user in org.users:
        if user.active:
            queue_email(user, f"time_{action}", subject, "time_proposal", proposal=proposal, meeting=meeting,
                        event=meeting.event, org=org, action=action)
