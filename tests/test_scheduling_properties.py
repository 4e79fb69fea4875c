"""Property tests: random small instances, every schedule obeys every hard rule, and on the tiniest ones the
solver's `optimal` matches an exhaustive search of the lexicographic objective (weight, then breaks)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.scheduling import parse_instance, solve, validate
from matchmaker.scheduling.schedule import breaks_by_participant

SETTINGS = settings(
    max_examples=40, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def instances(draw, max_people=6, max_slots=6, max_meetings=8):
    n_slots = draw(st.integers(1, max_slots))
    sessions = draw(st.booleans())
    slots = [
        {"id": f"s{k}", **({"session": "am" if k < n_slots / 2 else "pm"} if sessions else {})} for k in range(n_slots)
    ]
    slot_ids = [s["id"] for s in slots]
    people = []
    for k in range(draw(st.integers(2, max_people))):
        p = {
            "id": f"p{k}",
            "unavailable_slots": draw(st.lists(st.sampled_from(slot_ids), unique=True, max_size=n_slots // 2)),
        }
        if draw(st.integers(0, 4)) == 0:
            p["max_meetings"] = draw(st.integers(0, 3))
        people.append(p)
    ids = [p["id"] for p in people]
    meetings = []
    for k in range(draw(st.integers(0, max_meetings))):
        a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        m = {"id": f"m{k}", "participants": [a, b], "weight": draw(st.sampled_from([1, 1, 2, 3, 0.5]))}
        if sessions and draw(st.integers(0, 4)) == 0:
            m["session"] = draw(st.sampled_from(["am", "pm"])) if n_slots > 1 else "am"
        if draw(st.integers(0, 5)) == 0:
            m["fixed_slot"] = draw(st.sampled_from(slot_ids))
        if k and draw(st.integers(0, 4)) == 0:  # only earlier meetings: no cycles
            m["after"] = [f"m{draw(st.integers(0, k - 1))}"]
        if draw(st.integers(0, 3)) == 0:
            m["table_needed"] = False
        if draw(st.integers(0, 4)) == 0:
            m["needs"] = ["interp"]
        meetings.append(m)
    resource = {"id": "interp", "capacity": draw(st.integers(0, 2))}
    if draw(st.booleans()):  # interpreters who are not there all day
        per_slot = st.dictionaries(st.sampled_from(slot_ids), st.integers(0, 2), max_size=n_slots)
        resource["slot_capacity"] = draw(per_slot)
    return {
        "format": "matchmaker.schedule-instance.v1",
        "slots": slots,
        "tables": draw(st.one_of(st.none(), st.integers(0, 3))),
        "resources": [resource],
        "require_all": draw(st.integers(0, 3)) == 0,
        "max_break_spread": draw(st.one_of(st.none(), st.integers(0, 2))),
        "participants": people,
        "meetings": meetings,
    }


@SETTINGS
@given(instances())
def test_every_schedule_obeys_every_hard_rule(data):
    inst = parse_instance(data)
    result = solve(inst, time_limit=5, workers=2)
    assert validate(inst, result) == []
    assert result.status != "unknown"
    if not inst.require_all:
        assert result.status == "optimal"  # placing nothing is always allowed, and these are tiny
    if result.status in ("optimal", "feasible"):
        assert result.bound_breaks is None or result.bound_breaks <= result.breaks


def brute_force(inst):
    """Best (weight, -breaks) over every assignment that `validate` accepts, or None if none does."""
    n = len(inst.meetings)
    options = [[None] + list(range(len(inst.slots))) for _ in range(n)]
    best = None
    for combo in itertools.product(*options):
        if inst.require_all and None in combo:
            continue
        placed = {inst.meetings[i].id: inst.slots[s].id for i, s in enumerate(combo) if s is not None}
        schedule = {"status": "feasible", "assignments": [], "unscheduled": []}
        per_slot: dict[str, int] = {}
        for mid, sid in placed.items():
            row = {"meeting": mid, "slot": sid}
            if inst.meeting_by_id[mid].table_needed and inst.tables is not None:
                per_slot[sid] = per_slot.get(sid, 0) + 1
                row["table"] = str(per_slot[sid])
            schedule["assignments"].append(row)
        schedule["unscheduled"] = [{"meeting": m.id, "reason": "-"} for m in inst.meetings if m.id not in placed]
        if validate(inst, schedule):
            continue
        weight = sum(inst.meeting_by_id[m].weight for m in placed)
        breaks = sum(breaks_by_participant(inst, placed).values())
        key = (weight, -breaks)
        if best is None or key > best:
            best = key
    return best


@SETTINGS
@given(instances(max_people=4, max_slots=3, max_meetings=4))
def test_optimal_matches_exhaustive_search(data):
    inst = parse_instance(data)
    result = solve(inst, time_limit=5, workers=2)
    best = brute_force(inst)
    if best is None:
        assert result.status == "infeasible"
    else:
        assert result.status == "optimal"
        assert abs(result.weight - best[0]) < 1e-9
        assert result.breaks == -best[1]
