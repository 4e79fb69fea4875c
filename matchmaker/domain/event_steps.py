"""Where a matchmaking day stands: its counts (read by `services.cockpit`), the phase of the day at a given
instant, and the ordered checklist staff work through (review → requests → schedule → publish → the day →
follow-up), each step done, current or still to do, and the next step. Plain data in, plain data out: no Flask, no
database, so the staff pages and a test table read it alike."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Phase(StrEnum):
    BEFORE = "before"  # before the day's date (in the event's zone)
    DAY = "day"  # the day itself, until its last slot ends
    AFTER = "after"  # the day is over


class Step(StrEnum):
    REVIEW = "review"
    REQUESTS = "requests"
    SCHEDULE = "schedule"
    PUBLISH = "publish"
    DAY = "day"
    FOLLOW_UP = "follow_up"


class State(StrEnum):
    DONE = "done"
    CURRENT = "current"
    TODO = "todo"


@dataclass(frozen=True)
class DayCounts:
    """A day's state as counts. `run_*` describe the last scheduler run (None: never run)."""

    applications: int = 0  # applied, waiting for a decision
    approved_companies: int = 0
    approved_partners: int = 0
    requests_pending: int = 0
    requests_accepted: int = 0
    requests_declined: int = 0
    unscheduled: int = 0  # accepted requests without a scheduled meeting
    unscheduled_untried: int = 0  # of those, the ones no scheduler run has tried to place
    meetings_placed: int = 0  # scheduled meetings
    run_status: str | None = None  # queued, running, done, failed
    run_dt: datetime | None = None  # when it finished (or started, or was queued)
    run_placed: int | None = None
    run_breaks: int | None = None
    published: bool = False
    unpublished: int = 0  # meetings whose calendars have not seen them as they are
    invites_queued: int = 0
    invites_failed: int = 0
    requests_closed: bool = False  # the day's request deadline has passed
    checked_in: int = 0
    absent: int = 0
    running_now: int = 0  # meetings under way at the instant the counts were read
    meetings_held: int = 0  # scheduled meetings that have ended
    feedback_received: int = 0  # feedback forms (one per side and meeting)
    meetings_with_feedback: int = 0

    @property
    def run_active(self) -> bool:
        return self.run_status in ("queued", "running")


@dataclass(frozen=True)
class StepState:
    step: Step
    state: State


def phase_at(now: datetime, day_begins: datetime, day_ends: datetime) -> Phase:
    """The phase at `now` of a day whose date begins at `day_begins` (local midnight, as an instant) and whose last
    slot ends at `day_ends`."""
    if now < day_begins:
        return Phase.BEFORE
    return Phase.DAY if now < day_ends else Phase.AFTER


def _done(step: Step, c: DayCounts, phase: Phase) -> bool:
    if step == Step.REVIEW:
        return c.applications == 0 and c.approved_companies > 0 and c.approved_partners > 0
    if step == Step.REQUESTS:
        answered = c.requests_pending == 0 or c.requests_closed or phase != Phase.BEFORE
        return c.requests_accepted > 0 and answered
    if step == Step.SCHEDULE:
        return c.meetings_placed > 0 and not c.run_active and c.unscheduled_untried == 0
    if step == Step.PUBLISH:
        return c.published and c.unpublished == 0 and not c.run_active
    if step == Step.DAY:
        return phase == Phase.AFTER
    return phase == Phase.AFTER and c.meetings_with_feedback >= c.meetings_held  # follow-up


# Once the day has begun, the steps before it can no longer be the one to work on now.
_EARLIEST = {Phase.BEFORE: Step.REVIEW, Phase.DAY: Step.DAY, Phase.AFTER: Step.FOLLOW_UP}


def checklist(counts: DayCounts, phase: Phase) -> list[StepState]:
    """Every step in order: done, the current one (the first not done whose time has come), or to do (later
    steps, and earlier ones left undone once the day has begun)."""
    order = list(Step)
    earliest = order.index(_EARLIEST[phase])
    states, current_found = [], False
    for index, step in enumerate(order):
        if _done(step, counts, phase):
            state = State.DONE
        elif not current_found and index >= earliest:
            state, current_found = State.CURRENT, True
        else:
            state = State.TODO
        states.append(StepState(step, state))
    return states


def next_step(counts: DayCounts, phase: Phase) -> Step | None:
    """The step to work on now (None: everything is done)."""
    return next((s.step for s in checklist(counts, phase) if s.state == State.CURRENT), None)
