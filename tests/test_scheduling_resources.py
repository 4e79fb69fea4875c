"""Resources with a capacity per slot (`slot_capacity`): parsing, the possible slots of a meeting, the CP-SAT
model, the greedy start, the checker, and the reasons given for meetings left out."""

from __future__ import annotations

from collections import Counter

import pytest
from ortools.sat.python import cp_model

from matchmaker.scheduling import InvalidInstance, Resource, parse_instance, solve, validate
from matchmaker.scheduling.cpsat import ScheduleModel
from matchmaker.scheduling.greedy import greedy_schedule, improve
from matchmaker.scheduling.json_format import instance_to_dict


def day(n_slots=3, n_meetings=3, capacity=1, slot_capacity=None, **extra) -> dict:
    """Meetings m1..mk between disjoint pairs (a1-b1, a2-b2...), each needing one interpreter."""
    resource = {"id": "interp:ko-vi", "capacity": capacity}
    if slot_capacity is not None:
        resource["slot_capacity"] = slot_capacity
    data = {
        "format": "matchmaker.schedule-instance.v1",
        "slots": [{"id": f"s{k + 1}"} for k in range(n_slots)],
        "tables": None,
        "resources": [resource],
        "participants": [{"id": f"{side}{k + 1}"} for k in range(n_meetings) for side in "ab"],
        "meetings": [
            {"id": f"m{k + 1}", "participants": [f"a{k + 1}", f"b{k + 1}"], "needs": ["interp:ko-vi"]}
            for k in range(n_meetings)
        ],
    }
    data.update(extra)
    return data


def per_slot(inst, slot_of: dict[int, int]) -> Counter:
    """Slot id -> meetings using the resource there."""
    return Counter(inst.slots[s].id for i, s in slot_of.items() if inst.meetings[i].needs)


def solved(data):
    inst = parse_instance(data)
    result = solve(inst, time_limit=10, workers=2)
    assert validate(inst, result) == []
    out = result.to_dict()
    return inst, out, {a["meeting"]: a["slot"] for a in out["assignments"]}


# ---------------------------------------------------------------- format


def test_a_file_without_the_key_reads_and_writes_as_before():
    inst = parse_instance(day(capacity=2))
    (r,) = inst.resources
    assert r == Resource("interp:ko-vi", 2) and r.slot_capacity == {}
    assert inst.resource_capacity == {"interp:ko-vi": (2, 2, 2)}
    assert instance_to_dict(inst)["resources"] == [{"id": "interp:ko-vi", "capacity": 2}]


def test_slot_capacity_reads_and_round_trips():
    inst = parse_instance(day(capacity=2, slot_capacity={"s1": 0, "s3": 5}))
    assert inst.resource_capacity == {"interp:ko-vi": (0, 2, 5)}
    assert inst.resources[0].at("s1") == 0 and inst.resources[0].at("s2") == 2
    written = instance_to_dict(inst)
    assert written["resources"] == [{"id": "interp:ko-vi", "capacity": 2, "slot_capacity": {"s1": 0, "s3": 5}}]
    assert parse_instance(written) == inst


@pytest.mark.parametrize(
    ("slot_capacity", "message"),
    [
        ({"s9": 1}, "resource 'interp:ko-vi': unknown slot 's9' in slot_capacity"),
        ({"s1": -1}, "resource 'interp:ko-vi': capacity in slot 's1' must not be negative"),
        ({"s1": "two"}, "resource 'interp:ko-vi' capacity in slot 's1' must be an integer"),
        ({"s1": 1.5}, "must be an integer"),
        ({"s1": None}, "must be an integer"),
        ([["s1", 1]], "resource 'interp:ko-vi' slot_capacity must be a JSON object"),
    ],
)
def test_bad_slot_capacity_is_rejected_with_one_line(slot_capacity, message):
    with pytest.raises(InvalidInstance, match=message.replace("(", r"\(")) as caught:
        parse_instance(day(slot_capacity=slot_capacity))
    assert "\n" not in str(caught.value)


