"""LNS over time windows and clusters of participants on two-sided days (scheduling/lns.py): its schedules are
valid, never worse than where they started, the same for the same seed, and it stops when asked."""

from __future__ import annotations

import time

import pytest

from matchmaker.scheduling import solve, validate
from matchmaker.scheduling.answer import solved_schedule
from matchmaker.scheduling.cpsat import integer_weights
from matchmaker.scheduling.greedy import greedy_schedule
from matchmaker.scheduling.lns import MIN_MEETINGS, improve_lns
from matchmaker.scheduling.progress import Watch
from matchmaker.scheduling.schedule import breaks_of
from matchmaker.scheduling.zones import zone_day

LATER = 3600.0  # a deadline never reached: the steps are counted


def start(inst):
    return greedy_schedule(inst, list(inst.domains), {})


def key(inst, sol):
    slots = {}
    for i, s in sol.items():
        for p in inst.meetings[i].participants:
            slots.setdefault(p, []).append(s)
    return sum(integer_weights(inst)[i] for i in sol), -sum(breaks_of(v) for v in slots.values())


def as_schedule(inst, sol):
    return solved_schedule(inst, list(inst.domains), "feasible", sol, 0, False, None, 0.0)


@pytest.mark.parametrize("kind,seed", [("ballroom", 1), ("hybrid", 2), ("seoul-pacific", 3)])
def test_lns_schedule_is_valid_and_no_worse_than_its_start(kind, seed):
    inst = zone_day(kind, 24, 10, seed=seed, requests=5)
    first = start(inst)

    sol = improve_lns(inst, list(inst.domains), first, time.monotonic() + LATER, seed=seed, iterations=5)

    assert validate(inst, as_schedule(inst, sol)) == []
    assert key(inst, sol) >= key(inst, first)
    assert all(s in inst.domains[i] for i, s in sol.items())


def test_lns_places_more_than_a_poor_start():
    inst = zone_day("hybrid", 24, 10, seed=4, requests=5)
    poor = dict(list(start(inst).items())[::2])  # half of the greedy schedule: room to place more

    sol = improve_lns(inst, list(inst.domains), poor, time.monotonic() + LATER, seed=0, iterations=4)

    assert validate(inst, as_schedule(inst, sol)) == []
    assert key(inst, sol)[0] > key(inst, poor)[0]


def test_lns_is_deterministic_for_a_seed():
    inst = zone_day("ballroom", 24, 10, seed=5, requests=5)
    first = start(inst)

    runs = [improve_lns(inst, list(inst.domains), first, time.monotonic() + LATER, seed=7, iterations=4)
            for _ in range(2)]

    assert runs[0] == runs[1]


def test_lns_stops_when_asked_and_keeps_its_best():
    inst = zone_day("hybrid", 24, 10, seed=6, requests=5)
    poor = dict(list(start(inst).items())[::2])
    asked = []

    def stop_now() -> bool:
        asked.append(True)
        return True

    kept = improve_lns(inst, list(inst.domains), poor, time.monotonic() + LATER, seed=0,
                       watch=Watch(None, stop_now, time.monotonic()), iterations=50)
    assert asked and kept == poor  # asked before the first step: nothing changed

    reports = []
    watch = Watch(reports.append, lambda: len(reports) >= 1, time.monotonic())
    sol = improve_lns(inst, list(inst.domains), poor, time.monotonic() + LATER, seed=0, watch=watch,
                      iterations=50)
    assert [r.phase for r in reports] == ["lns"]  # stopped after its first improvement
    assert key(inst, sol) == (reports[0].weight, -reports[0].breaks)
    assert validate(inst, as_schedule(inst, sol)) == []


def test_solve_on_a_big_day_stopped_at_once_returns_its_greedy_schedule():
    inst = zone_day("hybrid", 70, 30, seed=1)
    assert len(inst.meetings) >= MIN_MEETINGS  # the solver runs the LNS on this day
    reports = []

    result = solve(inst, time_limit=60, workers=1, progress=reports.append, should_stop=lambda: bool(reports))

    assert [r.phase for r in reports] == ["greedy"]
    assert result.status == "feasible"
    assert validate(inst, result) == []
    assert (result.scheduled, result.weight) == (reports[0].placed, reports[0].weight)
