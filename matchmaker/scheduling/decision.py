"""The decision model: is there a schedule where every participant has exactly their own lower bound of breaks?

When the lower bound for the whole instance is tiny (0 or 1 break), the optimum is almost always that bound,
and improving from a greedy start wastes the minute: CP-SAT's objective search wanders among schedules with
tens of breaks. Here every participant's breaks are fixed at their bound, which makes nearly everyone
"compact" (their meetings in consecutive slots). A compact participant is then one interval of known length
(their meeting count), and the table count caps how many participants are busy in a slot, so all of them go
into one cumulative constraint (capacity 2 x tables): its energy reasoning sees table congestion over
windows of slots, which the slot-by-slot sums of the main model only learn meeting by meeting.

How it runs (December 2026): CP-SAT's own portfolio of six full-problem searches (default_lp, fixed, max_lp,
no_lp, quick_restart, quick_restart_no_lp: what it starts with 8 workers), interleaved on the caller's threads
(`interleave_search`: each search gets its turn in small batches, and the run is deterministic). The time to
a schedule on these forums is heavy-tailed for any single search: with 2 threads of 2 searches, or the
objective search first, crafted forums of 80 participants x 22 slots were proved 8 times of 12; with 8
threads on 2 cores (the same six searches, not interleaved) 8 of 12 again, but other ones; interleaved, 12 of
12 within 55 s (7-13 s, one 42 s), and the published forums whose bound is 0 or 1 in 0.2-6 s. So the
decision runs first, for DECISION_SHARE of the time; if it does not answer, the objective search gets the
rest (and a proof of "none" from it has raised the bound by one).

Before that (kept for the record): the objective search (core-based, from the greedy start) ran first for 70%
of the time, then this model as a portfolio in time (no-LP restarts, then the default workers).
Why the objective search got most of the minute then: on crafted forums of 80 participants x 22 slots, the
decision alone (2 workers) found none of the hard ones in 120 s, while one uninterrupted objective search proved them in
about 40 s (cut into 18 s of search, 21 s of decision and 20 s of search, it missed them). What the decision
lacks there is the choice of everyone's window of consecutive slots: with every window fixed as built, it
finds the schedule in about a second; with 30% left free, not in 20 s. Narrowing the meeting domains to the
slots some window's one-meeting-per-slot matching can use (all-different filtering, partner by partner) cut
them by 10% only and did not help, nor did an explicit pattern-per-participant model, per-slot parity, fixed
search on the window starts, CP-SAT's local search, or short restarts with other seeds. Nor did a search
over runs (80x22, from the objective search's schedule after 8-15 s, which has 100-160 breaks there): an LNS
on the breaks that keeps most participants' busy slots and frees those above their bound with partners cannot
prove even a 4-participant step in 10 s (everyone's meetings still re-pair inside the kept slots), and one
that fixes the meetings outside the freed participants went from 156 to 99 breaks in 30 s, while the
uninterrupted objective search reaches 0 in about 40 s. Linear "partners' windows overlap" constraints in
this model did not help either (zero-prec seed 1: no schedule in 25 s with or without them), nor did
maximising the meetings placed with everyone compact (430 of 535 after 30 s), nor a Benders-like loop (a
windows-only model, solved in 0.5 s, proposes everyone's window; the decision with those windows as
assumptions answers infeasible in 0.1 s with a core of 1-3 participants, cut from the windows model; but each
round costs ~2 s and the cores grow to 14-18 participants: 20 cuts in 43 s, no schedule).
What runs, in which order, is `solver.py`'s; this module only builds and runs the decision.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Mapping

from ortools.sat.python import cp_model

from matchmaker.scheduling.cpsat import ScheduleModel
from matchmaker.scheduling.instance import Instance
from matchmaker.scheduling.progress import StopTimer, Watch

TINY_BOUND = 1  # the decision runs first when the whole instance's lower bound is at most this
DECISION_SHARE = 0.75  # of the time left when it starts; the objective search has the rest
FULL_SUBSOLVERS = 6  # as many as CP-SAT itself starts with 8 workers (default_lp, fixed, max_lp, no_lp, ...)


def decision_model(inst: Instance, domains: list[tuple[int, ...]], lbs: Mapping[str, int]) -> ScheduleModel:
    """Every meeting placed, every participant at exactly `lbs[p]` breaks, table congestion as a cumulative."""
    model = ScheduleModel(inst, domains, all_placed=True, lower_bounds=lbs)
    m = model.model
    intervals = []
    for pid, lits in model.break_lits.items():
        aux = model.aux.get(pid)
        if aux is None:
            continue
        k = sum(1 for i in inst.meetings_of[pid] if domains[i])
        if lits:
            m.Add(sum(lits) <= lbs.get(pid, 0))
        if not lits or lbs.get(pid, 0) == 0:
            if "first" in aux:
                m.Add(aux["compact"] == 1)
                m.Add(aux["last"] - aux["first"] + 1 == k)
                intervals.append(m.NewFixedSizeIntervalVar(aux["first"], k, ""))
            else:  # one or two possible slots: no chain variables, their busy literals stand in
                intervals += _slot_intervals(m, model.busy[pid])
        else:
            intervals += _slot_intervals(m, model.busy[pid])
    cap = inst.table_capacity
    if cap is not None and all(mt.table_needed for mt in inst.meetings) and intervals:
        m.AddCumulative(intervals, [1] * len(intervals), 2 * cap)
    return model


def _slot_intervals(m: cp_model.CpModel, busy: list) -> list:
    out = []
    for s, b in enumerate(busy):
        if getattr(b, "is_boolean", False):  # not the constant "never busy here"
            out.append(m.NewOptionalFixedSizeIntervalVar(s, 1, b, ""))
    return out


def decide(
    model: ScheduleModel, *, limit: float, workers: int, seed: int, watch: Watch | None = None, log: bool = False
) -> tuple[int, dict[int, int] | None]:
    """(CP-SAT status, schedule or None) of the decision model within `limit` seconds: CP-SAT's portfolio of
    FULL_SUBSOLVERS full-problem searches (the one it runs with 8 workers), interleaved on `workers` threads.
    `log`: CP-SAT's progress on standard error, as the phases print theirs."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.05, limit)
    p.num_workers = workers
    p.random_seed = seed
    p.interleave_search = True
    p.num_full_subsolvers = FULL_SUBSOLVERS
    if log:
        p.log_search_progress = True
        p.log_to_stdout = False
        solver.log_callback = lambda line: print(line, file=sys.stderr)
    with StopTimer(watch, solver) if watch is not None else contextlib.nullcontext():
        status = solver.Solve(model.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, model.extract(solver)
    return status, None