def test_instances_built_in_code_get_the_same_checks():
    inst = parse_instance(day())
    with pytest.raises(InvalidInstance, match="unknown slot 'later'"):
        type(inst)(slots=inst.slots, participants=inst.participants, meetings=(),
                   resources=(Resource("interp:ko-vi", 1, {"later": 1}),))


# ---------------------------------------------------------------- possible slots


def test_possible_slots_exclude_slots_short_of_a_needed_resource():
    data = day(n_meetings=2, capacity=1, slot_capacity={"s2": 0})
    data["resources"].append({"id": "rooms", "capacity": 2, "slot_capacity": {"s3": 1}})
    data["meetings"][1]["needs"] = ["rooms", "rooms"]  # two of them at once
    inst = parse_instance(data)
    assert inst.domains == [(0, 2), (0, 1)]


# ---------------------------------------------------------------- CP-SAT model, greedy start, solver


def test_cp_sat_model_respects_the_capacity_of_each_slot():
    # Four meetings, two slots; two interpreters, but only one in s1: at most three fit.
    inst = parse_instance(day(n_slots=2, n_meetings=4, capacity=2, slot_capacity={"s1": 1}))
    model = ScheduleModel(inst, inst.domains, all_placed=False)
    model.model.Maximize(model.weight_expr)
    solver = cp_model.CpSolver()
    assert solver.Solve(model.model) == cp_model.OPTIMAL
    assignment = model.extract(solver)
    assert len(assignment) == 3
    assert per_slot(inst, assignment) == {"s1": 1, "s2": 2}


def test_cp_sat_model_requiring_every_meeting_is_infeasible_when_a_slot_is_short():
    inst = parse_instance(day(n_slots=2, n_meetings=4, capacity=2, slot_capacity={"s1": 1}))
    model = ScheduleModel(inst, inst.domains, all_placed=True)
    assert cp_model.CpSolver().Solve(model.model) == cp_model.INFEASIBLE


def test_greedy_start_and_local_search_respect_the_capacity_of_each_slot():
    inst = parse_instance(day(n_slots=3, n_meetings=5, capacity=2, slot_capacity={"s1": 0, "s3": 1}))
    start = greedy_schedule(inst, inst.domains)
    assert len(start) == 3
    assert per_slot(inst, start) == {"s2": 2, "s3": 1}
    better = improve(inst, inst.domains, start, deadline=float("inf"))
    assert len(better) == 3
    counts = per_slot(inst, better)
    assert counts["s1"] == 0 and counts["s2"] <= 2 and counts["s3"] <= 1


def test_solver_places_interpreted_meetings_only_where_interpreters_are():
    inst, out, slot_of = solved(day(n_slots=4, n_meetings=4, capacity=0, slot_capacity={"s2": 1, "s4": 3}))
    assert out["status"] == "optimal" and out["objective"]["scheduled"] == 4
    assert Counter(slot_of.values()) == {"s2": 1, "s4": 3}


def test_solver_keeps_the_same_answer_as_an_equal_capacity_without_the_key():
    _, plain, _ = solved(day(n_slots=2, n_meetings=3, capacity=1))
    _, same, _ = solved(day(n_slots=2, n_meetings=3, capacity=1, slot_capacity={"s1": 1, "s2": 1}))
    assert plain["objective"] == same["objective"] == {"scheduled": 2, "weight": 2, "breaks": 0, "max_breaks": 0}


def test_require_all_is_infeasible_when_a_slot_has_too_few():
    _, out, _ = solved(day(n_slots=2, n_meetings=3, capacity=2, slot_capacity={"s2": 0}, require_all=True))
    assert out["status"] == "infeasible"


# ---------------------------------------------------------------- checker


def test_validate_flags_more_meetings_than_the_slots_capacity():
    inst = parse_instance(day(n_slots=2, n_meetings=3, capacity=3, slot_capacity={"s1": 1}))
    schedule = {
        "status": "feasible",
        "assignments": [{"meeting": "m1", "slot": "s1"}, {"meeting": "m2", "slot": "s1"},
                        {"meeting": "m3", "slot": "s2"}],
        "unscheduled": [],
    }
    assert validate(inst, schedule) == ["slot s1: resource interp:ko-vi used 2 times, capacity 1 in this slot"]
    schedule["assignments"][1]["slot"] = "s2"
    assert validate(inst, schedule) == []


