"""The scheduler run job (`execute_run`), on its own queue so that it never waits behind mail: it commits the run as
started before the long solve (the board shows it running, and a run given up meanwhile is not started), then
commits the result applied as the day's draft, or the run's error. The steps are `services.schedule_results`;
`services.schedule_runs.start_run` asks for this job once the run is committed.
"""

from matchmaker.extensions import db
from matchmaker.models import ScheduleRun
from matchmaker.services.schedule_results import begin_run, fail_run, solve_and_apply


def execute_run(run_id: int) -> None:
    """Solve the run's day, then apply the result as the event's draft schedule."""
    started = begin_run(run_id)
    db.session.commit()
    if not started:
        return
    try:
        finished = solve_and_apply(db.session.get(ScheduleRun, run_id))
    except Exception as error:  # a failed run is shown to staff with its error, never lost
        db.session.rollback()
        finished = fail_run(run_id, error)
    if finished:
        db.session.commit()
    else:
        db.session.rollback()
