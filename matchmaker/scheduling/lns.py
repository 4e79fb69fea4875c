"""Large neighbourhood search for big days: improve a complete schedule by re-solving small parts of it.

Each step frees a neighbourhood and keeps everything else where it is:

* a time window: the meetings placed in a few consecutive slots, and the unplaced meetings that could go there,
  may take any slot of the window;
* a cluster of participants: grown from an unplaced meeting's two people through the people they meet, every
  meeting touching the cluster may take any slot of its domain.

The inside is a small CP-SAT model (placement only: one meeting per person and slot, tables, resources and
`max_meetings` left over by the fixed meetings) that maximises the weight (only the weight: it proves its
optimum far faster so; the CP-SAT phases after the LNS reduce the breaks). A step is kept when the whole
schedule is no worse: more weight, or the same weight and no more breaks. Sub-solves run one after another
(two CP-SAT solves at once in one process crashed here), each on one worker with a deterministic time limit,
so a seed gives the same result.

Meetings with precedences or a fixed slot never move (a window could otherwise break an order it cannot see).
"""

from __future__ import annotations

import contextlib
import random
import time
from collections import Counter

from ortools.sat.python import cp_model

from matchmaker.scheduling.capacity import congestion_weight_bound
from matchmaker.scheduling.cpsat import integer_weights
from matchmaker.scheduling.instance import Instance
from matchmaker.scheduling.phase import BIG_MODEL
from matchmaker.scheduling.progress import StopTimer, Watch
from matchmaker.scheduling.schedule import breaks_of

TARGET = 150  # free meetings of a first neighbourhood; grows when sub-solves prove their optimum quickly
SUB_SECONDS = 0.5
MIN_MEETINGS = 500  # smaller days: the CP-SAT phases alone do well  # deterministic time of one sub-solve


def applicable(inst: Instance) -> bool:
    """Whether `improve_lns` handles the instance's rules: no precedences, no break-spread rule."""
    return inst.max_break_spread is None and not any(m.after for m in inst.meetings)


def big_day_start(inst: Instance, domains, start: dict[int, int] | None, *, variables: int, rescheduling: bool,
                  left: float, seed: int, watch: Watch) -> dict[int, int] | None:
    """The solver's first step on a big day where not everything has to be placed (not a re-scheduling):
    the congestion bound for the progress reports, then LNS from `start` for a share of the `left` seconds
    (the CP-SAT phases that follow get the rest, hinted with the result). Other instances: `start` as is."""
    if (start is None or inst.require_all or rescheduling or len(inst.meetings) < MIN_MEETINGS
            or not applicable(inst)):
        return start
    began = time.monotonic()
    bound = congestion_weight_bound(inst, time_limit=min(8.0, 0.1 * left))
    if bound is not None:
        watch.bound(weight=bound)
    share = 0.8 if variables > BIG_MODEL else 0.5
    return improve_lns(inst, domains, start, began + share * left, seed=seed, watch=watch)


def improve_lns(inst: Instance, domains, start: dict[int, int], deadline: float, *, seed: int = 0,
                watch: Watch | None = None, iterations: int | None = None) -> dict[int, int]:
    """A schedule (meeting index -> slot index) at least as good as `start` by (weight, fewer breaks), found
    until `deadline` (monotonic), `iterations` steps, or the watch's caller asking to stop."""
    rng = random.Random(seed)
    weights = integer_weights(inst)
    best = dict(start)
    key = _key(inst, weights, best)
    movable_set = frozenset(i for i, m in enumerate(inst.meetings) if domains[i] and weights[i]
                            and m.fixed_slot is None)
    targets, step = [TARGET, TARGET], 0  # one per kind of neighbourhood: windows are harder to prove
    while time.monotonic() < deadline - 0.2 and (iterations is None or step < iterations):
        if watch is not None and watch.stopped():
            break
        step += 1
        kind = step % 2
        free, allowed = (_window if kind else _cluster)(inst, domains, best, movable_set, rng, targets[kind])
        if not free:
            continue
        wall = deadline - time.monotonic()
        sol, proven = _sub_solve(inst, weights, best, free, allowed, (min(SUB_SECONDS, wall), wall), seed + step,
                                 watch)
        targets[kind] = min(4 * TARGET, int(targets[kind] * 1.15)) if proven else max(40, int(targets[kind] * 0.8))
        if sol is None:
            continue
        trial = {i: s for i, s in best.items() if i not in free} | sol
        new_key = _key(inst, weights, trial)
        if new_key >= key:
            improved = new_key > key
            best, key = trial, new_key
            if improved and watch is not None:
                watch.report("lns", len(best), key[0], -key[1])
    return best


