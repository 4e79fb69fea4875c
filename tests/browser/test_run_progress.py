"""A scheduler run seen from the board while it works: the panel reports the best schedule so far as the solver
finds it (no page reload), passes the axe checks, keeps Publish disabled, and Stop ends the run with the best
schedule found kept; the page then shows the result once, with Publish enabled again."""

import re

import pytest
from builders.accessibility import assert_accessible
from builders.crowded_day import build_crowded_day
from playwright.sync_api import expect
from sqlalchemy import func, select, update

from matchmaker.database import utcnow
from matchmaker.enums import MeetingStatus, RunStatus
from matchmaker.extensions import db
from matchmaker.jobs import wait_for_background
from matchmaker.models import Meeting, ScheduleRun

pytestmark = pytest.mark.browser


def test_a_running_solve_reports_its_best_schedule_and_stop_keeps_it(
        app, monkeypatch, page, sign_in, make_office, make_program, make_event, make_user, make_participation):
    monkeypatch.setitem(app.config, "JOBS_MODE", "thread")  # the run works in the background while the page polls
    day = build_crowded_day(make_office, make_program, make_event, make_user, make_participation)
    try:
        watch_and_stop(page, sign_in, day)
    finally:  # never leave the worker solving on a database the next test replaces
        db.session.execute(update(ScheduleRun).where(ScheduleRun.event_id == day.event.id,
                                                     ScheduleRun.stop_requested_dt.is_(None))
                           .values(stop_requested_dt=utcnow()))
        db.session.commit()
        assert wait_for_background(30)

    db.session.expire_all()
    run = db.session.scalar(select(ScheduleRun).where(ScheduleRun.event_id == day.event.id))
    assert run.status == RunStatus.DONE
    assert run.result["status"] == "feasible"  # stopped: not proven optimal
    placed = db.session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.event_id == day.event.id, Meeting.status == MeetingStatus.SCHEDULED))
    assert placed == run.result["objective"]["scheduled"] > 0
    assert run.progress["placed"] > 0


def watch_and_stop(page, sign_in, day) -> None:
    sign_in(page, day.staff.email)
    page.goto(f"/staff/events/{day.event.id}/schedule")
    page.get_by_label("Time limit (seconds)").fill("20")
    page.get_by_role("button", name="Run the scheduler").click()

    panel = page.locator("#run-progress")
    best = panel.locator("[data-text=best]")
    expect(panel).to_be_visible()
    page.evaluate("window.sameLoad = true")  # gone if the page were loaded again
    elapsed = panel.locator("[data-text=elapsed]")
    first = elapsed.text_content()
    # Written by the worker, fetched by the page's script every second: the texts change, the page stays.
    expect(elapsed).not_to_have_text(first, timeout=5_000)
    expect(best).to_have_text(re.compile(r"^Best so far: \d+ meetings placed, \d+ breaks\.$"), timeout=15_000)
    assert page.evaluate("window.sameLoad") is True
    expect(panel.locator("[data-text=bound]")).to_contain_text("Bound: meeting weight")
    expect(elapsed).to_contain_text("Working for")
    expect(page.get_by_role("button", name="Publish the schedule")).to_be_disabled()
    # The whole board, the grid's scrolling wrapper included (a grid this wide scrolls: it takes the focus).
    assert_accessible(page)

    page.get_by_role("button", name="Stop and keep the best schedule").click()
    expect(page.locator(".flash.success")).to_contain_text("The scheduler stops and keeps the best schedule")
    # When the run is done the script loads the page once: the result, and Publish back.
    expect(page.get_by_text("Stopped on request: the best schedule found is kept.")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("link", name="Publish the schedule…")).to_be_visible()
    expect(page.locator("#run-progress")).to_have_count(0)
