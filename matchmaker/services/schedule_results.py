"""A scheduler run's steps around the solver, for the job that runs it (`matchmaker.tasks.scheduling.execute_run`,
which commits between them): mark the run started (`begin_run`), solve the day and apply the result as its draft
schedule (`solve_and_apply`: each accepted request it could not place keeps why, `unplaced_reason`), or record
why it failed (`fail_run`). A run given up meanwhile (see `services.schedule_runs`) is neither started nor changed.
It never commits.
"""

from collections.abc import Iterable

from sqlalchemy import update

from matchmaker.database import utcnow
from matchmaker.enums import MeetingStatus, RunStatus
from matchmaker.extensions import db
from matchmaker.models import Event, ScheduleRun
from matchmaker.scheduling import parse_instance, solve, validate
from matchmaker.scheduling.schedule import Unscheduled
from matchmaker.services.locking import lock
from matchmaker.services.placement import place, unplace
from matchmaker.services.request_states import stored_reason
from matchmaker.services.scheduling import accepted_requests, build_instance, previous_assignment

SOLVED = ("optimal", "feasible")


def begin_run(run_id: int) -> bool:
    """Mark the run running, if it is still queued. Compare-and-set: a run given up meanwhile (or picked up by
    another worker) is not started. Returns whether it was."""
    return bool(db.session.execute(
        update(ScheduleRun).where(ScheduleRun.id == run_id, ScheduleRun.status == RunStatus.QUEUED)
        .values(status=RunStatus.RUNNING, started_dt=utcnow())
    ).rowcount)


def solve_and_apply(run: ScheduleRun, progress=None, should_stop=None) -> bool:
    """Solve the run's day and apply the result as its draft schedule; the run is then done. Returns False (having
    changed nothing) when the run was given up while solving: staff may have started another. Raises whatever
    went wrong (a schedule that breaks a hard rule is never applied). `progress` and `should_stop` go to the
    solver (`scheduling.solve`): a stopped solve applies the best schedule it found."""
    event = run.event
    instance = build_instance(event)
    previous = previous_assignment(event) if run.keep_placed else None
    parsed = parse_instance(instance)
    result = solve(parsed, time_limit=run.time_limit, workers=2, previous=previous, progress=progress,
                   should_stop=should_stop)
    problems = validate(parsed, result) if result.status in SOLVED else []
    if problems:  # never apply a schedule that breaks a hard rule
        raise RuntimeError("; ".join(problems[:3]))
    schedule = result.to_dict()
    if lock(run).status != RunStatus.RUNNING:
        return False
    run.instance = instance
    run.result = schedule
    if schedule["status"] in SOLVED:
        run.moved = apply_schedule(event, schedule, result.unscheduled)
    run.status = RunStatus.DONE
    run.finished_dt = utcnow()
    return True


def fail_run(run_id: int, error: Exception) -> bool:
    """Record the error of a run that failed, so that staff see it (a failed run is never lost). Returns False
    (changing nothing) when the run is no longer running: given up meanwhile."""
    run = lock(db.session.get(ScheduleRun, run_id))
    if run.status != RunStatus.RUNNING:
        return False
    run.status = RunStatus.FAILED
    run.error = f"{type(error).__name__}: {error}"[:2000]
    run.finished_dt = utcnow()
    return True


def apply_schedule(event: Event, schedule: dict, left_out: Iterable[Unscheduled] = ()) -> list[int]:
    """Place every assigned meeting; unplace the ones left out, each keeping why (from `left_out`, the run's
    unscheduled meetings). Returns the request ids that moved."""
    slots = {str(s.index): s for s in event.slots()}
    requests = {str(r.id): r for r in accepted_requests(event)}
    assigned = {a["meeting"]: a for a in schedule.get("assignments", [])}
    moved = []
    # Free every seat and table that changes hands first (the meetings left out are taken away at once), so that
    # meetings trading places never collide mid-way with the one-meeting-per-seat and per-table rules. A meeting
    # whose table changes has none until `place` gives it the new one: it counts as changed either way.
    for key, item in requests.items():
        meeting = item.meeting
        if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
            continue
        target = assigned.get(key)
        if target is None:
            unplace(meeting)
            continue
        if slots[target["slot"]].start != meeting.start_dt:
            moved.append(item.id)
            meeting.seats.clear()
            meeting.table_label = None
        elif meeting.table_label != target.get("table"):
            meeting.table_label = None
    db.session.flush()
    for key, target in assigned.items():
        item = requests.get(key)
        if item is not None:
            place(item, slots[target["slot"]], target.get("table"))
    why = {u.meeting: u for u in left_out}
    for key, item in requests.items():
        if key in assigned:
            continue
        if item.meeting is not None and item.meeting.status == MeetingStatus.SCHEDULED:
            unplace(item.meeting)
        # A request the run did not see (a side withdrew) has no reason of the scheduler's.
        item.unplaced_reason = stored_reason(item, why[key]) if key in why else None
    return moved


