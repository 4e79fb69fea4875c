"""Starting a scheduler run from a test as staff's button does: the service queues the run, the caller (here the
test, in the app `matchmaker.web.perform`) commits, and the job asked for starts (inline in tests: it has run when
this returns; through Redis when a test sets JOBS_MODE to rq)."""

from matchmaker.extensions import db
from matchmaker.jobs import start_committed_jobs
from matchmaker.services.schedule_runs import start_run


def run_scheduler(actor, event, **options):
    """`schedule_runs.start_run(actor, event, **options)`, committed, then its job started; returns the run."""
    run = start_run(actor, event, **options)
    db.session.commit()
    start_committed_jobs()
    return run
