"""The event cockpit's counts: where a matchmaking day stands (applications, approved sides, requests by state,
accepted but unscheduled, the last scheduler run, unpublished changes, invitations queued and failed, and on the day
check-ins, absences, meetings under way and feedback), read in a few grouped queries into
`domain.event_steps.DayCounts`, which the checklist reads; and the days the staff start page lists. It reads; it
changes nothing."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from matchmaker.database import utcnow
from matchmaker.domain.event_steps import DayCounts, Phase, phase_at
from matchmaker.domain.timeslots import local_to_utc
from matchmaker.enums import Attendance, MeetingStatus, OrgKind, OutboxStatus, ParticipationStatus, RequestStatus
from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    Feedback,
    Meeting,
    MeetingRequest,
    Organization,
    OutboxMessage,
    Participation,
    Program,
)
from matchmaker.services.outbox import invites_of_event
from matchmaker.services.schedule_board import is_stale, latest_run, unplaced_requests, unsent_meetings

RECENT_DAYS = 90  # past days the start page still lists


def phase(event: Event, now: datetime | None = None) -> Phase:
    """Where `now` falls: before the day's date in its zone, on the day until its end, or after."""
    return phase_at(now or utcnow(), local_to_utc(event.date, time(0), event.timezone), event.ends_at)


def counts(event: Event, now: datetime | None = None) -> DayCounts:
    """The day's counts at `now` (default: the current time)."""
    now = now or utcnow()
    return DayCounts(
        **_participants(event.id), **_requests(event.id), **_meetings(event.id, now), **_run(event.id, now),
        **_feedback(event.id), **_invites(event.id),
        published=event.published, unpublished=unsent_meetings(event.id),
        requests_closed=event.request_deadline_dt is not None and now >= event.request_deadline_dt,
    )


def _participants(event_id: int) -> dict:
    rows = db.session.execute(
        select(Participation.status, Organization.kind, Participation.attendance, func.count())
        .join(Organization, Participation.organization_id == Organization.id)
        .where(Participation.event_id == event_id)
        .group_by(Participation.status, Organization.kind, Participation.attendance)
    ).all()
    approved = [(kind, attendance, n) for status, kind, attendance, n in rows
                if status == ParticipationStatus.APPROVED]
    return dict(
        applications=sum(n for status, _k, _a, n in rows if status == ParticipationStatus.APPLIED),
        approved_companies=sum(n for kind, _a, n in approved if kind == OrgKind.COMPANY),
        approved_partners=sum(n for kind, _a, n in approved if kind != OrgKind.COMPANY),
        checked_in=sum(n for _k, attendance, n in approved if attendance == Attendance.CHECKED_IN),
        absent=sum(n for _k, attendance, n in approved if attendance == Attendance.ABSENT),
    )


def _requests(event_id: int) -> dict:
    by_status = dict(db.session.execute(
        select(MeetingRequest.status, func.count()).where(MeetingRequest.event_id == event_id)
        .group_by(MeetingRequest.status)
    ).all())
    unplaced = unplaced_requests(event_id)
    return dict(
        requests_pending=by_status.get(RequestStatus.REQUESTED, 0),
        requests_accepted=by_status.get(RequestStatus.ACCEPTED, 0),
        requests_declined=by_status.get(RequestStatus.DECLINED, 0),
        unscheduled=len(unplaced),
        unscheduled_untried=sum(1 for item in unplaced if not item.unplaced_reason),
    )


def _meetings(event_id: int, now: datetime) -> dict:
    placed, running, held = db.session.execute(
        select(func.count(Meeting.id),
               func.coalesce(func.sum(case(((Meeting.start_dt <= now) & (Meeting.end_dt > now), 1), else_=0)), 0),
               func.coalesce(func.sum(case((Meeting.end_dt <= now, 1), else_=0)), 0))
        .where(Meeting.event_id == event_id, Meeting.status == MeetingStatus.SCHEDULED)
    ).one()
    return dict(meetings_placed=placed, running_now=running, meetings_held=held)


def _run(event_id: int, now: datetime) -> dict:
    run = latest_run(event_id)
    if run is None:
        return {}
    objective = (run.result or {}).get("objective") or {}
    # A lost worker's run is shown as failed, as the board shows it.
    status = "failed" if is_stale(run, now) else run.status.value
    return dict(run_status=status, run_dt=run.finished_dt or run.started_dt or run.created_dt,
                run_placed=objective.get("scheduled"), run_breaks=objective.get("breaks"))


def _feedback(event_id: int) -> dict:
    received, meetings = db.session.execute(
        select(func.count(Feedback.id), func.count(Feedback.meeting_id.distinct()))
        .join(Meeting, Feedback.meeting_id == Meeting.id).where(Meeting.event_id == event_id)
    ).one()
    return dict(feedback_received=received, meetings_with_feedback=meetings)


def _invites(event_id: int) -> dict:
    by_status = dict(db.session.execute(
        select(OutboxMessage.status, func.count()).where(invites_of_event(event_id))
        .where(OutboxMessage.status.in_((OutboxStatus.QUEUED, OutboxStatus.FAILED)))
        .group_by(OutboxMessage.status)
    ).all())
    return dict(invites_queued=by_status.get(OutboxStatus.QUEUED, 0),
                invites_failed=by_status.get(OutboxStatus.FAILED, 0))


@dataclass(frozen=True)
class DayLine:
    """A day as the staff start page lists it."""

    event: Event
    phase: Phase
    counts: DayCounts


def office_days(office_ids: list[int], today: date, now: datetime | None = None) -> list[DayLine]:
    """The current and coming days of the offices, then their past ones of the last RECENT_DAYS, each with its
    counts; coming days soonest first, past days latest first."""
    query = (select(Event).join(Program, Event.program_id == Program.id)
             .where(Program.office_id.in_(office_ids), Event.date >= today - timedelta(days=RECENT_DAYS))
             .options(joinedload(Event.program).joinedload(Program.office)))
    lines = [DayLine(e, phase(e, now), counts(e, now)) for e in db.session.scalars(query)]
    coming = sorted((line for line in lines if line.phase != Phase.AFTER), key=lambda line: line.event.date)
    past = sorted((line for line in lines if line.phase == Phase.AFTER), key=lambda line: line.event.date,
                  reverse=True)
    return coming + past
