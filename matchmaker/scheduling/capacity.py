"""An upper bound on the meeting weight a day can place, which accounts for congestion: tables per slot,
interpreters per slot, each participant's slots (their zone's hours shared with the event's, forbidden
slots, `max_meetings`), one meeting per person per slot.

It is the linear relaxation of the placement model (x[m, s] between 0 and 1 instead of 0 or 1), solved with
GLOP. On two-sided days it is far tighter than counting each participant's free slots: an online investor in
Los Angeles shares three hours with Seoul, and a company wanted by thirty partners has twenty slots; the
relaxation sees both at once, and sees that the interpreters of a slot serve only so many tables.

`naive_weight_bound` is the plain bound (every meeting with a possible slot), kept for comparison.
"""

from __future__ import annotations

from ortools.linear_solver import pywraplp

from matchmaker.scheduling.cpsat import integer_weights
from matchmaker.scheduling.instance import Instance


def naive_weight_bound(inst: Instance) -> int:
    """Integer weight of every meeting that has at least one possible slot."""
    return sum(w for w, d in zip(integer_weights(inst), inst.domains, strict=True) if d)


def congestion_weight_bound(inst: Instance, time_limit: float = 20.0) -> int | None:
    """Integer weight (as `cpsat.integer_weights`) no schedule can exceed; None if GLOP ran out of time."""
    weights = integer_weights(inst)
    domains = inst.domains
    lp = pywraplp.Solver.CreateSolver("GLOP")
    lp.SetTimeLimit(int(time_limit * 1000))
    x = {}
    objective = lp.Objective()
    per_person_slot: dict[tuple[str, int], list] = {}
    per_person: dict[str, list] = {}
    per_slot_table: dict[int, list] = {}
    per_slot_res: dict[tuple[str, int], list] = {}
    for i, (m, d) in enumerate(zip(inst.meetings, domains, strict=True)):
        if not d or not weights[i]:
            continue
        row = lp.Constraint(0, 1)
        for s in d:
            v = x[i, s] = lp.NumVar(0, 1, "")
            row.SetCoefficient(v, 1)
            objective.SetCoefficient(v, weights[i])
            for p in m.participants:
                per_person_slot.setdefault((p, s), []).append(v)
                per_person.setdefault(p, []).append(v)
            if m.table_needed:
                per_slot_table.setdefault(s, []).append(v)
            for r in set(m.needs):
                per_slot_res.setdefault((r, s), []).append((m.needs.count(r), v))
    objective.SetMaximization()
    for vs in per_person_slot.values():
        if len(vs) > 1:
            _at_most(lp, [(1, v) for v in vs], 1)
    for p, vs in per_person.items():
        mx = inst.participant_by_id[p].max_meetings
        if mx is not None:
            _at_most(lp, [(1, v) for v in vs], mx)
    cap = inst.table_capacity
    if cap is not None:
        for vs in per_slot_table.values():
            if len(vs) > cap:
                _at_most(lp, [(1, v) for v in vs], cap)
    for (r, s), terms in per_slot_res.items():
        _at_most(lp, terms, inst.resource_capacity[r][s])
    status = lp.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        return None
    # GLOP's optimum is a float; the bound is on integers, with a margin for its tolerances.
    return int(objective.Value() + 1e-6 * max(1.0, objective.Value()))


def _at_most(lp, terms, bound) -> None:
    row = lp.Constraint(-lp.infinity(), bound)
    for c, v in terms:
        row.SetCoefficient(v, c)
