"""A fast greedy schedule: the solver's first hint and the answer of last resort.

Heavier meetings first (predecessors before their successors), each into the slot that adds the fewest breaks
for its two participants. With `max_break_spread` it never gives anyone more breaks than the spread, which
keeps every pair of participants within it whatever the others get.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Mapping

from matchmaker.scheduling.instance import Instance
from matchmaker.scheduling.schedule import breaks_of


def greedy_schedule(inst: Instance, domains, previous: Mapping[int, int] | None = None) -> dict[int, int]:
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
            if res_used.get((r, s), 0) + m.needs.count(r) > inst.resource_capacity[r][s]:
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


def improve(
    inst: Instance, domains, placed: dict[int, int], deadline: float, keep: frozenset[int] = frozenset()
) -> dict[int, int]:
    """Local search on a valid schedule: move single meetings to slots where their two participants have
    fewer breaks, and fit in left-out meetings whenever a slot frees up. Every step keeps every hard rule
    (and each participant within `max_break_spread` breaks), so the result is valid whenever `placed` is.
    Meetings in `keep` (published ones, when re-scheduling) are not moved. Cheap enough for 5,000 meetings,
    where it is most of what the big events get within a minute."""
    placed = dict(placed)
    cap = inst.table_capacity
    spread = inst.max_break_spread
    busy: dict[str, dict[int, int]] = {p.id: {} for p in inst.participants}
    tables = [0] * len(inst.slots)
    res: dict[tuple[str, int], int] = {}
    succs: dict[int, list[int]] = {}
    preds = [[inst.meeting_index[a] for a in m.after] for m in inst.meetings]
    for i, ps in enumerate(preds):
        for j in ps:
            succs.setdefault(j, []).append(i)

    def add(i, s, sign):
        m = inst.meetings[i]
        for p in m.participants:
            if sign > 0:
                busy[p][s] = i
            else:
                del busy[p][s]
        tables[s] += sign * m.table_needed
        for r in m.needs:
            res[r, s] = res.get((r, s), 0) + sign

    for i, s in placed.items():
        add(i, s, 1)

    def allowed(i, t):
        m = inst.meetings[i]
        if any(t in busy[p] for p in m.participants):
            return False
        if m.table_needed and cap is not None and tables[t] >= cap:
            return False
        if any(res.get((r, t), 0) + m.needs.count(r) > inst.resource_capacity[r][t] for r in set(m.needs)):
            return False
        if any(j not in placed or placed[j] >= t for j in preds[i]):
            return False
        return all(placed[j] > t for j in succs.get(i, ()) if j in placed)

    def breaks_with(p, drop=None, extra=None):
        slots = set(busy[p])
        if drop is not None:
            slots.discard(drop)
        if extra is not None:
            slots.add(extra)
        return breaks_of(slots)

    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for i in list(placed):
            if time.monotonic() > deadline:
                break
            if i in keep:
                continue
            m = inst.meetings[i]
            s = placed[i]
            now = sum(breaks_of(busy[p]) for p in m.participants)
            if now == 0:
                continue
            add(i, s, -1)
            del placed[i]
            best, best_cost = s, now
            for t in domains[i]:
                if t != s and allowed(i, t):
                    after = [breaks_with(p, extra=t) for p in m.participants]
                    if spread is not None and max(after) > spread:
                        continue
                    if sum(after) < best_cost:
                        best, best_cost = t, sum(after)
            placed[i] = best
            add(i, best, 1)
            improved |= best != s
        for i in sorted(set(range(len(inst.meetings))) - set(placed), key=lambda i: -inst.meetings[i].weight):
            m = inst.meetings[i]
            mx_ok = all(
                inst.participant_by_id[p].max_meetings is None or len(busy[p]) < inst.participant_by_id[p].max_meetings
                for p in m.participants
            )
            if not mx_ok:
                continue
            options = []
            for t in domains[i]:
                if allowed(i, t):
                    after = [breaks_with(p, extra=t) for p in m.participants]
                    if spread is None or max(after) <= spread:
                        options.append((sum(after), t))
            if options:
                placed[i] = min(options)[1]
                add(i, placed[i], 1)
                improved = True
    return placed
