"""The event cockpit's counts: where a matchmaking day stands (applications, approved sides, requests by state,
accepted but unscheduled, the last scheduler run, unpublished changes, invitations queued and failed, and on the day
check-ins, absences, meetings under way and feedback), read in a few grouped queries into
`domain.event_steps.DayCounts`, which the checklist reads; and the days the staff start page lists, all read with
the same queries, grouped by day. It reads; it changes nothing."""

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
from matchmaker.services.outbox import invite_of_meeting
from matchmaker.services.schedule_board import is_stale, latest_runs, unplaced_reasons_by_event, unsent_by_event

RECENT_DAYS = 90  # past days the start page still lists


def phase(event: Event, now: datetime | None = None) -> Phase:
    """Where `now` falls: before the day's date in its zone, on the day until its end, or after."""
    return phase_at(now or utcnow(), local_to_utc(event.date, time(0), event.timezone), event.ends_at)


def counts(event: Event, now: datetime | None = None) -> DayCounts:
    """The day's counts at `now` (default: the current time)."""
    return day_counts([event], now)[event.id]


def day_counts(events: list[Event], now: datetime | None = None) -> dict[int, DayCounts]:
    """Each day's counts at `now`, read for all the days at once: the same few queries for one day or twenty."""
    now = now or utcnow()
    ids = [e.id for e in events]
    if not ids:
        return {}
    parts = (_participants(ids), _requests(ids), _meetings(ids, now), _runs(ids, now), _feedback(ids),
             _invites(ids))
    unsent = unsent_by_event(ids)
    return {e.id: DayCounts(
        **{key: value for part in parts for key, value in part.get(e.id, {}).items()},
        published=e.published, unpublished=unsent.get(e.id, 0),
        requests_closed=e.request_deadline_dt is not None and now >= e.request_deadline_dt,
    ) for e in events}


def _grouped(rows) -> dict[int, list]:
    """Rows whose first column is the day's id, as lists of the other columns by day."""
    out: dict[int, list] = {}
    for event_id, *rest in rows:
        out.setdefault(event_id, []).append(rest)
    return out


def _participants(ids: list[int]) -> dict[int, dict]:
    rows = _grouped(db.session.execute(
        select(Participation.event_id, Participation.status, Organization.kind, Participation.attendance,
               func.count())
        .join(Organization, Participation.organization_id == Organization.id)
        .where(Participation.event_id.in_(ids))
        .group_by(Participation.event_id, Participation.status, Organization.kind, Participation.attendance)
    ))
    out = {}
    for event_id in ids:
        day = rows.get(event_id, [])
        approved = [(kind, attendance, n) for status, kind, attendance, n in day
                    if status == ParticipationStatus.APPROVED]
        out[event_id] = dict(
            applications=sum(n for status, _k, _a, n in day if status == ParticipationStatus.APPLIED),
            approved_companies=sum(n for kind, _a, n in approved if kind == OrgKind.COMPANY),
            approved_partners=sum(n for kind, _a, n in approved if kind != OrgKind.COMPANY),
            checked_in=sum(n for _k, attendance, n in approved if attendance == Attendance.CHECKED_IN),
            absent=sum(n for _k, attendance, n in approved if attendance == Attendance.ABSENT),
        )
    return out


def _requests(ids: list[int]) -> dict[int, dict]:
    rows = _grouped(db.session.execute(
        select(MeetingRequest.event_id, MeetingRequest.status, func.count()).where(MeetingRequest.event_id.in_(ids))
        .group_by(MeetingRequest.event_id, MeetingRequest.status)
    ))
    unplaced = unplaced_reasons_by_event(ids)
    out = {}
    for event_id in ids:
        by_status = dict(rows.get(event_id, []))
        reasons = unplaced.get(event_id, [])
        out[event_id] = dict(
            requests_pending=by_status.get(RequestStatus.REQUESTED, 0),
            requests_accepted=by_status.get(RequestStatus.ACCEPTED, 0),
            requests_declined=by_status.get(RequestStatus.DECLINED, 0),
            unscheduled=len(reasons),
            unscheduled_untried=sum(1 for reason in reasons if not reason),
        )
    return out


def _meetings(ids: list[int], now: datetime) -> dict[int, dict]:
    rows = db.session.execute(
        select(Meeting.event_id, func.count(Meeting.id),
               func.coalesce(func.sum(case(((Meeting.start_dt <= now) & (Meeting.end_dt > now), 1), else_=0)), 0),
               func.coalesce(func.sum(case((Meeting.end_dt <= now, 1), else_=0)), 0))
        .where(Meeting.event_id.in_(ids), Meeting.status == MeetingStatus.SCHEDULED).group_by(Meeting.event_id)
    ).all()
    found = {event_id: (placed, running, held) for event_id, placed, running, held in rows}
    return {event_id: dict(zip(("meetings_placed", "running_now", "meetings_held"), found.get(event_id, (0, 0, 0)),
                               strict=True)) for event_id in ids}


def _runs(ids: list[int], now: datetime) -> dict[int, dict]:
    out = {}
    for event_id, run in latest_runs(ids).items():
        objective = (run.result or {}).get("objective") or {}
        # A lost worker's run is shown as failed, as the board shows it.
        status = "failed" if is_stale(run, now) else run.status.value
        out[event_id] = dict(run_status=status, run_dt=run.finished_dt or run.started_dt or run.created_dt,
                             run_placed=objective.get("scheduled"), run_breaks=objective.get("breaks"))
    return out


def _feedback(ids: list[int]) -> dict[int, dict]:
    rows = db.session.execute(
        select(Meeting.event_id, func.count(Feedback.id), func.count(Feedback.meeting_id.distinct()))
        .join(Meeting, Feedback.meeting_id == Meeting.id).where(Meeting.event_id.in_(ids))
        .group_by(Meeting.event_id)
    ).all()
    found = {event_id: (received, meetings) for event_id, received, meetings in rows}
    return {event_id: dict(zip(("feedback_received", "meetings_with_feedback"), found.get(event_id, (0, 0)),
                               strict=True)) for event_id in ids}


def _invites(ids: list[int]) -> dict[int, dict]:
    rows = _grouped(db.session.execute(
        select(Meeting.event_id, OutboxMessage.status, func.count(OutboxMessage.id))
        .select_from(OutboxMessage).join(Meeting, invite_of_meeting())
        .where(Meeting.event_id.in_(ids), OutboxMessage.status.in_((OutboxStatus.QUEUED, OutboxStatus.FAILED)))
        .group_by(Meeting.event_id, OutboxMessage.status)
    ))
    out = {}
    for event_id in ids:
        by_status = dict(rows.get(event_id, []))
        out[event_id] = dict(invites_queued=by_status.get(OutboxStatus.QUEUED, 0),
                             invites_failed=by_status.get(OutboxStatus.FAILED, 0))
    return out


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
    events = list(db.session.scalars(query))
    by_day = day_counts(events, now)
    lines = [DayLine(e, phase(e, now), by_day[e.id]) for e in events]
    coming = sorted((line for line in lines if line.phase != Phase.AFTER), key=lambda line: line.event.date)
    past = sorted((line for line in lines if line.phase == Phase.AFTER), key=lambda line: line.event.date,
                  reverse=True)
    return coming + past