def _key(inst: Instance, weights, sol: dict[int, int]) -> tuple[int, int]:
    slots: dict[str, list[int]] = {}
    for i, s in sol.items():
        for p in inst.meetings[i].participants:
            slots.setdefault(p, []).append(s)
    return sum(weights[i] for i in sol), -sum(breaks_of(v) for v in slots.values())


def _window(inst, domains, sol, movable, rng, target):
    """Free the meetings of a few consecutive slots, and the unplaced meetings that fit there."""
    n = len(inst.slots)
    per_slot = max(1, len(sol) // max(1, n))
    width = max(3, min(n, target // max(1, per_slot + 1)))
    a = rng.randrange(max(1, n - width + 1))
    window = set(range(a, a + width))
    free = [i for i, s in sol.items() if s in window and i in movable]
    out = [i for i in sorted(movable) if i not in sol and window.intersection(domains[i])]
    free += rng.sample(out, min(len(out), max(target - len(free), target // 4)))
    return set(free), {i: [s for s in domains[i] if s in window] for i in free}


def _cluster(inst, domains, sol, movable, rng, target):
    """Free every meeting touching a group of people grown from an unplaced meeting."""
    out = [i for i in movable if i not in sol]
    seed_m = rng.choice(out) if out else rng.choice(sorted(movable)) if movable else None
    if seed_m is None:
        return set(), {}
    people = list(inst.meetings[seed_m].participants)
    chosen, free = set(people), set()
    k = 0
    while k < len(people) and len(free) < target:
        p = people[k]
        k += 1
        mine = [i for i in inst.meetings_of[p] if i in movable]
        free.update(mine)
        others = [q for i in mine for q in inst.meetings[i].participants if q not in chosen]
        rng.shuffle(others)
        for q in others[:3]:
            if q not in chosen:
                chosen.add(q)
                people.append(q)
    return free, {i: list(domains[i]) for i in free}


def _sub_solve(inst, weights, sol, free, allowed, limits, seed, watch):
    """(placement of the free meetings or None, proven optimal) with the others fixed; `limits`: the
    deterministic time of the search and the wall time left."""
    busy: dict[str, set[int]] = {}
    count: Counter = Counter()
    tables: Counter = Counter()
    res: Counter = Counter()
    for i, s in sol.items():
        if i in free:
            continue
        m = inst.meetings[i]
        for p in m.participants:
            busy.setdefault(p, set()).add(s)
            count[p] += 1
        tables[s] += m.table_needed
        for r in m.needs:
            res[r, s] += 1
    cap = inst.table_capacity
    model = cp_model.CpModel()
    x = {}
    per_person_slot: dict[tuple[str, int], list] = {}
    per_person: dict[str, list] = {}
    per_table: dict[int, list] = {}
    per_res: dict[tuple[str, int], list] = {}
    objective = []
    for i in sorted(free):
        m = inst.meetings[i]
        for s in allowed[i]:
            if any(s in busy.get(p, ()) for p in m.participants):
                continue
            if cap is not None and tables[s] + m.table_needed > cap:
                continue
            if any(res[r, s] + m.needs.count(r) > inst.resource_capacity[r][s] for r in m.needs):
                continue
            v = x[i, s] = model.NewBoolVar("")
            objective.append((weights[i], v))
            for p in m.participants:
                per_person_slot.setdefault((p, s), []).append(v)
                per_person.setdefault(p, []).append(v)
            if m.table_needed and cap is not None:
                per_table.setdefault(s, []).append(v)
            for r in set(m.needs):
                per_res.setdefault((r, s), []).append((m.needs.count(r), v))
    if not x:
        return None, True
    by_meeting: dict[int, list] = {}
    for (i, _s), v in x.items():
        by_meeting.setdefault(i, []).append(v)
    for vs in by_meeting.values():
        model.AddAtMostOne(vs)
    for vs in per_person_slot.values():
        if len(vs) > 1:
            model.AddAtMostOne(vs)
    for p, vs in per_person.items():
        mx = inst.participant_by_id[p].max_meetings
        if mx is not None:
            model.Add(sum(vs) <= mx - count[p])
    for s, vs in per_table.items():
        if len(vs) > cap - tables[s]:
            model.Add(sum(vs) <= cap - tables[s])
    for (r, s), terms in per_res.items():
        model.Add(sum(c * v for c, v in terms) <= inst.resource_capacity[r][s] - res[r, s])
    model.Maximize(sum(c * v for c, v in objective))
    for (i, s), v in x.items():
        model.AddHint(v, sol.get(i) == s)
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.random_seed = seed % (2**31)
    p.max_deterministic_time = max(0.05, limits[0])
    p.max_time_in_seconds = max(0.05, limits[1])  # the deadline only: the deterministic limit stops it first
    with StopTimer(watch, solver) if watch is not None else contextlib.nullcontext():
        status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    return {i: s for (i, s), v in x.items() if solver.BooleanValue(v)}, status == cp_model.OPTIMAL

