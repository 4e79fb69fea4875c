"""Lower bounds on breaks, one participant at a time, for when every meeting has to be placed.

Whatever the others do, a participant whose meetings cannot be laid out back to back (their partners'
availability, fixed slots and sessions leave no window of k consecutive slots that admits a one-meeting-per-slot
matching) has at least one break; the exact minimum for that participant alone comes from a tiny CP-SAT model.
The sum is a valid bound for the whole problem. On the published B2B instances this alone proves most optima
(forum-14: 2, forumt-14: 5 and 7); the main model gets `breaks_p >= lb_p`, which spares the solver from
rediscovering each participant's forced gaps through search. A participant whose meetings cannot be placed at
all makes the instance infeasible (tic-12.forb0003 is proven this way in milliseconds).
"""

from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model

from matchmaker.scheduling.instance import Instance


def propagate_fixed(inst: Instance, domains: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """When every meeting must be placed, a meeting with one possible slot occupies both participants there:
    remove that slot from their other meetings, until nothing changes."""
    doms = [set(d) for d in domains]
    queue = [i for i, d in enumerate(doms) if len(d) == 1]
    done = set()
    while queue:
        i = queue.pop()
        if i in done or len(doms[i]) != 1:
            continue
        done.add(i)
        (s,) = doms[i]
        for p in inst.meetings[i].participants:
            for j in inst.meetings_of[p]:
                if j != i and s in doms[j]:
                    doms[j].discard(s)
                    if len(doms[j]) == 1:
                        queue.append(j)
    return [tuple(sorted(d)) for d in doms]


def _has_matching(meetings: list[int], domains, slots: range) -> bool:
    """Perfect matching of `meetings` onto `slots` (same size) within each meeting's domain (Kuhn's algorithm)."""
    owner: dict[int, int] = {}
    allowed = {i: [s for s in domains[i] if s in slots] for i in meetings}
    if any(not a for a in allowed.values()):
        return False

    def augment(i, seen):
        for s in allowed[i]:
            if s not in seen:
                seen.add(s)
                if s not in owner or augment(owner[s], seen):
                    owner[s] = i
                    return True
        return False

    # Most constrained first: failures show early.
    return all(augment(i, set()) for i in sorted(meetings, key=lambda i: len(allowed[i])))


def can_be_compact(meetings: list[int], domains, n_slots: int) -> bool:
    k = len(meetings)
    return k <= 1 or any(_has_matching(meetings, domains, range(f, f + k)) for f in range(n_slots - k + 1))


def participant_min_breaks(inst: Instance, pid: str, domains, time_limit: float) -> int | None:
    """The fewest breaks `pid` can have with all their meetings placed, considering only their own meetings
    (or a lower bound on it if the time limit cut the search); None if their meetings cannot all be placed.
    Meetings with an empty domain are left out (the caller decides whether that is infeasible)."""
    ms = [i for i in inst.meetings_of[pid] if domains[i]]
    n = len(inst.slots)
    if can_be_compact(ms, domains, n):
        return 0
    model = cp_model.CpModel()
    x = {}
    for i in ms:
        for s in domains[i]:
            x[i, s] = model.NewBoolVar("")
        model.AddExactlyOne(x[i, s] for s in domains[i])
    mine = set(ms)
    for i in ms:  # precedences between this participant's own meetings
        for a in inst.meetings[i].after:
            j = inst.meeting_index[a]
            if j in mine:
                for t in domains[i]:
                    model.AddBoolOr([x[i, t].Not()] + [x[j, s] for s in domains[j] if s < t])
    busy = []
    for s in range(n):
        terms = [x[i, s] for i in ms if (i, s) in x]
        b = model.NewBoolVar("")
        model.Add(sum(terms) == b)
        busy.append(b)
    model.Add(sum(busy) == len(ms))
    starts = [busy[0]]
    for s in range(1, n):
        v = model.NewBoolVar("")  # a run of busy slots starts at s
        model.AddBoolOr([busy[s].Not(), busy[s - 1], v])
        model.AddImplication(v, busy[s])
        model.AddImplication(v, busy[s - 1].Not())
        starts.append(v)
    model.Minimize(sum(starts))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    status = solver.Solve(model)
    if status == cp_model.INFEASIBLE:
        return None
    return max(0, math.ceil(solver.BestObjectiveBound() - 1e-6) - 1)


def participant_lower_bounds(
    inst: Instance, domains, deadline: float, per_participant: float = 2.0, only=None
) -> tuple[dict[str, int], str | None]:
    """(participant id -> lower bound on breaks, id of a participant whose meetings cannot all be placed).
    `only`: the participants to bound (default all); each must have all their possible meetings placed."""
    lbs = {p.id: 0 for p in inst.participants}
    people = [p for p in inst.participants if only is None or p.id in only]
    for p in sorted(people, key=lambda p: -len(inst.meetings_of[p.id])):
        ms = [i for i in inst.meetings_of[p.id] if domains[i]]
        if len(ms) <= 1:
            continue
        if p.max_meetings is not None and len(ms) > p.max_meetings:
            return lbs, p.id
        left = deadline - time.monotonic()
        if left <= 0:
            break  # the remaining participants keep the trivial bound 0
        lb = participant_min_breaks(inst, p.id, domains, min(per_participant, left))
        if lb is None:
            return lbs, p.id
        lbs[p.id] = lb
    return lbs, None
