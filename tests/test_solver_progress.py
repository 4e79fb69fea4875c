"""The solver's progress reports and early stop (scheduling/progress.py): improvements are reported as CP-SAT
finds them, and a stop keeps the best schedule found so far, valid and `feasible`."""

from __future__ import annotations

from matchmaker.scheduling import solve, validate
from matchmaker.scheduling.generator import generate_event


def test_progress_reports_the_greedy_start_and_an_improvement_in_weight():
    inst = generate_event(40, seed=1, meetings_per_participant=8.0)
    reports = []

    def improved() -> bool:  # stop as soon as a report beats the greedy start: the test needs no more
        return any(r.weight > reports[0].weight for r in reports)

    result = solve(inst, time_limit=60, workers=2, progress=reports.append, should_stop=improved)

    assert reports[0].phase == "greedy"
    assert reports[0].weight_bound == sum(m.weight for m in inst.meetings)  # every meeting has a slot here
    better = next(r for r in reports if r.weight > reports[0].weight)
    assert better.phase == "weight"
    assert better.placed >= 1 and better.weight <= better.weight_bound
    assert [r.elapsed for r in reports] == sorted(r.elapsed for r in reports)
    assert result.status == "feasible"
    assert validate(inst, result) == []
    assert result.weight >= better.weight


def test_stop_after_the_first_report_returns_the_greedy_schedule():
    inst = generate_event(40, seed=1, meetings_per_participant=8.0)
    reports = []

    result = solve(inst, time_limit=60, workers=2, progress=reports.append, should_stop=lambda: bool(reports))

    assert [r.phase for r in reports] == ["greedy"]
    assert result.status == "feasible"
    assert validate(inst, result) == []
    assert (result.scheduled, result.weight, result.breaks) == (reports[0].placed, reports[0].weight,
                                                                reports[0].breaks)


def test_stop_during_the_search_keeps_the_best_schedule_found():
    inst = generate_event(40, seed=1, meetings_per_participant=8.0)
    reports = []

    # Once the CP-SAT phase has begun (its start is reported), the stop reaches the search itself.
    result = solve(inst, time_limit=60, workers=2, progress=reports.append,
                   should_stop=lambda: any(r.phase == "weight" for r in reports))

    assert result.status == "feasible"
    assert validate(inst, result) == []
    assert "breaks" not in {r.phase for r in reports}
    assert result.weight >= max(r.weight for r in reports)


def test_a_solve_without_a_stop_request_runs_as_before():
    inst = generate_event(10, seed=3, meetings_per_participant=3.0)
    reports = []

    result = solve(inst, time_limit=10, workers=2, progress=reports.append, should_stop=lambda: False)

    assert result.status == "optimal"
    assert validate(inst, result) == []
    assert reports[0].phase == "greedy"
