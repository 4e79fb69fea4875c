"""The checklist of a matchmaking day (domain.event_steps): which steps are done, which one is current, and the
phase of the day at an instant."""

from datetime import UTC, datetime

import pytest

from matchmaker.domain.event_steps import DayCounts, Phase, State, Step, checklist, next_step, phase_at

BEFORE, DAY, AFTER = Phase.BEFORE, Phase.DAY, Phase.AFTER
D, C, T = State.DONE, State.CURRENT, State.TODO

# A day whose review, requests, schedule and publication are all done.
READY = dict(approved_companies=3, approved_partners=2, requests_accepted=4, meetings_placed=4, published=True)


@pytest.mark.parametrize(("counts", "phase", "states"), [
    # A new day: nobody yet, so the review is the current step.
    ({}, BEFORE, (C, T, T, T, T, T)),
    # Applications waiting: still the review.
    (dict(applications=2, approved_companies=3, approved_partners=2), BEFORE, (C, T, T, T, T, T)),
    # Only one side approved: the review is not done.
    (dict(approved_companies=3), BEFORE, (C, T, T, T, T, T)),
    # Both sides approved, nothing waiting: on to the requests.
    (dict(approved_companies=3, approved_partners=2), BEFORE, (D, C, T, T, T, T)),
    # Requests accepted but others still waiting for an answer: still the requests...
    (dict(approved_companies=3, approved_partners=2, requests_accepted=2, requests_pending=1), BEFORE,
     (D, C, T, T, T, T)),
    # ...unless the deadline has passed.
    (dict(approved_companies=3, approved_partners=2, requests_accepted=2, requests_pending=1, requests_closed=True),
     BEFORE, (D, D, C, T, T, T)),
    # Accepted requests no run has tried to place: schedule.
    (dict(READY, published=False, unscheduled=2, unscheduled_untried=2), BEFORE, (D, D, C, T, T, T)),
    # Left out by a run, with its reason: the schedule step is done, publish is next.
    (dict(READY, published=False, unscheduled=2, unscheduled_untried=0), BEFORE, (D, D, D, C, T, T)),
    # A run under way: neither schedule nor publish is done.
    (dict(READY, run_status="running"), BEFORE, (D, D, C, T, T, T)),
    (dict(READY, run_status="queued"), BEFORE, (D, D, C, T, T, T)),
    (dict(READY, run_status="done"), BEFORE, (D, D, D, D, C, T)),
    # Published, then changed: publish again.
    (dict(READY, unpublished=3), BEFORE, (D, D, D, C, T, T)),
    # Everything ready before the day: the day is next.
    (READY, BEFORE, (D, D, D, D, C, T)),
    # On the day, an application still waiting is left to do; the day is current.
    (dict(READY, applications=1), DAY, (T, D, D, D, C, T)),
    # After the day: the follow-up until every meeting held has feedback.
    (dict(READY, meetings_held=4, meetings_with_feedback=3), AFTER, (D, D, D, D, D, C)),
    (dict(READY, meetings_held=4, meetings_with_feedback=4), AFTER, (D, D, D, D, D, D)),
    # A day that never got its schedule published: past, its earlier steps are left to do.
    (dict(approved_companies=3, approved_partners=2, requests_accepted=2), AFTER, (D, D, T, T, D, D)),
])
def test_checklist_marks_each_step(counts, phase, states):
    result = checklist(DayCounts(**counts), phase)
    assert [s.step for s in result] == list(Step)
    assert tuple(s.state for s in result) == states
    expected_next = next((step for step, state in zip(Step, states, strict=True) if state == C), None)
    assert next_step(DayCounts(**counts), phase) == expected_next


@pytest.mark.parametrize(("phase", "current"), [(BEFORE, 1), (DAY, 1), (AFTER, 0)])
def test_an_empty_day_has_one_current_step_until_it_is_over(phase, current):
    # After the day nothing can be done about a day that never got participants: no step is current.
    assert sum(s.state == C for s in checklist(DayCounts(), phase)) == current


@pytest.mark.parametrize(("now", "phase"), [
    (datetime(2027, 3, 9, 23, 59, tzinfo=UTC), BEFORE),
    (datetime(2027, 3, 10, 0, 0, tzinfo=UTC), DAY),
    (datetime(2027, 3, 10, 16, 59, tzinfo=UTC), DAY),
    (datetime(2027, 3, 10, 17, 0, tzinfo=UTC), AFTER),
])
def test_phase_at_the_edges_of_the_day(now, phase):
    begins, ends = datetime(2027, 3, 10, tzinfo=UTC), datetime(2027, 3, 10, 17, tzinfo=UTC)
    assert phase_at(now, begins, ends) == phase
