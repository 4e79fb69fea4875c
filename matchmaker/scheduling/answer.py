"""What a solver run hands back: the Schedule assembled from the meeting -> slot solution it found (tables
named, every meeting left out explained, published meetings that moved listed), or the infeasible and unknown
answers; and a previous (published) schedule read back as indices, which the moves are counted against.

The search itself (phases, CP-SAT parameters) is in `solver.py`; this module only turns its outcome into data.
"""

from __future__ import annotations

from collections.abc import Mapping

from matchmaker.scheduling.instance import Instance
from matchmaker.scheduling.reasons import Reason, explain
from matchmaker.scheduling.schedule import (
    Assignment,
    Move,
    Schedule,
    Unscheduled,
    breaks_by_participant,
    total_weight,
)
from matchmaker.scheduling.tables import assign_tables

INFEASIBLE_OTHERS = Reason(
    "not_together", "not scheduled: require_all cannot be met (see the meetings with other reasons)"
)
NO_SCHEDULE = Reason("time_limit", "no schedule found within the time limit; allow more time")

# Meeting index -> (slot index, table) of the published schedule; None when the run is not a re-scheduling.
Previous = dict[int, tuple[int, str | None]]


def previous_assignments(inst: Instance, previous) -> Previous:
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


def moved(inst: Instance, prev: Previous, sol: dict[int, int]) -> list[Move]:
    """The published meetings that are not in their slot in `sol` (moved, or dropped: `to` None)."""
    return [
        Move(inst.meetings[i].id, inst.slots[s].id, inst.slots[sol[i]].id if i in sol else None)
        for i, (s, _) in sorted(prev.items())
        if sol.get(i) != s
    ]


def left_out(meeting: str, reason: Reason) -> Unscheduled:
    return Unscheduled(meeting, reason.text, reason.code, reason.params)


def infeasible_schedule(inst: Instance, reasons: dict[int, Reason], prev: Previous | None, seconds: float) -> Schedule:
    """No schedule can meet `require_all`: every meeting unscheduled, with its reason (`reasons` by meeting
    index, the generic one for the others)."""
    return Schedule(
        status="infeasible",
        unscheduled=[left_out(m.id, reasons.get(i, INFEASIBLE_OTHERS)) for i, m in enumerate(inst.meetings)],
        solve_seconds=seconds,
        moved=moved(inst, prev, {}) if prev is not None else None,
        name=inst.name,
    )


def unknown_schedule(inst: Instance, prev: Previous | None, seconds: float) -> Schedule:
    """No schedule found within the time limit, and none proven impossible."""
    return Schedule(
        status="unknown",
        unscheduled=[left_out(m.id, NO_SCHEDULE) for m in inst.meetings],
        solve_seconds=seconds,
        moved=moved(inst, prev, {}) if prev is not None else None,
        name=inst.name,
    )


def solved_schedule(
    inst: Instance,
    domains,
    status: str,
    sol: dict[int, int],
    bound: int,
    proven: bool,
    prev: Previous | None,
    seconds: float,
) -> Schedule:
    """The Schedule of the solution `sol` (meeting index -> slot index): tables named (published meetings that
    keep their slot keep their table), the meetings left out explained, the breaks counted."""
    tables = assign_tables(inst, sol, prev or {})
    assignments = [
        Assignment(inst.meetings[i].id, inst.slots[s].id, tables.get(i))
        for i, s in sorted(sol.items(), key=lambda kv: (kv[1], kv[0]))
    ]
    slot_of = {a.meeting: a.slot for a in assignments}
    breaks = breaks_by_participant(inst, slot_of)
    unscheduled = [
        left_out(m.id, explain(inst, domains, sol, i, proven=proven))
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
        solve_seconds=seconds,
        moved=moved(inst, prev, sol) if prev is not None else None,
        name=inst.name,
    )


def acceptable(inst: Instance, sol: Mapping[int, int]) -> bool:
    """Whether a greedy schedule (meeting index -> slot index) is a valid answer: the greedy ignores break
    fairness and may leave meetings out."""
    if inst.require_all and len(sol) != len(inst.meetings):
        return False
    if inst.max_break_spread is not None:
        b = breaks_by_participant(inst, {inst.meetings[i].id: inst.slots[s].id for i, s in sol.items()})
        if b and max(b.values()) - min(b.values()) > inst.max_break_spread:
            return False
    return True
