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
from matchmaker.scheduling.greedy import greedy_schedule, improve
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

BIG_MODEL = 40_000  # x variables
INFEASIBLE_OTHERS = "not scheduled: require_all cannot be met (see the meetings with other reasons)"


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
            lbs, overloaded = participant_lower_bounds(inst, domains, deadline=time.monotonic() + 0.2 * self.left())
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
        kept = frozenset(i for i, s in prev_slots.items() if best.get(i) == s)
        best = improve(inst, domains, best, time.monotonic() + 0.1 * self.left(), keep=kept)
        if not self._acceptable(best):
            best = None if inst.require_all else {}
        model = ScheduleModel(inst, domains, all_placed=inst.require_all, lower_bounds=lbs, previous=prev_slots)
        self.model = model
        proven = True

        if len(model.x) > BIG_MODEL and not inst.require_all:
            return self._single_phase(best)

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
                return self.infeasible(self._diagnose())
            if sol is not None and (best is None or self._moves(sol) <= self._moves(best)):
                best = sol
            proven &= status == cp_model.OPTIMAL
            if best is None:
                return self.unknown()
            model.model.Add(model.move_expr <= self._moves(best))

        # Phase 3: breaks.
        status, sol, bound = self._solve(model.break_expr, hint=best, limit=self.left())
        if status == cp_model.INFEASIBLE:
            return self.infeasible(self._diagnose())
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

    def _single_phase(self, best: dict[int, int]) -> Schedule:
        """Big events: one solve of the lexicographic objective folded into one weighted sum (weight, then
        moves, then breaks, each step outweighing everything after it). Two phases would pay CP-SAT's
        model loading twice, and at this size the search, not the proof, is what the time buys."""
        model = self.model
        n_slots = len(self.inst.slots)
        max_breaks = sum(max(0, (n_slots - 1) // 2) for lits in model.break_lits.values() if lits) + 1
        max_moves = len(self.prev) + 1
        expr = (
            model.weight_expr * (max_moves * max_breaks)
            - (model.move_expr * max_breaks if self.prev else 0)
            - model.break_expr
        )
        status, sol, _ = self._solve(expr, maximize=True, hint=best, limit=self.left())
        if sol is not None and self._key(sol) >= self._key(best):
            best = sol
        return self.result("feasible", best, 0, False)

    def _diagnose(self) -> dict[int, str]:
        """Reasons for a proven-infeasible `require_all` instance: place as many meetings as possible without
        `require_all` (every other rule kept) and explain the ones left out. Dropping those makes the rest
        feasible, which is what an organiser can act on."""
        inst = self.inst
        relaxed = ScheduleModel(inst, list(inst.domains), all_placed=False)
        self.model = relaxed
        best = improve(inst, inst.domains, greedy_schedule(inst, inst.domains), time.monotonic() + 0.05 * self.left())
        count = sum(relaxed.placed)
        status, sol, _ = self._solve(count, maximize=True, hint=best, limit=min(10.0, self.left()))
        if sol is not None and len(sol) >= len(best):
            best = sol
        if len(best) == len(inst.meetings):  # cannot happen; keep the generic wording
            return {}
        prefix = "cannot be placed together with all the others: "
        return {
            i: prefix + explain(inst, inst.domains, best, i, proven=status == cp_model.OPTIMAL)
            for i in range(len(inst.meetings))
            if i not in best
        }

    def _key(self, sol) -> tuple:
        return (self._weight(sol), -self._moves(sol), -self._breaks(sol))

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
        # Loading the model into CP-SAT and reading the answer back are not counted by its clock: keep a
        # margin that grows with the model (about 1 s per 25,000 placement variables).
        p.max_time_in_seconds = max(0.05, limit - min(0.3 * limit, len(model.x) / 25_000))
        p.num_workers = self.workers
        p.random_seed = self.seed
        if self.log:  # to stderr: stdout carries the schedule
            p.log_search_progress = True
            p.log_to_stdout = False
            solver.log_callback = lambda line: print(line, file=sys.stderr)
        # The first entries become the full-problem workers; the other threads run LNS. With one thread the
        # same portfolio is interleaved in turns (core search alone finds no schedule on forum-14 in 60 s).
        p.subsolvers.extend(["core", "default_lp", "no_lp", "max_lp", "quick_restart", "reduced_costs"])
        if self.workers == 1:
            p.interleave_search = True
        if len(model.x) > BIG_MODEL:
            # On 100,000+ variables CP-SAT's full presolve (probing, symmetry) takes most of a minute; a light
            # one leaves the time to the search, which starts from the complete greedy hint.
            p.symmetry_level = 0
            p.cp_model_probing_level = 0
            p.max_presolve_iterations = 1
        status = solver.Solve(model.model)
        if self.log:
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
            unscheduled=[Unscheduled(m.id, reasons.get(i, INFEASIBLE_OTHERS)) for i, m in enumerate(inst.meetings)],
            solve_seconds=self._elapsed(),
            moved=self._moved({}) if self.has_previous else None,
            name=inst.name,
        )

    def unknown(self) -> Schedule:
        inst = self.inst
        return Schedule(
            status="unknown",
            unscheduled=[
                Unscheduled(m.id, "no schedule found within the time limit; allow more time") for m in inst.meetings
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
