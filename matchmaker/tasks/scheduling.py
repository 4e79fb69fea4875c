"""The scheduler run job (`execute_run`), on its own queue so that it never waits behind mail: it commits the run as
started before the long solve (the board shows it running, and a run given up or stopped meanwhile is not started),
writes its progress as it solves and hears Stop (`tasks.run_progress`), then commits the result applied as the
day's draft, or the run's error. The steps are `services.schedule_results`; `services.schedule_runs.start_run`
asks for this job once the run is committed.
"""

from matchmaker.extensions import db
from matchmaker.models import ScheduleRun
from matchmaker.services.schedule_results import begin_run, fail_run, solve_and_apply
from matchmaker.tasks.run_progress import RunProgress


def execute_run(run_id: int) -> None:
    """Solve the run's day, then apply the result as the event's draft schedule."""
    started = begin_run(run_id)
    db.session.commit()
    if not started:
        return
    try:
        # The best schedule so far goes to the board, and Stop comes back, in transactions of their own.
        watch = RunProgress(run_id, db.engine)
        finished = solve_and_apply(db.session.get(ScheduleRun, run_id), progress=watch.report,
                                   should_stop=watch.should_stop)
    except Exception as error:  # a failed run is shown to staff with its error, never lost
        db.session.rollback()
        finished = fail_run(run_id, error)
    if finished:
        db.session.commit()
    else:
        db.session.rollback()
