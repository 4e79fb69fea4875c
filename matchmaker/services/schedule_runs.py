"""The life of a scheduler run around the solver: starting one (`start_run`: queued, solved in the background by
`matchmaker.tasks.scheduling` once the caller commits), stopping one (`stop_run`: a queued run is cancelled, a
running one stops and keeps the best schedule found so far), which run of a day is active, when a run that a lost
worker or an unreachable Redis left queued or running is given up, and how a failed run's error reads.

A run given up is marked failed with a code in `error`; staff read it in their own language, and the day
can be scheduled again (the database allows one queued or running run per day).
"""

import math
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select, update

from matchmaker.database import utcnow
from matchmaker.enums import RunStatus
from matchmaker.extensions import db
from matchmaker.jobs import SCHEDULER_QUEUE, enqueue_after_commit
from matchmaker.models import Event, ScheduleRun, User
from matchmaker.services import ServiceError, audit
from matchmaker.services.locking import refused_as
from matchmaker.tasks.scheduling import execute_run

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)
# A run still queued or running this long after its time limit is given up: solving stops at the time
# limit, so the margin only covers waiting for a worker, building the instance and applying the result.
RUN_MARGIN = timedelta(minutes=5)
GAVE_UP_QUEUED = "gave-up:queued"
GAVE_UP_RUNNING = "gave-up:running"
STOPPED_QUEUED = "stopped:queued"  # stopped by staff before a worker took it up: cancelled, nothing solved
ALREADY_ACTIVE = _l("A run is already queued or running for this day.")
NOTHING_TO_STOP = _l("No run is queued or running for this day: there is nothing to stop.")


def start_run(actor: User, event: Event, time_limit: int = 30, keep_placed: bool = True) -> ScheduleRun:
    """Queue a scheduler run, solved once the caller commits; the page shows its progress and never waits for it."""
    give_up_stale_run(event)
    if active_run(event) is not None:
        raise ServiceError(str(ALREADY_ACTIVE))
    run = ScheduleRun(event_id=event.id, time_limit=time_limit, keep_placed=keep_placed,
                      created_by_id=actor.id, status=RunStatus.QUEUED, moved=[])
    with refused_as(ALREADY_ACTIVE):  # two clicks at once: the index allows one active run per day
        db.session.add(run)
    audit.record(actor, "start_schedule_run", run, event_id=event.id)
    enqueue_after_commit(execute_run, run.id, queue=SCHEDULER_QUEUE)  # never behind mail
    return run


def stop_run(actor: User, event: Event) -> ScheduleRun:
    """Stop the day's active run: a queued one is cancelled without solving (marked failed, STOPPED_QUEUED); a
    running one is asked to stop (`stop_requested_dt`), and its worker keeps the best schedule found so far.
    Compare-and-set, so a run that a worker starts or finishes at this instant is handled as it then is."""
    run = active_run(event)
    if run is None:
        raise ServiceError(str(NOTHING_TO_STOP))
    now = utcnow()
    if run.status == RunStatus.QUEUED and db.session.execute(
        update(ScheduleRun).where(ScheduleRun.id == run.id, ScheduleRun.status == RunStatus.QUEUED)
        .values(status=RunStatus.FAILED, error=STOPPED_QUEUED, finished_dt=now, stop_requested_dt=now)
    ).rowcount:
        audit.record(actor, "cancel_schedule_run", run, event_id=event.id)
        return run
    if not db.session.execute(
        update(ScheduleRun).where(ScheduleRun.id == run.id, ScheduleRun.status == RunStatus.RUNNING)
        .values(stop_requested_dt=func.coalesce(ScheduleRun.stop_requested_dt, now))  # the first ask counts
    ).rowcount:
        raise ServiceError(str(NOTHING_TO_STOP))  # it finished meanwhile
    audit.record(actor, "stop_schedule_run", run, event_id=event.id)
    return run


def active_run(event: Event) -> ScheduleRun | None:
    return db.session.scalar(
        select(ScheduleRun).where(ScheduleRun.event_id == event.id, ScheduleRun.status.in_(ACTIVE))
    )


def run_deadline(run: ScheduleRun) -> datetime:
    """When an active run is given up: its time limit plus the margin after it started (or was queued)."""
    since = run.started_dt if run.status == RunStatus.RUNNING and run.started_dt else run.created_dt
    return since + timedelta(seconds=run.time_limit) + RUN_MARGIN


def give_up_stale_run(event: Event, now: datetime | None = None) -> ScheduleRun | None:
    """Mark failed the event's run that outlived its time limit plus the margin, so that staff see why and
    can start another (called whenever the board is looked at or a run is started). Returns that run."""
    now = now or utcnow()
    run = active_run(event)
    if run is None or now < run_deadline(run):
        return None
    error = GAVE_UP_RUNNING if run.status == RunStatus.RUNNING else GAVE_UP_QUEUED
    # Compare-and-set: a worker that starts or finishes the run at this instant wins, and nothing is given up.
    changed = db.session.execute(
        update(ScheduleRun).where(ScheduleRun.id == run.id, ScheduleRun.status == run.status)
        .values(status=RunStatus.FAILED, error=error, finished_dt=now)
    ).rowcount
    if not changed:
        return None
    audit.record(None, "give_up_schedule_run", run, event_id=event.id, was=error)
    return run


def run_error_text(run: ScheduleRun) -> str | None:
    """A failed run's error for staff: a run given up in words, in the reader's language; a solver or
    database error as it was raised."""
    minutes = math.ceil((run.time_limit + RUN_MARGIN.total_seconds()) / 60)
    if run.error == GAVE_UP_QUEUED:
        return ngettext("It never started: no worker took it up within %(num)d minute (is the worker running, "
                        "and Redis reachable?). You can start it again.",
                        "It never started: no worker took it up within %(num)d minutes (is the worker running, "
                        "and Redis reachable?). You can start it again.", minutes)
    if run.error == STOPPED_QUEUED:
        return _("Stopped before it started: nothing was solved or changed.")
    if run.error == GAVE_UP_RUNNING:
        return ngettext("It did not finish within %(num)d minute of starting (the worker may have stopped). "
                        "You can start it again.",
                        "It did not finish within %(num)d minutes of starting (the worker may have stopped). "
                        "You can start it again.", minutes)
    return run.error