def test_validate_keeps_its_message_for_a_capacity_of_every_slot():
    inst = parse_instance(day(n_slots=1, n_meetings=2, capacity=1))
    schedule = {"status": "feasible", "unscheduled": [],
                "assignments": [{"meeting": "m1", "slot": "s1"}, {"meeting": "m2", "slot": "s1"}]}
    assert validate(inst, schedule) == ["slot s1: resource interp:ko-vi used 2 times, capacity 1"]


# ---------------------------------------------------------------- reasons


def reasons(out) -> dict[str, str]:
    return {u["meeting"]: u["reason"] for u in out["unscheduled"]}


def test_reason_no_interpreter_at_all_for_the_pair():
    _, out, _ = solved(day(n_meetings=1, capacity=0))
    assert reasons(out) == {"m1": "needs an interpreter for ko-vi, and there is none for this language pair"}


def test_reason_no_interpreter_in_the_slots_where_they_could_meet():
    data = day(n_meetings=1, capacity=0, slot_capacity={"s3": 1})
    data["participants"][0]["unavailable_slots"] = ["s3"]
    _, out, _ = solved(data)
    assert reasons(out) == {
        "m1": "needs an interpreter for ko-vi, and there is none in s1, s2, the slots where they could meet"
    }


def test_reason_names_a_resource_short_in_every_slot_where_they_could_meet():
    data = day(n_meetings=1, capacity=1, slot_capacity={"s1": 0, "s2": 0})
    data["resources"][0]["id"] = data["meetings"][0]["needs"][0] = "laser"
    data["meetings"][0]["session"] = "am"
    for s in data["slots"]:
        s["session"] = "am" if s["id"] != "s3" else "pm"
    _, out, _ = solved(data)
    assert reasons(out) == {"m1": "needs laser, and there is none in s1, s2, the slots where they could meet"}


def test_reason_when_no_slot_has_every_needed_resource_at_once():
    data = day(n_slots=2, n_meetings=1, capacity=1, slot_capacity={"s1": 0})
    data["resources"].append({"id": "rooms", "capacity": 1, "slot_capacity": {"s2": 0}})
    data["meetings"][0]["needs"].append("rooms")
    _, out, _ = solved(data)
    assert reasons(out) == {
        "m1": "needs interp:ko-vi and rooms, and no slot where they could meet has all of them at once"
    }


def test_reason_for_a_resource_used_up_mentions_slots_without_it():
    # m1 and m2 share a1; interpreters only in s2, where m2 goes (heavier); a1 is free in s1 and s3, but
    # there is no interpreter then.
    data = day(n_meetings=2, capacity=0, slot_capacity={"s2": 1})
    data["meetings"][1]["participants"] = ["a1", "b2"]
    data["meetings"][1]["weight"] = 2
    _, out, slot_of = solved(data)
    assert slot_of == {"m2": "s2"}
    assert reasons(out) == {
        "m1": "participant a1 is fully booked in the slots where they could meet; both are free in s1, s3, "
        "but there is not enough interp:ko-vi then"
    }


def test_reason_resource_fully_used_in_the_slots_where_both_are_free():
    # Three meetings, interpreters: one in s1, none in s2, one in s3; b3 is away in s3 and s1 is taken.
    data = day(n_meetings=3, capacity=1, slot_capacity={"s2": 0})
    data["meetings"][0]["weight"] = 3
    data["meetings"][1]["weight"] = 2
    data["participants"][5]["unavailable_slots"] = ["s3"]  # b3
    _, out, slot_of = solved(data)
    assert sorted(slot_of) == ["m1", "m2"] and set(slot_of.values()) == {"s1", "s3"}
    assert reasons(out) == {"m3": "resource interp:ko-vi is fully used in s1, the slots where both are free; both "
                                  "are free in s2, but there is not enough interp:ko-vi then"}
