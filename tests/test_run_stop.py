"""A scheduler run's progress and Stop: the worker writes the best schedule so far to the run, a running run asked
to stop keeps the best schedule found (`feasible`), a queued one is cancelled without solving, and the board's
panel and its JSON say what the run does."""

import pytest
from builders.crowded_day import build_crowded_day
from builders.scheduling import run_scheduler
from sqlalchemy import select

from matchmaker.enums import MeetingStatus, RunStatus
from matchmaker.extensions import db
from matchmaker.models import Meeting, ScheduleRun
from matchmaker.scheduling import parse_instance, validate
from matchmaker.scheduling.progress import Progress
from matchmaker.services import ServiceError
from matchmaker.services.schedule_results import begin_run, solve_and_apply
from matchmaker.services.schedule_runs import STOPPED_QUEUED, run_error_text, start_run, stop_run
from matchmaker.tasks.run_progress import RunProgress
from matchmaker.tasks.scheduling import execute_run


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    return build_crowded_day(make_office, make_program, make_event, make_user, make_participation,
                             companies=6, partners=4, asks=3, tables=2)


def _scheduled(event) -> int:
    return len(db.session.scalars(select(Meeting).where(Meeting.event_id == event.id,
                                                        Meeting.status == MeetingStatus.SCHEDULED)).all())


def test_a_run_writes_its_progress_to_the_run(day):
    run = run_scheduler(day.staff, day.event, time_limit=10)

    db.session.expire_all()
    run = db.session.get(ScheduleRun, run.id)
    assert run.status == RunStatus.DONE
    progress = run.progress
    assert set(progress) == {"phase", "placed", "weight", "breaks", "weight_bound", "breaks_bound", "elapsed"}
    assert progress["phase"] in {"greedy", "weight", "breaks"}
    assert 1 <= progress["placed"] <= run.result["objective"]["scheduled"]
    assert progress["weight"] <= progress["weight_bound"]


def test_a_running_run_asked_to_stop_keeps_the_best_schedule_found(day):
    run = start_run(day.staff, day.event, time_limit=60)
    db.session.commit()  # the job is not started: this test plays the worker
    assert begin_run(run.id)
    db.session.commit()
    stop_run(day.staff, day.event)  # staff press Stop while it runs
    db.session.commit()

    watch = RunProgress(run.id, db.engine)
    assert watch.should_stop()
    assert solve_and_apply(db.session.get(ScheduleRun, run.id), progress=watch.report, should_stop=watch.should_stop)
    db.session.commit()

    db.session.expire_all()
    run = db.session.get(ScheduleRun, run.id)
    assert run.status == RunStatus.DONE
    assert run.result["status"] == "feasible"  # stopped: not proven optimal
    assert run.stop_requested_dt is not None
    assert validate(parse_instance(run.instance), run.result) == []
    assert _scheduled(day.event) == run.result["objective"]["scheduled"] == run.progress["placed"] > 0


def test_a_queued_run_that_is_stopped_is_cancelled_without_solving(day):
    run = start_run(day.staff, day.event, time_limit=10)
    db.session.commit()

    stop_run(day.staff, day.event)
    db.session.commit()
    execute_run(run.id)  # the worker takes it up afterwards: nothing to do

    db.session.expire_all()
    run = db.session.get(ScheduleRun, run.id)
    assert (run.status, run.error, run.result, run.progress) == (RunStatus.FAILED, STOPPED_QUEUED, None, None)
    assert run_error_text(run) == "Stopped before it started: nothing was solved or changed."
    assert _scheduled(day.event) == 0


def test_stop_without_an_active_run_is_refused(day):
    run_scheduler(day.staff, day.event, time_limit=10)

    with pytest.raises(ServiceError, match="nothing to stop"):
        stop_run(day.staff, day.event)


def test_the_board_shows_a_running_run_with_stop_and_its_json(client, auth, day):
    run = start_run(day.staff, day.event, time_limit=60)
    db.session.commit()
    begin_run(run.id)
    run.progress = {"phase": "breaks", "placed": 11, "weight": 15, "breaks": 4, "weight_bound": 17,
                    "breaks_bound": 2, "elapsed": 3.0}
    db.session.commit()
    auth.login(day.staff)

    page = client.get(f"/staff/events/{day.event.id}/schedule").get_data(as_text=True)
    assert "Best so far: 11 meetings placed, 4 breaks." in page
    assert ("Bound: meeting weight 15 of at most 17 (a meeting weighs 1 plus its priority); no schedule placing as "
            "much has fewer than 2 breaks.") in page
    assert "Stop and keep the best schedule" in page
    assert 'http-equiv="refresh"' not in page
    data = client.get(f"/staff/events/{day.event.id}/schedule/run.json").get_json()
    assert data["status"] == "running" and data["active"] is True and data["stop_requested"] is False
    assert data["texts"]["best"] == "Best so far: 11 meetings placed, 4 breaks."

    response = client.post(f"/staff/events/{day.event.id}/schedule/stop")
    assert response.status_code == 302
    page = client.get(f"/staff/events/{day.event.id}/schedule").get_data(as_text=True)
    assert "The scheduler stops and keeps the best schedule found so far." in page
    assert "Stopping: the best schedule found so far will be kept." in page
    assert "Stop and keep the best schedule" not in page
    assert client.get(f"/staff/events/{day.event.id}/schedule/run.json").get_json()["stop_requested"] is True


def test_the_worker_writes_progress_and_reads_stop_at_most_once_a_second(day):
    run = start_run(day.staff, day.event, time_limit=10)
    db.session.commit()
    begin_run(run.id)
    db.session.commit()
    now = [100.0]
    watch = RunProgress(run.id, db.engine, throttle=1.0, clock=lambda: now[0])

    def stored() -> dict | None:
        db.session.expire_all()
        return db.session.get(ScheduleRun, run.id).progress

    def report(placed: int) -> Progress:
        return Progress("weight", placed, placed, 0, 20, 0, 1.0)

    watch.report(report(3))
    assert stored()["placed"] == 3
    watch.report(report(5))  # within the second: held back
    assert stored()["placed"] == 3
    assert watch.should_stop() is False
    stop_run(day.staff, day.event)
    db.session.commit()
    assert watch.should_stop() is False  # read less than a second ago
    now[0] += 1.5
    assert watch.should_stop() is True  # and the report held back is written on the way
    assert stored()["placed"] == 5


def test_the_board_cancels_a_queued_run_from_its_panel(client, auth, day):
    run = start_run(day.staff, day.event, time_limit=10)
    db.session.commit()
    auth.login(day.staff)

    page = client.get(f"/staff/events/{day.event.id}/schedule").get_data(as_text=True)
    assert "Waiting for a worker to take the run up." in page and "Cancel the run" in page
    client.post(f"/staff/events/{day.event.id}/schedule/stop")

    page = client.get(f"/staff/events/{day.event.id}/schedule").get_data(as_text=True)
    assert "The run is cancelled: it had not started." in page
    assert "Stopped before it started: nothing was solved or changed." in page
    assert "Cancel the run" not in page and "Run the scheduler" in page
    assert client.get(f"/staff/events/{day.event.id}/schedule/run.json").get_json() == {
        "status": "failed", "active": False, "progress": None, "stop_requested": True, "texts": None}
    db.session.expire_all()
    assert db.session.get(ScheduleRun, run.id).status == RunStatus.FAILED
