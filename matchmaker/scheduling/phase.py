"""One phase of the search: CP-SAT run once on the schedule model with an objective, a hint and a share of the
time, and its answer read back (status, solution, objective bound).

The parameters live here: the time margin for loading the model, the portfolio of workers (the "core" MaxSAT
search first), and a light presolve for big models. Which phases run, and in what order, is `solver.py`'s.
"""

from __future__ import annotations

import contextlib
import math
import sys
import time

from ortools.sat.python import cp_model

from matchmaker.scheduling.cpsat import ScheduleModel
from matchmaker.scheduling.progress import Reporter, StopTimer, Watch

BIG_MODEL = 40_000  # x variables


def run_phase(
    model: ScheduleModel,
    expr,
    *,
    maximize: bool,
    hint: dict[int, int] | None,
    limit: float,
    workers: int,
    seed: int,
    log: bool,
    hint_weight: int | None,
    started: float,
    watch: Watch | None = None,
    phase: str = "",
    bound_of=None,
):
    """(status, solution or None, objective bound or None) of one phase. `hint_weight` and `started` (the
    run's monotonic start) only go into the log line. With a `watch`, each improving solution is reported as
    `phase` (`bound_of` turns CP-SAT's objective bound into the watch's (weight, breaks) bounds) and the search
    stops, keeping the best so far, when the watch's caller asks."""
    if maximize:
        model.model.Maximize(expr)
    else:
        model.model.Minimize(expr)
    if hint is not None:
        model.hint(hint)
    solver = cp_model.CpSolver()
    p = solver.parameters
    # Loading the model into CP-SAT and reading the answer back are not counted by its clock: keep a
    # margin that grows with the model (about 1 s per 25,000 placement variables).
    p.max_time_in_seconds = max(0.05, limit - min(0.3 * limit, len(model.x) / 25_000))
    p.num_workers = workers
    p.random_seed = seed
    if log:  # to stderr: stdout carries the schedule
        p.log_search_progress = True
        p.log_to_stdout = False
        solver.log_callback = lambda line: print(line, file=sys.stderr)
    # The first entries become the full-problem workers; the other threads run LNS. With one thread the
    # same portfolio is interleaved in turns (core search alone finds no schedule on forum-14 in 60 s).
    p.subsolvers.extend(["core", "default_lp", "no_lp", "max_lp", "quick_restart", "reduced_costs"])
    if workers == 1:
        p.interleave_search = True
    if len(model.x) > BIG_MODEL:
        # On 100,000+ variables CP-SAT's full presolve (probing, symmetry) takes most of a minute; a light
        # one leaves the time to the search, which starts from the complete greedy hint.
        p.symmetry_level = 0
        p.cp_model_probing_level = 0
        p.max_presolve_iterations = 1
    reporter = None
    if watch is not None:
        reporter = Reporter(watch, phase, model.x.values(), model.weight_expr, model.break_expr,
                            bound_of or (lambda _bound: (None, None)))
    with StopTimer(watch, solver) if watch is not None else contextlib.nullcontext():
        status = solver.Solve(model.model, reporter)
    if log:
        print(
            f"phase {'max' if maximize else 'min'}: {solver.StatusName(status)} obj={solver.ObjectiveValue()} "
            f"bound={solver.BestObjectiveBound()} hint={hint_weight} "
            f"t={time.monotonic() - started:.1f}s (limit {limit:.1f}s)",
            file=sys.stderr,
        )
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bound = solver.BestObjectiveBound()
        bound = math.floor(bound + 1e-6) if maximize else math.ceil(bound - 1e-6)
        return status, model.extract(solver), bound
    return status, None, None
