"""No-shows on the day: a participant marked absent (their remaining meetings freed) or missing one
meeting, recorded in a ledger staff read across events (with the days and recorders it names); and the slots a
no-show freed for walk-ins."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from matchmaker.database import utcnow
from matchmaker.domain.timeslots import TimeSlot
from matchmaker.enums import Attendance, MeetingStatus, NoShowReason, ParticipationStatus, RequestStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingRequest, NoShow, Organization, Participation, Program, User
from matchmaker.services import ServiceError, audit, placement
from matchmaker.services import meetings as meeting_service
from matchmaker.services.checkin import meetings_of
from matchmaker.services.events import approved_participations
from matchmaker.services.queries import meeting_sides


def mark_absent(actor: User, participation: Participation, reason: NoShowReason, note: str | None = None,
                now: datetime | None = None) -> list[Meeting]:
    """Record the organization as absent for the whole day and cancel each of its meetings that has not
    started yet, through the ordinary cancellation (both sides told, calendars sent a CANCEL when the
    schedule is published). Meetings already started or over stay as they are. Returns the cancelled ones."""
    now = now or utcnow()
    if participation.status != ParticipationStatus.APPROVED:
        raise ServiceError(gettext("Only approved participants can be marked absent."))
    # Checked, then claimed in the database: of two desks marking the same participant at once, the second
    # waits for the first and then finds it done, so meetings are cancelled and counterparts told only once.
    claimed = participation.attendance != Attendance.ABSENT and db.session.execute(
        update(Participation).where(Participation.id == participation.id,
                                    Participation.attendance != Attendance.ABSENT)
        .values(attendance=Attendance.ABSENT).execution_options(synchronize_session=False)
    ).rowcount == 1
    if not claimed:
        raise ServiceError(gettext("This participant is already marked absent."))
    event = participation.event
    db.session.add(NoShow(
        event_id=event.id, organization_id=participation.organization_id, reason=NoShowReason(reason),
        note=(note or "").strip() or None, recorded_by_id=actor.id, recorded_dt=now,
    ))
    participation.attendance = Attendance.ABSENT
    freed = [m for m in meetings_of(event, participation.organization_id) if m.start_dt > now]
    for meeting in freed:
        meeting_service.cancel(actor, meeting.request)
    audit.record(actor, "mark_absent", participation, reason=NoShowReason(reason).value,
                 cancelled=[m.id for m in freed])
    db.session.flush()
    return freed


def record_missed_meeting(actor: User, meeting: Meeting, organization: Organization, reason: NoShowReason,
                          note: str | None = None, now: datetime | None = None) -> NoShow:
    """Note in the ledger that `organization` did not come to this one meeting; nothing else changes."""
    if not meeting.request.involves(organization.id):
        raise ServiceError(gettext("This organization is not in this meeting."))
    duplicate = db.session.scalar(select(NoShow.id).where(
        NoShow.meeting_id == meeting.id, NoShow.organization_id == organization.id
    ))
    if duplicate is not None:
        raise ServiceError(gettext("This no-show is already recorded."))
    entry = NoShow(
        event_id=meeting.event_id, organization_id=organization.id, meeting_id=meeting.id,
        reason=NoShowReason(reason), note=(note or "").strip() or None, recorded_by_id=actor.id,
        recorded_dt=now or utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    audit.record(actor, "record_missed_meeting", meeting, organization_id=organization.id,
                 reason=entry.reason.value)
    return entry


@dataclass(frozen=True)
class FreedSlot:
    """A slot in which `counterpart` lost its meeting because `absent` did not come."""

    slot: TimeSlot
    counterpart: Organization
    absent: Organization
    meeting: Meeting  # the cancelled meeting


def freed_slots(event: Event, now: datetime | None = None) -> list[FreedSlot]:
    """Slots not over yet in which a present counterpart of an absent participant is now free."""
    now = now or utcnow()
    approved = approved_participations(event)
    approved_ids = {p.organization_id for p in approved}
    absent_ids = {p.organization_id for p in approved if p.attendance == Attendance.ABSENT}
    if not absent_ids:
        return []
    slots = {s.start: s for s in event.slots()}
    cancelled = db.session.scalars(
        select(Meeting).join(MeetingRequest, Meeting.request_id == MeetingRequest.id).where(
            Meeting.event_id == event.id, Meeting.status == MeetingStatus.CANCELLED,
            MeetingRequest.status == RequestStatus.CANCELLED, Meeting.end_dt > now,
            or_(MeetingRequest.from_org_id.in_(absent_ids), MeetingRequest.to_org_id.in_(absent_ids)),
        ).options(*meeting_sides()).order_by(Meeting.start_dt, Meeting.id)
    ).all()
    busy: dict[int, set] = {}
    found, seen = [], set()
    for meeting in cancelled:
        request = meeting.request
        absent_id = request.from_org_id if request.from_org_id in absent_ids else request.to_org_id
        counterpart = request.other_org(absent_id)
        slot = slots.get(meeting.start_dt)
        if (slot is None or counterpart.id in absent_ids or counterpart.id not in approved_ids
                or (counterpart.id, slot.index) in seen):
            continue
        if counterpart.id not in busy:
            busy[counterpart.id] = placement.busy_starts(counterpart.id, event)
        if slot.start in busy[counterpart.id]:
            continue  # the counterpart has a meeting in that slot again (a walk-in, or staff moved one)
        seen.add((counterpart.id, slot.index))
        found.append(FreedSlot(slot, counterpart, request.other_org(counterpart.id), meeting))
    return found


def ledger(office_ids: list[int] | None, event_id: int | None = None, organization_id: int | None = None):
    """No-shows of the offices' events (None: every office), newest first."""
    query = select(NoShow).join(Event, NoShow.event_id == Event.id).join(Program, Event.program_id == Program.id)
    if office_ids is not None:
        query = query.where(Program.office_id.in_(office_ids))
    if event_id:
        query = query.where(NoShow.event_id == event_id)
    if organization_id:
        query = query.where(NoShow.organization_id == organization_id)
    query = query.options(selectinload(NoShow.event), selectinload(NoShow.organization),
                          selectinload(NoShow.meeting).options(*meeting_sides()))
    return list(db.session.scalars(query.order_by(NoShow.recorded_dt.desc(), NoShow.id.desc()).limit(500)))


def ledger_events(office_ids: list[int]) -> list[Event]:
    """The days of these offices, latest first: what the ledger can be narrowed to."""
    return list(db.session.scalars(
        select(Event).join(Program).where(Program.office_id.in_(office_ids))
        .order_by(Event.date.desc(), Event.id.desc())
    ))


def recorder_names(entries: list[NoShow]) -> dict[int, str]:
    """The names of the staff who recorded these no-shows, by user id."""
    recorder_ids = {n.recorded_by_id for n in entries if n.recorded_by_id}
    return {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_(recorder_ids)))}
