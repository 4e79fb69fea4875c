"""Crafted B2B forums whose optimum is known by construction: 0 breaks, or exactly 1 for the whole forum.

Like the published B2B instances (any two participants may meet, `require_all`, `max_break_spread` 2), but
built backwards from a schedule: every participant gets a run of consecutive slots, each slot's active
participants are paired into meetings (no pair twice), and only then are the rules written down.

* forbidden slots: 30-50% of the participants lose many slots outside their run (never one inside it);
* `breaks=1`: one participant's run has a hole whose slot is forbidden to them, and every slot outside the run
  too, so they must use all their remaining slots: at least 1 break for them alone (the per-participant bound
  proves it), and the built schedule has exactly 1;
* tight tables: the table count is the busiest slot's meetings of the built schedule;
* precedences and fixed meetings, all taken from the built schedule;
* meeting counts (run lengths) even, between a third of the slots and all but two (denser than any published
  forum: 535 meetings on 80 x 22), or skewed like the published forums (125-302 meetings for 42-78 people,
  most meeting a few, some meeting most): 250-280 meetings on 80 x 22.

The built schedule stays valid under every rule added, so the optimum is its break count (0 is trivially a
lower bound; 1 is forced as above). Same arguments, same instance. The solver is not told anything of this.
"""

from __future__ import annotations

import random

from matchmaker.scheduling.instance import Instance, Meeting, Participant, Slot

FAMILIES = {
    # name: keyword arguments of crafted_forum (sizes like the published forums: 60 people, 18 slots, ~330
    # meetings, tables as tight as the built schedule allows)
    "zero-forbidden": {"breaks": 0, "forbid_share": 0.4, "forbid_density": 0.5},
    "one-forbidden": {"breaks": 1, "forbid_share": 0.4, "forbid_density": 0.3},
    "zero-prec": {"breaks": 0, "forbid_share": 0.3, "forbid_density": 0.3, "precedence_share": 0.15},
    "one-fixed": {"breaks": 1, "forbid_share": 0.5, "forbid_density": 0.3, "fixed_share": 0.2},
    # Meeting counts as skewed as the published forums' (most people meet a few others, a few meet most)
    "zero-skewed": {"breaks": 0, "forbid_share": 0.4, "forbid_density": 0.5, "counts": "skewed"},
    "one-skewed-prec": {"breaks": 1, "forbid_share": 0.3, "forbid_density": 0.3, "precedence_share": 0.15,
                        "counts": "skewed"},
}


