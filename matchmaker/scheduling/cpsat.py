"""The CP-SAT model: which meeting goes in which slot. Tables are not modelled, only their count per slot,
because tables are interchangeable; `tables.py` names them afterwards.

Variables: x[m, s] (meeting m in slot s, only for slots in m's domain), busy[p, s] = the sum of p's x at s,
then per participant the prefix/suffix chains before[p, s] ("has a meeting at or before s") and after[p, s],
from which a break is counted exactly where it ends: hole_end[p, s] = before[p, s-1] and not busy[p, s] and
busy[p, s+1]. Breaks are thus a plain sum of literals, which suits CP-SAT's core-based search (the MaxSAT-like
worker that proves the published optima). Implied constraints that matter in practice:

* each participant is busy in exactly as many slots as they have placed meetings;
* per slot, the participants busy in meetings that need a table number at most 2 x tables: without it the
  solver only learns table congestion meeting by meeting, and forum-14 stays unsolved for minutes;
* "compact" participants (no break) are busy in every slot between their first and last meeting, which the
  chains propagate at once instead of through clause learning;
* per-participant lower bounds from `bounds.py` when every meeting has to be placed.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from ortools.sat.python import cp_model

from matchmaker.scheduling.instance import Instance


def integer_weights(inst: Instance) -> list[int]:
    """CP-SAT needs integer coefficients: whole weights are kept, others scaled to a common denominator."""
    fracs = [Fraction(m.weight).limit_denominator(1000) for m in inst.meetings]
    scale = 1
    for f in fracs:
        scale = scale * f.denominator // _gcd(scale, f.denominator)
    return [int(f * scale) for f in fracs]


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


class ScheduleModel:
    def __init__(
        self,
        inst: Instance,
        domains: list[tuple[int, ...]],
        *,
        all_placed: bool,
        lower_bounds: Mapping[str, int] | None = None,
        previous: Mapping[int, int] | None = None,
    ):
        self.inst = inst
        self.domains = domains
        self.all_placed = all_placed
        m = self.model = cp_model.CpModel()
        n_slots = len(inst.slots)
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.placed: list = []
        # Auxiliary variables, kept to hint them: see hint().
        self.placed_vars: dict[int, cp_model.IntVar] = {}
        self.busy_vars: list[tuple[str, int, cp_model.IntVar]] = []
        self.aux: dict[str, dict] = {}
        self.spread_vars: tuple | None = None
        for i, d in enumerate(domains):
            for s in d:
                self.x[i, s] = m.NewBoolVar(f"x{i}_{s}")
            lits = [self.x[i, s] for s in d]
            if all_placed:
                m.AddExactlyOne(lits)  # an empty domain makes the model infeasible, as it should
                self.placed.append(1)
            elif not lits:
                self.placed.append(0)
            elif len(lits) == 1:
                self.placed.append(lits[0])
            else:
                p = m.NewBoolVar(f"placed{i}")
                m.Add(sum(lits) == p)
                self.placed.append(p)
                self.placed_vars[i] = p

        # Precedence: a placed meeting needs each of its predecessors placed in an earlier slot.
        for i, mt in enumerate(inst.meetings):
            for a in mt.after:
                j = inst.meeting_index[a]
                for t in domains[i]:
                    m.AddBoolOr([self.x[i, t].Not()] + [self.x[j, s] for s in domains[j] if s < t])

        at_slot: list[list[int]] = [[] for _ in range(n_slots)]
        for i, s in self.x:
            at_slot[s].append(i)
        cap = inst.table_capacity
        for s in range(n_slots):
            tabled = [self.x[i, s] for i in at_slot[s] if inst.meetings[i].table_needed]
            if cap is not None and len(tabled) > cap:
                m.Add(sum(tabled) <= cap)
            for r in inst.resources:
                r_cap = inst.resource_capacity[r.id][s]  # this slot's capacity (slot_capacity or capacity)
                use = [(inst.meetings[i].needs.count(r.id), self.x[i, s]) for i in at_slot[s]]
                use = [(c, v) for c, v in use if c]
                if sum(c for c, _ in use) > r_cap:
                    m.Add(sum(c * v for c, v in use) <= r_cap)

        false = m.NewConstant(0)
        self.busy: dict[str, list] = {}
        self.break_lits: dict[str, list] = {}
        self.active: dict[str, object] = {}
        busy_at: list[list] = [[] for _ in range(n_slots)]
        for person in inst.participants:
            pid = person.id
            mine = inst.meetings_of[pid]
            if not mine:
                continue
            busy = []
            for s in range(n_slots):
                terms = [self.x[i, s] for i in mine if (i, s) in self.x]
                if not terms:
                    busy.append(false)
                    continue
                b = terms[0] if len(terms) == 1 else m.NewBoolVar(f"busy{pid}_{s}")
                if len(terms) > 1:
                    m.Add(sum(terms) == b)  # also: at most one meeting at a time
                    self.busy_vars.append((pid, s, b))
                busy.append(b)
                busy_at[s].append(b)
            self.busy[pid] = busy
            placed_here = [self.placed[i] for i in mine]
            m.Add(sum(busy) == sum(placed_here))
            if person.max_meetings is not None and len(mine) > person.max_meetings:
                m.Add(sum(busy) <= person.max_meetings)
            self._count_breaks(pid, busy, lower_bounds.get(pid, 0) if lower_bounds else 0)

        if cap is not None:
            # The implied table constraint on people: two per tabled meeting (see module docstring).
            for s in range(n_slots):
                untabled = [self.x[i, s] for i in at_slot[s] if not inst.meetings[i].table_needed]
                if len(busy_at[s]) > 2 * cap:
                    m.Add(sum(busy_at[s]) - 2 * sum(untabled) <= 2 * cap)

        if inst.max_break_spread is not None and self.break_lits:
            hi = m.NewIntVar(0, n_slots, "max_breaks")
            lo = m.NewIntVar(0, n_slots, "min_breaks")
            for pid, lits in self.break_lits.items():
                if self.active[pid] is False:
                    continue  # no slot where any of their meetings could be
                m.Add(hi >= sum(lits))
                # Only participants who have a meeting count; one without any is not "at 0 breaks".
                c = m.Add(lo <= sum(lits))
                if self.active[pid] is not True:
                    c.OnlyEnforceIf(self.active[pid])
            m.Add(hi - lo <= inst.max_break_spread)
            self.spread_vars = (hi, lo)

        self.int_weights = integer_weights(inst)
        self.weight_expr = sum(w * p for w, p in zip(self.int_weights, self.placed, strict=True) if w)
        self.break_expr = sum(lit for lits in self.break_lits.values() for lit in lits)
        self.previous = dict(previous or {})
        # A published meeting counts as moved unless it is in its previous slot.
        self.move_lits = [self.x[i, s].Not() if (i, s) in self.x else 1 for i, s in self.previous.items()]
        self.move_expr = sum(self.move_lits)

    def _count_breaks(self, pid: str, busy: list, lower_bound: int) -> None:
        m = self.model
        mine = self.inst.meetings_of[pid]
        used = [s for s in range(len(busy)) if any((i, s) in self.x for i in mine)]
        if not used:
            self.break_lits[pid] = []
            self.active[pid] = False
            return
        lo, hi = used[0], used[-1]
        span = range(lo, hi + 1)
        before, after = {}, {}
        for s in span:  # before[s] <=> busy somewhere in lo..s
            v = before[s] = m.NewBoolVar("")
            m.AddImplication(busy[s], v)
            if s > lo:
                m.AddImplication(before[s - 1], v)
                m.AddBoolOr([v.Not(), before[s - 1], busy[s]])
            else:
                m.AddImplication(v, busy[s])
        for s in reversed(span):  # after[s] <=> busy somewhere in s..hi
            v = after[s] = m.NewBoolVar("")
            m.AddImplication(busy[s], v)
            if s < hi:
                m.AddImplication(after[s + 1], v)
                m.AddBoolOr([v.Not(), after[s + 1], busy[s]])
            else:
                m.AddImplication(v, busy[s])
        ends = {}
        for s in range(lo + 1, hi):
            v = ends[s] = m.NewBoolVar("")  # a break ends at s: met before, idle now, busy next
            m.AddBoolAnd([before[s - 1], busy[s].Not(), busy[s + 1]]).OnlyEnforceIf(v)
            m.AddBoolOr([before[s - 1].Not(), busy[s], busy[s + 1].Not(), v])
        lits = list(ends.values())
        self.break_lits[pid] = lits
        self.active[pid] = True if self.all_placed else before[hi]
        aux = {"lo": lo, "hi": hi, "before": before, "after": after, "ends": ends}
        self.aux[pid] = aux
        if not lits:
            return
        if lower_bound:
            m.Add(sum(lits) >= lower_bound)
        compact = aux["compact"] = m.NewBoolVar("")
        m.Add(sum(lits) == 0).OnlyEnforceIf(compact)
        m.AddBoolOr(lits).OnlyEnforceIf(compact.Not())
        for s in range(lo + 1, hi):
            # compact and between the first and last meeting => busy
            m.AddBoolOr([compact.Not(), before[s - 1].Not(), after[s + 1].Not(), busy[s]])
        # First/last busy slot as integers whose order encoding is the chains: a compact participant's span
        # equals their number of meetings, so one known meeting bounds where all the others can be. This
        # halves the worst times on the forum instances and removes their outliers.
        first = aux["first"] = m.NewIntVar(lo, hi + 1, "")  # hi + 1 and lo - 1: no meeting at all
        last = aux["last"] = m.NewIntVar(lo - 1, hi, "")
        for s in span:
            m.Add(first <= s).OnlyEnforceIf(before[s])
            m.Add(first >= s + 1).OnlyEnforceIf(before[s].Not())
            m.Add(last >= s).OnlyEnforceIf(after[s])
            m.Add(last <= s - 1).OnlyEnforceIf(after[s].Not())
        idle = aux["idle"] = m.NewIntVar(0, hi - lo, "")
        c = m.Add(idle == last - first + 1 - sum(busy[s] for s in span))
        if not self.all_placed:
            c.OnlyEnforceIf(before[hi])
        m.Add(idle == 0).OnlyEnforceIf(compact)
        m.Add(sum(lits) <= idle)  # every break is at least one idle slot

    # ------------------------------------------------------------------ solution handling

    def hint(self, assignment: Mapping[int, int]) -> None:
        """Hint every variable, not only x: a complete, consistent hint is taken as a first solution at once,
        where a partial one has to be completed by search (which fails within a minute on 5,000 meetings)."""
        model = self.model
        model.ClearHints()
        for (i, s), v in self.x.items():
            model.AddHint(v, assignment.get(i) == s)
        for i, v in self.placed_vars.items():
            model.AddHint(v, i in assignment)
        busy: dict[str, set[int]] = {}
        for i, s in assignment.items():
            for p in self.inst.meetings[i].participants:
                busy.setdefault(p, set()).add(s)
        for pid, s, v in self.busy_vars:
            model.AddHint(v, s in busy.get(pid, ()))
        breaks = {}
        for pid, aux in self.aux.items():
            b = busy.get(pid, set())
            first, last = (min(b), max(b)) if b else (aux["hi"] + 1, aux["lo"] - 1)
            for s, v in aux["before"].items():
                model.AddHint(v, first <= s)
            for s, v in aux["after"].items():
                model.AddHint(v, last >= s)
            n = 0
            for s, v in aux["ends"].items():
                end = first <= s - 1 and s not in b and s + 1 in b
                n += end
                model.AddHint(v, end)
            breaks[pid] = n
            if "compact" in aux:
                model.AddHint(aux["compact"], n == 0)
                model.AddHint(aux["first"], first)
                model.AddHint(aux["last"], last)
                model.AddHint(aux["idle"], last - first + 1 - len(b) if b else 0)
        if self.spread_vars:
            hi, lo = self.spread_vars
            active = [breaks.get(p, 0) for p in self.aux if busy.get(p)]
            model.AddHint(hi, max(breaks.values(), default=0))
            model.AddHint(lo, min(active, default=0))

    def extract(self, solver: cp_model.CpSolver) -> dict[int, int]:
        return {i: s for (i, s), v in self.x.items() if solver.BooleanValue(v)}
