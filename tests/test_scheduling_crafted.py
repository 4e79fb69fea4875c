"""Crafted forums of known optimum, two-sided days across zones, the decision model and the congestion bound."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from matchmaker.scheduling import Instance, Meeting, Participant, Resource, Slot, instance_to_dict, solve, validate
from matchmaker.scheduling.answer import acceptable
from matchmaker.scheduling.capacity import congestion_weight_bound, naive_weight_bound
from matchmaker.scheduling.crafted import FAMILIES, crafted_forum, family_instances
from matchmaker.scheduling.decision import decide, decision_model
from matchmaker.scheduling.schedule import breaks_by_participant
from matchmaker.scheduling.zones import KINDS, zone_day


@pytest.mark.parametrize(
    ("kwargs", "optimum"),
    [
        ({"breaks": 0, "forbid_share": 0.4}, 0),
        ({"breaks": 1, "forbid_share": 0.4}, 1),
        ({"breaks": 0, "forbid_share": 0.3, "forbid_density": 0.3, "precedence_share": 0.3}, 0),
        ({"breaks": 1, "forbid_share": 0.5, "forbid_density": 0.3, "fixed_share": 0.2}, 1),
        ({"breaks": 1, "forbid_share": 0.3, "precedence_share": 0.15, "counts": "skewed"}, 1),
    ],
)
@pytest.mark.parametrize("seed", [1, 2])
def test_small_crafted_forum_solves_to_its_known_optimum(kwargs, optimum, seed):
    inst = crafted_forum(16, 8, seed, **kwargs)
    assert inst.require_all and inst.max_break_spread == 2
    result = solve(inst, time_limit=30, workers=2)
    assert validate(inst, result) == []
    assert result.status == "optimal"
    assert result.breaks == optimum == result.bound_breaks


@pytest.mark.parametrize("family", ["zero-prec", "one-fixed"])
@pytest.mark.parametrize("solver_seed", [0, 3])
def test_small_crafted_forum_optimum_does_not_depend_on_the_solver_seed(family, solver_seed):
    (inst,) = family_instances(family, seeds=(4,), n_participants=20, n_slots=8)
    result = solve(inst, time_limit=30, workers=2, seed=solver_seed)
    assert validate(inst, result) == []
    assert result.status == "optimal"
    assert result.breaks == FAMILIES[family]["breaks"] == result.bound_breaks


def test_acceptable_start_places_everything_required_within_the_break_spread():
    inst = Instance(
        slots=tuple(Slot(str(k)) for k in range(4)),
        participants=tuple(Participant(p) for p in "abc"),
        meetings=(Meeting("ab", ("a", "b")), Meeting("ac", ("a", "c"))),
        require_all=True,
        max_break_spread=0,
    )
    assert acceptable(inst, {0: 0, 1: 1})
    assert not acceptable(inst, {0: 0})  # a required meeting left out
    assert not acceptable(inst, {0: 0, 1: 2})  # a has a break, b and c none: spread 1 > 0


def test_crafted_forum_rules_are_the_ones_asked_for():
    inst = crafted_forum(40, 12, 3, breaks=1, forbid_share=0.5, precedence_share=0.2, fixed_share=0.2)
    forbidding = [p for p in inst.participants if p.unavailable_slots]
    assert 0.3 * 40 <= len(forbidding) <= 0.5 * 40 + 1
    assert any(m.after for m in inst.meetings) and any(m.fixed_slot for m in inst.meetings)
    pairs = [frozenset(m.participants) for m in inst.meetings]
    assert len(pairs) == len(set(pairs))  # no pair meets twice
    assert instance_to_dict(crafted_forum(40, 12, 3, breaks=1)) == instance_to_dict(crafted_forum(40, 12, 3, breaks=1))
    assert instance_to_dict(crafted_forum(40, 12, 4, breaks=1)) != instance_to_dict(crafted_forum(40, 12, 3, breaks=1))
    with pytest.raises(ValueError):
        crafted_forum(20, 8, 1, breaks=2)


def test_every_family_builds_forum_sized_instances():
    for family in FAMILIES:
        (inst,) = family_instances(family, seeds=(1,))
        assert len(inst.participants) == 60 and len(inst.slots) == 18
        counts = sorted(len(inst.meetings_of[p.id]) for p in inst.participants)
        if FAMILIES[family].get("counts") == "skewed":  # like the published forums: 125-302 meetings
            assert 100 <= len(inst.meetings) <= 300
            assert counts[len(counts) // 2] <= sum(counts) / len(counts) < counts[-1] / 1.5
        else:
            assert 200 <= len(inst.meetings) <= 500
            assert counts[len(counts) // 2] > 18 // 3  # most meet in more than a third of the slots


def test_skewed_counts_make_most_people_meet_a_few_and_some_many():
    inst = crafted_forum(80, 22, 2, counts="skewed")
    counts = [len(inst.meetings_of[p.id]) for p in inst.participants]
    assert sum(c <= 22 // 3 for c in counts) > len(counts) / 2 and max(counts) >= 12
    with pytest.raises(ValueError):
        crafted_forum(20, 8, 1, counts="flat")


def triangle() -> Instance:
    """Three people who all meet each other, one table: everyone alone could meet without a break, but one of
    them has a break whatever the order (the first and the last meeting share a participant)."""
    people = tuple(Participant(p) for p in "abc")
    meetings = (Meeting("ab", ("a", "b")), Meeting("ac", ("a", "c")), Meeting("bc", ("b", "c")))
    slots = tuple(Slot(str(k)) for k in range(3))
    return Instance(slots=slots, participants=people, meetings=meetings, tables=1, require_all=True)


def test_decision_at_the_bound_is_proven_impossible_and_the_optimum_is_one_more():
    inst = triangle()
    status, sol = decide(decision_model(inst, list(inst.domains), {"a": 0, "b": 0, "c": 0}), limit=10, workers=1,
                         seed=0)
    assert status == cp_model.INFEASIBLE and sol is None
    result = solve(inst, time_limit=10, workers=2)
    assert result.status == "optimal"
    assert result.breaks == 1 == result.bound_breaks


def test_decision_finds_a_schedule_at_the_bound():
    inst = crafted_forum(16, 8, 5, breaks=0, forbid_share=0.4)
    status, sol = decide(decision_model(inst, list(inst.domains), {p.id: 0 for p in inst.participants}), limit=20,
                         workers=2, seed=0)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert len(sol) == len(inst.meetings)
    assignments, per_slot = [], {}
    for i, s in sol.items():
        per_slot[s] = per_slot.get(s, 0) + 1
        assignments.append({"meeting": inst.meetings[i].id, "slot": inst.slots[s].id, "table": str(per_slot[s])})
    assert validate(inst, {"status": "feasible", "unscheduled": [], "assignments": assignments}) == []
    assert sum(breaks_by_participant(inst, {a["meeting"]: a["slot"] for a in assignments}).values()) == 0


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_zone_day_is_two_sided_across_zones_and_solves_validly(kind):
    inst = zone_day(kind, 20, 10, seed=2, requests=4)
    assert instance_to_dict(inst) == instance_to_dict(zone_day(kind, 20, 10, seed=2, requests=4))
    assert {p.side for p in inst.participants} == {"company", "partner"}
    assert all(p.side == "partner" or p.timezone == inst.timezone for p in inst.participants)
    if kind != "ballroom":
        assert any(p.available and p.timezone != inst.timezone for p in inst.participants)
    result = solve(inst, time_limit=5, workers=2)
    assert validate(inst, result) == []
    weights = {m.id: m.weight for m in inst.meetings}
    placed = sum(weights[a.meeting] for a in result.assignments)
    bound = congestion_weight_bound(inst)
    assert placed <= bound <= naive_weight_bound(inst)


def test_congestion_bound_counts_tables_and_interpreters():
    people = tuple(Participant(p) for p in "abcdefgh")
    meetings = (Meeting("1", ("a", "b")), Meeting("2", ("c", "d")), Meeting("3", ("e", "f")), Meeting("4", ("g", "h")))
    slots = (Slot("s1"), Slot("s2"))
    inst = Instance(slots=slots, participants=people, meetings=meetings, tables=1)
    assert naive_weight_bound(inst) == 4
    assert congestion_weight_bound(inst) == 2  # one table, two slots
    interpreted = tuple(Meeting(m.id, m.participants, needs=("ko-en",)) for m in meetings)
    inst = Instance(slots=slots, participants=people, meetings=interpreted, resources=(Resource("ko-en", 1),))
    assert naive_weight_bound(inst) == 4
    assert congestion_weight_bound(inst) == 2  # one interpreter, two slots


def test_decision_runs_its_portfolio_deterministically():
    """The six searches take turns on the caller's threads: the same forum and seed give the same schedule,
    so re-running the scheduler on an unchanged day reproduces it."""
    inst = crafted_forum(24, 10, 7, breaks=1, forbid_share=0.5, forbid_density=0.3, fixed_share=0.2)
    lbs = {p.id: 0 for p in inst.participants} | {inst.participants[0].id: 1}
    runs = [decide(decision_model(inst, list(inst.domains), lbs), limit=20, workers=2, seed=3) for _ in range(2)]
    (status, first), (_, second) = runs
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert first == second and len(first) == len(inst.meetings)
