"""Solving an instance: lexicographic phases over one CP-SAT model.

1. weight: maximise the total weight of placed meetings (skipped with `require_all`, where everything is
   placed, or when the greedy start already places everything);
2. moves (re-scheduling only): with that weight, minimise the published meetings that leave their slot; moves
   rank above breaks because a published schedule is something people have planned around, while a break is
   only an inconvenience;
3. breaks: with that weight (and moves), minimise the total breaks (with a bound of 0 or 1 a decision model runs
   first: `decision.py`).

Each phase fixes its optimum (or the best value found in its share of time) as a constraint for the next and
hints the next with its solution. The answer is `optimal` only if every phase was proven. CP-SAT runs with
the "core" worker first: a MaxSAT-style search that raises the lower bound by finding sets of break literals
that cannot all be false; it proves the published optima. Model: `cpsat.py`; one CP-SAT run: `phase.py`.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from matchmaker.scheduling.answer import (
    Previous,
    acceptable,
    infeasible_schedule,
    previous_assignments,
    solved_schedule,
    unknown_schedule,
)
from matchmaker.scheduling.bounds import participant_lower_bounds, propagate_fixed
from matchmaker.scheduling.cpsat import ScheduleModel
from matchmaker.scheduling.decision import DECISION_SHARE, TINY_BOUND, decide, decision_model
from matchmaker.scheduling.greedy import greedy_schedule, improve
from matchmaker.scheduling.instance import Instance
from matchmaker.scheduling.lns import big_day_start
from matchmaker.scheduling.phase import BIG_MODEL, run_phase
from matchmaker.scheduling.progress import Watch, ceil_bound, floor_bound
from matchmaker.scheduling.reasons import Reason, domain_reason, explain, participant_overload
from matchmaker.scheduling.schedule import Schedule, breaks_by_participant

NO_SLOT = Reason("no_slot", "no possible slot")
FIXED_SLOT_TAKEN = Reason("fixed_slot_taken", "its only possible slots are taken by fixed meetings of its participants")


def solve(
    inst: Instance,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    previous=None,
    seed: int = 0,
    log: bool = False,
    progress=None,
    should_stop=None,
) -> Schedule:
    """Schedule `inst` within about `time_limit` seconds on `workers` threads.

    `previous` (re-scheduling) is the published schedule: a Schedule, a schedule dict as written by the CLI,
    or a mapping meeting id -> slot id. Its meetings stay in their slots (and tables) unless moving one lets
    more weight be placed; the result's `moved` lists those that changed.

    `progress(report)` (a `progress.Progress`) is called with the greedy start, at each phase and at each
    improving schedule; `should_stop()` is polled while solving, and once it answers True the best schedule
    found so far is returned (`feasible`). Both may be called from other threads (see `progress.py`).
    """
    return _Run(inst, time_limit, workers, previous, seed, log, Watch(progress, should_stop, time.monotonic())).run()


class _Run:
    def __init__(self, inst, time_limit, workers, previous, seed, log, watch):
        self.inst = inst
        self.start = time.monotonic()
        self.deadline = self.start + max(0.1, time_limit)
        self.workers = max(1, workers)
        self.seed = seed
        self.log = log
        self.prev = previous_assignments(inst, previous)
        self.has_previous = previous is not None
        self.watch = watch

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
                return self.infeasible({i: domain_reason(inst, i) or NO_SLOT for i in empty})
            domains = propagate_fixed(inst, domains)
            if any(not d for d in domains):
                i = next(i for i, d in enumerate(domains) if not d)
                return self.infeasible({i: FIXED_SLOT_TAKEN})
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
        if not acceptable(inst, best):
            best = None if inst.require_all else {}
        model = ScheduleModel(inst, domains, all_placed=inst.require_all, lower_bounds=lbs, previous=prev_slots)
        self.model = model
        proven = True
        self.watch.bound(weight=sum(w for w, d in zip(model.int_weights, domains, strict=True) if d),
                         breaks=sum(lbs.values()) if lbs else 0)
        if best is not None:
            self._report("greedy", best)
        best = big_day_start(inst, domains, best, variables=len(model.x), rescheduling=self.has_previous,
                             left=self.left(), seed=self.seed, watch=self.watch)

        if len(model.x) > BIG_MODEL and not inst.require_all:
            return self._single_phase(best)

        # Phase 1: weight.
        if not inst.require_all and not isinstance(model.weight_expr, int):
            upper = sum(w for w, d in zip(model.int_weights, domains, strict=True) if d)
            if self._weight(best) < upper:
                share = self.left() * (0.4 if self.has_previous else 0.5)
                status, sol, w_bound = self._solve(model.weight_expr, maximize=True, hint=best, limit=share,
                                                   phase="weight", bound_of=lambda b: (floor_bound(b), None))
                if sol is not None and self._weight(sol) >= self._weight(best):
                    best = sol
                proven &= status == cp_model.OPTIMAL
                self.watch.bound(weight=self._weight(best) if status == cp_model.OPTIMAL else w_bound)
            model.model.Add(model.weight_expr >= self._weight(best))
            if self._weight(best) == upper:
                self._bound_forced_participants(upper)

        # Phase 2: moves.
        if self.prev and not isinstance(model.move_expr, int):
            status, sol, _ = self._solve(model.move_expr, hint=best, limit=0.5 * self.left(), phase="moves")
            if status == cp_model.INFEASIBLE:
                return self.infeasible(self._diagnose())
            if sol is not None and (best is None or self._moves(sol) <= self._moves(best)):
                best = sol
            proven &= status == cp_model.OPTIMAL
            if best is None:
                return self.unknown()
            model.model.Add(model.move_expr <= self._moves(best))

        # Phase 3: breaks. With a tiny bound the decision model first (see decision.py), then the search.
        tiny, decided = inst.require_all and not self.prev and lbs is not None and sum(lbs.values()) <= TINY_BOUND, None
        if tiny:
            decided, at_bound = decide(decision_model(inst, domains, lbs), limit=DECISION_SHARE * self.left(),
                                       seed=self.seed, workers=self.workers, watch=self.watch, log=self.log)
            if at_bound is not None:
                return self.result("optimal", at_bound, sum(lbs.values()), True)
            if decided == cp_model.INFEASIBLE:  # nobody at their own bound: one break more at least
                model.model.Add(model.break_expr >= sum(lbs.values()) + 1)
        status, sol, bound = self._solve(model.break_expr, hint=best, limit=self.left(), phase="breaks",
                                         bound_of=lambda b: (None, ceil_bound(b)))
        if status == cp_model.INFEASIBLE:
            return self.infeasible(self._diagnose())
        if sol is not None and (best is None or self._breaks(sol) <= self._breaks(best)):
            best = sol
        if best is None:
            return self.unknown()
        proven &= status == cp_model.OPTIMAL
        found = self._breaks(best)
        bound = max(bound or 0, sum(self.lbs.values()) + (decided == cp_model.INFEASIBLE) if self.lbs else 0)
        proven |= tiny and found <= bound
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
        scale = max_moves * max_breaks  # a weight step outweighs all moves and breaks: bound the weight alone
        status, sol, _ = self._solve(expr, maximize=True, hint=best, limit=self.left(), phase="single",
                                     bound_of=lambda b: ((floor_bound(b) + scale - 1) // scale, None))
        if sol is not None and self._key(sol) >= self._key(best):
            best = sol
        return self.result("feasible", best, 0, False)

    def _diagnose(self) -> dict[int, Reason]:
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
            i: explain(inst, inst.domains, best, i, proven=status == cp_model.OPTIMAL).prefixed(prefix)
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

    def _solve(self, expr, *, maximize=False, hint=None, limit=0.0, phase=None, bound_of=None):
        """(status, solution or None, objective bound or None) of one phase; a named `phase` is reported to the
        watch (its start, then each improving solution) and stops when the watch's caller asks."""
        watch = None
        if phase is not None:
            watch = self.watch
            if hint is not None:
                if self.watch.stopped():  # asked to stop, with a schedule in hand: keep it
                    return cp_model.UNKNOWN, None, None
                self._report(phase, hint)
        return run_phase(self.model, expr, maximize=maximize, hint=hint, limit=limit, workers=self.workers,
                         seed=self.seed, log=self.log, hint_weight=self._weight(hint) if maximize else None,
                         started=self.start, watch=watch, phase=phase or "", bound_of=bound_of)

    def _report(self, phase: str, sol: dict[int, int]) -> None:
        self.watch.report(phase, len(sol), self._weight(sol), self._breaks(sol))

    # ------------------------------------------------------------------ helpers

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

    def _elapsed(self) -> float:
        return time.monotonic() - self.start

    def _previous(self) -> Previous | None:
        return self.prev if self.has_previous else None

    def infeasible(self, reasons: dict[int, Reason]) -> Schedule:
        return infeasible_schedule(self.inst, reasons, self._previous(), self._elapsed())

    def unknown(self) -> Schedule:
        return unknown_schedule(self.inst, self._previous(), self._elapsed())

    def result(self, status: str, sol: dict[int, int], bound: int, proven: bool) -> Schedule:
        return solved_schedule(self.inst, self.domains, status, sol, bound, proven, self._previous(), self._elapsed())
