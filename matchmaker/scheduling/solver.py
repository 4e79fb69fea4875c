"""Solving an instance: lexicographic phases over one CP-SAT model.

1. weight: maximise the total weight of placed meetings (skipped with `require_all`, where everything is
   placed, or when the greedy start already places everything);
2. moves (re-scheduling only): with that weight, minimise the published meetings that leave their slot; moves
   rank above breaks because a published schedule is something people have planned around, while a break is
   only an inconvenience;
3. breaks: with that weight (and number of moves), minimise the total breaks.

Each phase fixes its optimum (or the best value found in its share of time) as a constraint for the next and
hints the next with its solution. The answer is `optimal` only if every phase was proven.

CP-SAT runs with the "core" worker first: a MaxSAT-style search that raises the lower bound by finding sets of
break literals that cannot all be false. It is what proves the published optima; LNS workers share the other
threads and improve the solutions.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Mapping

from ortools.sat.python import cp_model

from matchmaker.scheduling.bounds import participant_lower_bounds, propagate_fixed
from matchmaker.scheduling.greedy import greedy_schedule
from matchmaker.scheduling.instance import Instance
from matchmaker.scheduling.model import ScheduleModel
from matchmaker.scheduling.reasons import domain_reason, explain, participant_overload
from matchmaker.scheduling.schedule import (
    Assignment,
    Move,
    Schedule,
    Unscheduled,
    breaks_by_participant,
    total_weight,
)
from matchmaker.scheduling.tables import assign_tables

_TRACE = bool(__import__("os").environ.get("SCHED_TRACE"))
INFEASIBLE_OTHERS = "not scheduled: the instance is infeasible; see the meetings with other reasons"


def solve(
    inst: Instance,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    previous=None,
    seed: int = 0,
    log: bool = False,
) -> Schedule:
    """Schedule `inst` within about `time_limit` seconds on `workers` threads.

    `previous` (re-scheduling) is the published schedule: a Schedule, a schedule dict as written by the CLI,
    or a mapping meeting id -> slot id. Its meetings stay in their slots (and tables) unless moving one lets
    more weight be placed; the result's `moved` lists those that changed.
    """
    return _Run(inst, time_limit, workers, previous, seed, log).run()


def previous_assignments(inst: Instance, previous) -> dict[int, tuple[int, str | None]]:
    """Meeting index -> (slot index, table) of a previous schedule, ignoring meetings or slots that no
    longer exist (the instance may have changed since it was published)."""
    if previous is None:
        return {}
    if isinstance(previous, Schedule):
        rows = [(a.meeting, a.slot, a.table) for a in previous.assignments]
    elif isinstance(previous, Mapping) and "assignments" in previous:
        rows = [(a["meeting"], a["slot"], a.get("table")) for a in previous["assignments"]]
    else:
        rows = [(m, s, None) for m, s in dict(previous).items()]
    out = {}
    for mid, sid, table in rows:
        if mid in inst.meeting_index and sid in inst.slot_index:
            out[inst.meeting_index[mid]] = (inst.slot_index[sid], table)
    return out


class _Run:
    def __init__(self, inst, time_limit, workers, previous, seed, log):
        self.inst = inst
        self.start = time.monotonic()
        self.deadline = self.start + max(0.1, time_limit)
        self.workers = max(1, workers)
        self.seed = seed
        self.log = log
        self.prev = previous_assignments(inst, previous)
        self.has_previous = previous is not None

    def left(self) -> float:
        return self.deadline - time.monotonic()

    # ------------------------------------------------------------------ phases

    def run(self) -> Schedule:
        inst = self.inst
        domains = list(inst.domains)
        lbs: dict[str, int] | None = None
        if inst.require_all:
            empty = [i for i, d in enumerate(domains) if not d]
            if empty:
                return self.infeasible({i: domain_reason(inst, i) or "no possible slot" for i in empty})
            domains = propagate_fixed(inst, domains)
            if any(not d for d in domains):
                i = next(i for i, d in enumerate(domains) if not d)
                return self.infeasible({i: "its only possible slots are taken by fixed meetings of its participants"})
            lbs, overloaded = participant_lower_bounds(
                inst, domains, deadline=time.monotonic() + 0.2 * self.left()
            )
            if overloaded is not None:
                reason = participant_overload(inst, overloaded, domains)
                return self.infeasible({i: reason for i in inst.meetings_of[overloaded]})
            if inst.max_break_spread is not None and lbs:
                # Everyone has meetings, so everyone is within `spread` of the participant with most breaks.
                floor = max(lbs.values()) - inst.max_break_spread
                lbs = {p: max(v, floor) if inst.meetings_of[p] else v for p, v in lbs.items()}
        self.lbs = lbs
        self.domains = domains

        prev_slots = {i: s for i, (s, _) in self.prev.items()}
        best = greedy_schedule(inst, domains, prev_slots)
        if not self._acceptable(best):
            best = None if inst.require_all else {}
        model = ScheduleModel(inst, domains, all_placed=inst.require_all, lower_bounds=lbs, previous=prev_slots)
        self.model = model
        proven = True

        # Phase 1: weight.
        if not inst.require_all and not isinstance(model.weight_expr, int):
            upper = sum(w for w, d in zip(model.int_weights, domains, strict=True) if d)
            if self._weight(best) < upper:
                share = self.left() * (0.4 if self.has_previous else 0.5)
                status, sol, _ = self._solve(model.weight_expr, maximize=True, hint=best, limit=share)
                if sol is not None and self._weight(sol) >= self._weight(best):
                    best = sol
                proven &= status == cp_model.OPTIMAL
            model.model.Add(model.weight_expr >= self._weight(best))
            if self._weight(best) == upper:
                self._bound_forced_participants(upper)

        # Phase 2: moves.
        if self.prev and not isinstance(model.move_expr, int):
            status, sol, _ = self._solve(model.move_expr, hint=best, limit=0.5 * self.left())
            if status == cp_model.INFEASIBLE:
                return self.infeasible({})
            if sol is not None and (best is None or self._moves(sol) <= self._moves(best)):
                best = sol
            proven &= status == cp_model.OPTIMAL
            if best is None:
                return self.unknown()
            model.model.Add(model.move_expr <= self._moves(best))

        # Phase 3: breaks.
        status, sol, bound = self._solve(model.break_expr, hint=best, limit=self.left())
        if status == cp_model.INFEASIBLE:
            return self.infeasible({})
        if sol is not None and (best is None or self._breaks(sol) <= self._breaks(best)):
            best = sol
        if best is None:
            return self.unknown()
        proven &= status == cp_model.OPTIMAL
        found = self._breaks(best)
        bound = max(bound or 0, sum(self.lbs.values()) if self.lbs else 0)
        if proven:
            bound = found
        return self.result("optimal" if proven else "feasible", best, min(bound, found), proven)

    def _bound_forced_participants(self, upper: int) -> None:
        """With all the weight placed, every positive-weight meeting that can be placed is placed: the
        per-participant bounds hold for those whose possible meetings all have positive weight."""
        inst, model = self.inst, self.model
        forced = {
            p.id
            for p in inst.participants
            if all(model.int_weights[i] > 0 for i in inst.meetings_of[p.id] if self.domains[i])
        }
        domains = propagate_fixed(inst, [d if model.int_weights[i] > 0 else () for i, d in enumerate(self.domains)])
        if any(not d for i, d in enumerate(domains) if self.domains[i] and model.int_weights[i] > 0):
            return  # cannot happen with the weight proven placeable; stay safe
        lbs, _ = participant_lower_bounds(inst, domains, time.monotonic() + 0.1 * self.left(), only=forced)
        for pid, lb in lbs.items():
            if lb and model.break_lits.get(pid):
                model.model.Add(sum(model.break_lits[pid]) >= lb)
        self.lbs = lbs

    def _solve(self, expr, *, maximize=False, hint=None, limit=0.0):
        """(status, solution or None, objective bound or None) of one phase."""
        model = self.model
        if maximize:
            model.model.Maximize(expr)
        else:
            model.model.Minimize(expr)
        if hint is not None:
            model.hint(hint)
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.max_time_in_seconds = max(0.05, limit)
        p.num_workers = self.workers
        p.random_seed = self.seed
        if self.log:  # to stderr: stdout carries the schedule
            p.log_search_progress = True
            p.log_to_stdout = False
            solver.log_callback = lambda line: print(line, file=sys.stderr)
        if self.workers == 1:
            p.optimize_with_core = True
        else:
            # The first entries become the full-problem workers; the other threads run LNS.
            p.subsolvers.extend(["core", "default_lp", "no_lp", "max_lp", "quick_restart", "reduced_costs"])
        status = solver.Solve(model.model)
        if self.log or _TRACE:
            print(
                f"phase {'max' if maximize else 'min'}: {solver.StatusName(status)} obj={solver.ObjectiveValue()} "
                f"bound={solver.BestObjectiveBound()} hint={self._weight(hint) if maximize else None} "
                f"t={self._elapsed():.1f}s (limit {limit:.1f}s)",
                file=sys.stderr,
            )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            bound = solver.BestObjectiveBound()
            bound = math.floor(bound + 1e-6) if maximize else math.ceil(bound - 1e-6)
            return status, model.extract(solver), bound
        return status, None, None

    # ------------------------------------------------------------------ helpers

    def _acceptable(self, sol: dict[int, int]) -> bool:
        """Whether the greedy schedule is a valid answer (it ignores break fairness and may leave some out)."""
        inst = self.inst
        if inst.require_all and len(sol) != len(inst.meetings):
            return False
        if inst.max_break_spread is not None:
            b = breaks_by_participant(inst, {inst.meetings[i].id: inst.slots[s].id for i, s in sol.items()})
            if b and max(b.values()) - min(b.values()) > inst.max_break_spread:
                return False
        return True

    def _weight(self, sol) -> int:
        if sol is None:
            return 0
        return sum(self.model.int_weights[i] for i in sol)

    def _moves(self, sol) -> int:
        return sum(1 for i, (s, _) in self.prev.items() if sol.get(i) != s)

    def _breaks(self, sol) -> int:
        inst = self.inst
        b = breaks_by_participant(inst, {inst.meetings[i].id: inst.slots[s].id for i, s in sol.items()})
        return sum(b.values())

    # ------------------------------------------------------------------ answers

    def _elapsed(self) -> float:
        return time.monotonic() - self.start

    def infeasible(self, reasons: dict[int, str]) -> Schedule:
        inst = self.inst
        return Schedule(
            status="infeasible",
            unscheduled=[
                Unscheduled(m.id, reasons.get(i, INFEASIBLE_OTHERS)) for i, m in enumerate(inst.meetings)
            ],
            solve_seconds=self._elapsed(),
            moved=self._moved({}) if self.has_previous else None,
            name=inst.name,
        )

    def unknown(self) -> Schedule:
        inst = self.inst
        return Schedule(
            status="unknown",
            unscheduled=[
                Unscheduled(m.id, "no schedule found within the time limit; allow more time")
                for m in inst.meetings
            ],
            solve_seconds=self._elapsed(),
            moved=self._moved({}) if self.has_previous else None,
            name=inst.name,
        )

    def _moved(self, sol: dict[int, int]) -> list[Move]:
        inst = self.inst
        return [
            Move(inst.meetings[i].id, inst.slots[s].id, inst.slots[sol[i]].id if i in sol else None)
            for i, (s, _) in sorted(self.prev.items())
            if sol.get(i) != s
        ]

    def result(self, status: str, sol: dict[int, int], bound: int, proven: bool) -> Schedule:
        inst = self.inst
        tables = assign_tables(inst, sol, self.prev)
        assignments = [
            Assignment(inst.meetings[i].id, inst.slots[s].id, tables.get(i))
            for i, s in sorted(sol.items(), key=lambda kv: (kv[1], kv[0]))
        ]
        slot_of = {a.meeting: a.slot for a in assignments}
        breaks = breaks_by_participant(inst, slot_of)
        unscheduled = [
            Unscheduled(m.id, explain(inst, self.domains, sol, i, proven=proven))
            for i, m in enumerate(inst.meetings)
            if i not in sol
        ]
        return Schedule(
            status=status,
            assignments=assignments,
            unscheduled=unscheduled,
            scheduled=len(assignments),
            weight=total_weight(inst, slot_of),
            breaks=sum(breaks.values()),
            max_breaks=max(breaks.values(), default=0),
            bound_breaks=bound,
            solve_seconds=self._elapsed(),
            moved=self._moved(sol) if self.has_previous else None,
            name=inst.name,
        )