def crafted_forum(
    n_participants: int = 60,
    n_slots: int = 18,
    seed: int = 0,
    *,
    breaks: int = 0,
    forbid_share: float = 0.4,
    precedence_share: float = 0.0,
    fixed_share: float = 0.0,
    forbid_density: float = 0.7,
    spare_tables: int = 0,
    counts: str = "even",
) -> Instance:
    """A forum whose optimum is `breaks` (0 or 1) total breaks. `forbid_share` of the participants lose each
    slot outside their run with probability `forbid_density`; `spare_tables` above the tight count. Runs
    (meeting counts) are `even`ly spread between a third of the slots and all but two, or `skewed`: a third of
    the slots on average, Beta-distributed, so that most meet a few and some meet nearly everyone they can."""
    if counts not in ("even", "skewed"):
        raise ValueError("counts must be 'even' or 'skewed'")
    if breaks not in (0, 1):
        raise ValueError("breaks must be 0 or 1")
    for attempt in range(200):
        rng = random.Random(seed * 1000 + attempt)
        built = _build(rng, n_participants, n_slots, breaks, counts)
        if built is not None:
            break
    else:  # pragma: no cover - only for sizes where no pairing exists
        raise ValueError("could not build a schedule of that size")
    runs, pairs_at, hole = built
    slots = tuple(Slot(str(s + 1), "am" if s < n_slots // 2 else "pm") for s in range(n_slots))
    meetings: list[Meeting] = []
    slot_of: dict[str, int] = {}
    last_of: dict[str, str] = {}  # participant -> their latest meeting so far (for precedences)
    for s, pairs in enumerate(pairs_at):
        for a, b in pairs:
            mid = f"m{len(meetings) + 1}"
            after = ()
            earlier = [last_of[p] for p in (a, b) if p in last_of]
            if earlier and rng.random() < precedence_share:
                after = (rng.choice(earlier),)
            fixed = slots[s].id if rng.random() < fixed_share else None
            meetings.append(Meeting(mid, (a, b), 1, fixed_slot=fixed, after=after))
            slot_of[mid] = s
            last_of[a] = last_of[b] = mid
    people = []
    ids = [f"p{k + 1}" for k in range(n_participants)]
    forbidding = set(rng.sample(ids, round(forbid_share * n_participants)))
    for pid in ids:
        lo, hi = runs[pid]
        inside = set(range(lo, hi + 1))
        if pid == hole[0]:
            off = {s for s in range(n_slots) if s not in inside} | {hole[1]}
        elif pid in forbidding:
            off = {s for s in range(n_slots) if s not in inside and rng.random() < forbid_density}
        else:
            off = set()
        people.append(Participant(pid, unavailable_slots=frozenset(slots[s].id for s in off)))
    busiest = max(len(p) for p in pairs_at)
    kind = f"{breaks}b-f{round(forbid_share * 100)}-p{round(precedence_share * 100)}-x{round(fixed_share * 100)}"
    kind += "-skewed" if counts == "skewed" else ""
    return Instance(
        name=f"crafted-{kind}-{n_participants}x{n_slots}-seed{seed}",
        slots=slots,
        participants=tuple(people),
        meetings=tuple(meetings),
        tables=busiest + spare_tables,
        require_all=True,
        max_break_spread=2,
    )


def _build(rng: random.Random, n: int, n_slots: int, breaks: int, counts: str = "even"):
    """(participant -> (first, last) slot of their run, per slot the pairs meeting there, (holed participant or
    None, hole slot)), or None when this draw cannot be paired."""
    ids = [f"p{k + 1}" for k in range(n)]
    runs = {}
    for pid in ids:
        if counts == "skewed":  # mean 2 + (n_slots - 2) / 4.5, about a third of the slots
            length = min(n_slots, 2 + round((n_slots - 2) * rng.betavariate(1.5, 5.25)))
        else:
            length = rng.randint(max(2, n_slots // 3), max(2, n_slots - 2))
        lo = rng.randint(0, n_slots - length)
        runs[pid] = [lo, lo + length - 1]
    hole = (None, -1)
    if breaks:
        pid = ids[0]
        lo, hi = runs[pid]
        if hi - lo < 3:
            runs[pid] = [lo, hi] = [0, min(n_slots - 1, 5)]
        hole = (pid, rng.randint(lo + 1, hi - 1))
    # Make every slot's active count even by trimming or stretching a run by one slot at its start.
    for s in range(n_slots):
        act = [p for p in ids if _active(runs[p], hole, p, s)]
        if len(act) % 2 == 0:
            continue
        starting = [p for p in act if runs[p][0] == s and runs[p][1] - s >= 2 and p != hole[0]]
        ending = [p for p in ids if runs[p][1] == s - 1 and p != hole[0]]
        if starting:
            runs[rng.choice(starting)][0] += 1
        elif ending:
            runs[rng.choice(ending)][1] += 1
        else:
            return None
    used: set[frozenset] = set()
    pairs_at = []
    for s in range(n_slots):
        act = [p for p in ids if _active(runs[p], hole, p, s)]
        for _ in range(50):
            pairs = _pair_up(rng, act, used)
            if pairs is not None:
                break
        else:
            return None
        used.update(frozenset(p) for p in pairs)
        pairs_at.append(pairs)
    return {p: tuple(r) for p, r in runs.items()}, pairs_at, hole


def _pair_up(rng: random.Random, people: list[str], used: set[frozenset]):
    """A random pairing of `people` with no pair from `used`, greedily; None when the draw gets stuck."""
    todo = list(people)
    rng.shuffle(todo)
    pairs = []
    while todo:
        a = todo.pop()
        b = next((b for b in todo if frozenset((a, b)) not in used), None)
        if b is None:
            return None
        todo.remove(b)
        pairs.append((a, b))
    return pairs


def _active(run, hole, pid, s) -> bool:
    return run[0] <= s <= run[1] and not (pid == hole[0] and s == hole[1])


def family_instances(family: str, seeds=(1, 2, 3), n_participants: int = 60, n_slots: int = 18) -> list[Instance]:
    """The instances of one of `FAMILIES`, one per seed."""
    return [crafted_forum(n_participants, n_slots, seed, **FAMILIES[family]) for seed in seeds]
