"""A fast greedy schedule: the solver's first hint and the answer of last resort.

Heavier meetings first (predecessors before their successors), each into the slot that adds the fewest breaks
for its two participants. With `max_break_spread` it never gives anyone more breaks than the spread, which
keeps every pair of participants within it whatever the others get.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping

from matchmaker.scheduling.instance import Instance
from matchmaker.scheduling.schedule import breaks_of


def greedy_schedule(
    inst: Instance, domains, previous: Mapping[int, int] | None = None
) -> dict[int, int]:
    """Meeting index -> slot index for the meetings it could place."""
    n = len(inst.meetings)
    busy: dict[str, set[int]] = {p.id: set() for p in inst.participants}
    tables_used = [0] * len(inst.slots)
    res_used: dict[tuple[str, int], int] = {}
    placed: dict[int, int] = {}
    cap = inst.table_capacity
    preds = [[inst.meeting_index[a] for a in m.after] for m in inst.meetings]

    spread = inst.max_break_spread

    def fits(i: int, s: int) -> bool:
        m = inst.meetings[i]
        if any(s in busy[p] for p in m.participants):
            return False
        if spread is not None and any(breaks_of(busy[p] | {s}) > spread for p in m.participants):
            return False
        for p in m.participants:
            mx = inst.participant_by_id[p].max_meetings
            if mx is not None and len(busy[p]) >= mx:
                return False
        if m.table_needed and cap is not None and tables_used[s] >= cap:
            return False
        for r in set(m.needs):
            if res_used.get((r, s), 0) + m.needs.count(r) > inst.resource_capacity[r]:
                return False
        return all(j in placed and placed[j] < s for j in preds[i])

    def place(i: int, s: int) -> None:
        m = inst.meetings[i]
        placed[i] = s
        for p in m.participants:
            busy[p].add(s)
        if m.table_needed:
            tables_used[s] += 1
        for r in m.needs:
            res_used[r, s] = res_used.get((r, s), 0) + 1

    # Published meetings stay where they were when they still fit (re-scheduling keeps them).
    for i, s in sorted((previous or {}).items(), key=lambda kv: kv[1]):
        if s in domains[i] and fits(i, s):
            place(i, s)

    def cost(i: int, s: int):
        added = 0
        touching = 0
        for p in inst.meetings[i].participants:
            b = busy[p]
            added += breaks_of(b | {s}) - breaks_of(b)
            touching += (s - 1 in b) + (s + 1 in b)
        return (added, -touching, s)

    # Topological order on `after`, heavier and more constrained meetings first among those ready.
    waiting = [len(p) for p in preds]
    succs: list[list[int]] = [[] for _ in range(n)]
    for i, ps in enumerate(preds):
        for j in ps:
            succs[j].append(i)
    ready = [(-inst.meetings[i].weight, len(domains[i]), i) for i in range(n) if waiting[i] == 0]
    heapq.heapify(ready)
    while ready:
        _, _, i = heapq.heappop(ready)
        if i not in placed:
            options = [s for s in domains[i] if fits(i, s)]
            if options:
                place(i, min(options, key=lambda s: cost(i, s)))
        for j in succs[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, (-inst.meetings[j].weight, len(domains[j]), j))
    return placed
