"""Scheduler domain core: edge cases, re-scheduling, the command line, and one real instance.

All solves are tiny (well under a second each); the 60-second quality runs live in bench/schedule.py.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from matchmaker.scheduling import InvalidInstance, load_instance, parse_instance, solve, validate
from matchmaker.scheduling.generator import generate_event
from matchmaker.scheduling.json_format import instance_to_dict

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "b2b-jair2022"


def make(slots=3, people=("A", "B"), meetings=(("A", "B"),), **extra) -> dict:
    """A small instance as JSON data: slots s1..sn, participants by id, meetings m1..mk by pair."""
    data = {
        "format": "matchmaker.schedule-instance.v1",
        "name": "t",
        "slots": [{"id": f"s{k + 1}"} for k in range(slots)] if isinstance(slots, int) else slots,
        "tables": None,
        "participants": [{"id": p} if isinstance(p, str) else p for p in people],
        "meetings": [
            {"id": f"m{k + 1}", "participants": list(m)} if isinstance(m, tuple) else m for k, m in enumerate(meetings)
        ],
    }
    data.update(extra)
    return data


def run(data, **kw):
    inst = parse_instance(data)
    result = solve(inst, time_limit=kw.pop("time_limit", 10), workers=2, **kw)
    assert validate(inst, result) == []
    return inst, result, result.to_dict()


def slot(out, meeting):
    return {a["meeting"]: a["slot"] for a in out["assignments"]}.get(meeting)


def reason(out, meeting):
    return {u["meeting"]: u["reason"] for u in out["unscheduled"]}[meeting]


def timed(hour, minute=0, day=10, offset="-08:00"):
    return f"2027-03-{day:02d}T{hour:02d}:{minute:02d}:00{offset}"


PST_SLOTS = [{"id": f"s{h}", "start": timed(h), "end": timed(h, 30)} for h in (8, 9, 10, 11)]


# ---------------------------------------------------------------- hard rules, one at a time


@pytest.mark.parametrize(
    ("data", "expect"),
    [
        pytest.param(
            make(people=[{"id": "A", "unavailable_slots": ["s1", "s2"]}, "B"]),
            {"m1": "s3"},
            id="unavailable-slots",
        ),
        pytest.param(
            # Seoul 02:00-03:45 next day (+09:00) is 09:00-10:45 in Los Angeles (-08:00): only s9 and s10 fit
            # wholly; B's New York window 13:00-14:00 (-05:00) covers only s10.
            make(
                slots=PST_SLOTS,
                people=[
                    {
                        "id": "A",
                        "timezone": "Asia/Seoul",
                        "available": [
                            {"start": timed(2, day=11, offset="+09:00"), "end": timed(3, 45, day=11, offset="+09:00")}
                        ],
                    },
                    {
                        "id": "B",
                        "timezone": "America/New_York",
                        "available": [{"start": timed(13, offset="-05:00"), "end": timed(14, offset="-05:00")}],
                    },
                ],
            ),
            {"m1": "s10"},
            id="windows-across-time-zones",
        ),
        pytest.param(
            make(meetings=[{"id": "m1", "participants": ["A", "B"], "fixed_slot": "s2"}]), {"m1": "s2"}, id="fixed-slot"
        ),
        pytest.param(
            make(
                slots=[{"id": "s1", "session": "am"}, {"id": "s2", "session": "am"}, {"id": "s3", "session": "pm"}],
                meetings=[{"id": "m1", "participants": ["A", "B"], "session": "pm"}],
            ),
            {"m1": "s3"},
            id="session",
        ),
        pytest.param(
            make(
                slots=2,
                people=["A", "B", "C"],
                meetings=[
                    {"id": "late", "participants": ["A", "B"], "after": ["early"]},
                    {"id": "early", "participants": ["A", "C"]},
                ],
            ),
            {"early": "s1", "late": "s2"},
            id="precedence",
        ),
    ],
)
def test_placement_rules(data, expect):
    _, result, out = run(data)
    assert out["status"] == "optimal"
    for meeting, where in expect.items():
        assert slot(out, meeting) == where


def test_tables_cap_keeps_heavier_meetings_and_names_tables():
    data = make(
        slots=1,
        people=["A", "B", "C", "D", "E", "F", "G", "H"],
        meetings=[
            {"id": "light", "participants": ["A", "B"], "weight": 1},
            {"id": "heavy1", "participants": ["C", "D"], "weight": 3},
            {"id": "heavy2", "participants": ["E", "F"], "weight": 2.5},
            {"id": "online", "participants": ["G", "H"], "table_needed": False},
        ],
        tables=2,
        table_ids=["T-red", "T-blue"],
    )
    _, _, out = run(data)
    assert out["status"] == "optimal"
    assert out["objective"]["weight"] == 6.5
    tables = {a["meeting"]: a.get("table") for a in out["assignments"]}
    assert set(tables) == {"heavy1", "heavy2", "online"}
    assert {tables["heavy1"], tables["heavy2"]} == {"T-red", "T-blue"}
    assert tables["online"] is None  # online meetings take no table
    assert reason(out, "light").startswith("table capacity")


def test_default_table_names_are_numbers():
    data = make(slots=1, people=["A", "B", "C", "D"], meetings=[("A", "B"), ("C", "D")], tables=2)
    _, _, out = run(data)
    assert sorted(a["table"] for a in out["assignments"]) == ["1", "2"]


def test_weights_choose_the_heavier_meeting_when_a_person_is_short_of_slots():
    data = make(
        slots=1,
        people=["A", "B", "C"],
        meetings=[
            {"id": "small", "participants": ["A", "B"], "weight": 1},
            {"id": "big", "participants": ["A", "C"], "weight": 5},
        ],
    )
    _, _, out = run(data)
    assert slot(out, "big") == "s1" and slot(out, "small") is None
    assert "fully booked" in reason(out, "small")


def test_resources_limit_meetings_per_slot():
    data = make(
        slots=2,
        people=["A", "B", "C", "D"],
        meetings=[
            {"id": "m1", "participants": ["A", "B"], "needs": ["interpreter"]},
            {"id": "m2", "participants": ["C", "D"], "needs": ["interpreter"]},
        ],
        resources=[{"id": "interpreter", "capacity": 1}],
    )
    _, _, out = run(data)
    assert out["objective"]["scheduled"] == 2
    assert slot(out, "m1") != slot(out, "m2")


def test_max_meetings_per_participant():
    data = make(people=[{"id": "A", "max_meetings": 1}, "B", "C"], meetings=[("A", "B"), ("A", "C")])
    _, _, out = run(data)
    assert out["objective"]["scheduled"] == 1
    assert "maximum of 1" in out["unscheduled"][0]["reason"]


def test_breaks_are_minimised():
    # A meets B, C, D; D cannot make s2. Back to back is still possible: s2..s4 would leave D out of s2.
    data = make(
        slots=5,
        people=["A", "B", "C", {"id": "D", "unavailable_slots": ["s2"]}],
        meetings=[("A", "B"), ("A", "C"), ("A", "D")],
    )
    _, result, out = run(data)
    assert out["status"] == "optimal"
    assert out["objective"] == {"scheduled": 3, "weight": 3, "breaks": 0, "max_breaks": 0}
    assert out["bound"] == {"breaks": 0}


def test_forced_break_is_counted_and_bounded():
    data = make(
        slots=3,
        people=["A", "B", "C"],
        meetings=[
            {"id": "m1", "participants": ["A", "B"], "fixed_slot": "s1"},
            {"id": "m2", "participants": ["A", "C"], "fixed_slot": "s3"},
        ],
        require_all=True,
    )
    _, _, out = run(data)
    assert out["status"] == "optimal"
    assert out["objective"]["breaks"] == 1 and out["bound"]["breaks"] == 1


def test_require_all_infeasible_names_the_overloaded_participant():
    data = make(slots=2, people=["A", "B", "C", "D"], meetings=[("A", "B"), ("A", "C"), ("A", "D")], require_all=True)
    _, _, out = run(data)
    assert out["status"] == "infeasible"
    assert out["assignments"] == []
    assert len(out["unscheduled"]) == 3
    assert "participant A has 3 meetings but only 2 slots" in out["unscheduled"][0]["reason"]


def test_require_all_infeasible_when_no_common_slot():
    data = make(
        people=[{"id": "A", "unavailable_slots": ["s1"]}, {"id": "B", "unavailable_slots": ["s2", "s3"]}],
        require_all=True,
    )
    _, _, out = run(data)
    assert out["status"] == "infeasible"
    assert out["unscheduled"][0]["reason"].startswith("no slot where both are available")


def test_require_all_infeasible_by_interaction_says_what_to_drop():
    # Three people who all meet each other need three slots; with two, one meeting has to go.
    data = make(slots=2, people=["A", "B", "C"], meetings=[("A", "B"), ("B", "C"), ("A", "C")], require_all=True)
    _, _, out = run(data)
    assert out["status"] == "infeasible"
    reasons = [u["reason"] for u in out["unscheduled"]]
    assert sum(r.startswith("cannot be placed together with all the others") for r in reasons) == 1
    assert sum(r.startswith("not scheduled: require_all cannot be met") for r in reasons) == 2


def test_max_break_spread_drops_a_meeting_rather_than_exceed_it():
    # A's two fixed meetings give A one break while B and C have none: spread 0 allows only one of them.
    data = make(
        slots=3,
        people=["A", "B", "C"],
        meetings=[
            {"id": "m1", "participants": ["A", "B"], "fixed_slot": "s1", "weight": 2},
            {"id": "m2", "participants": ["A", "C"], "fixed_slot": "s3"},
        ],
        max_break_spread=0,
    )
    _, _, out = run(data)
    assert out["status"] == "optimal"
    assert [a["meeting"] for a in out["assignments"]] == ["m1"]
    assert "max_break_spread" in reason(out, "m2")


def test_max_break_spread_ignores_participants_without_meetings():
    # A and B meet twice with a forced gap: one break each. Z has no meeting, so spread 0 still holds.
    data = make(
        slots=3,
        people=["A", "B", "Z"],
        meetings=[
            {"id": "m1", "participants": ["A", "B"], "fixed_slot": "s1"},
            {"id": "m2", "participants": ["A", "B"], "fixed_slot": "s3"},
        ],
        max_break_spread=0,
        require_all=True,
    )
    _, _, out = run(data)
    assert out["status"] == "optimal"
    assert out["objective"]["breaks"] == 2 and out["objective"]["max_breaks"] == 1


def test_online_meetings_ignore_table_limit():
    data = make(
        slots=1,
        people=["A", "B", "C", "D"],
        meetings=[
            {"id": "m1", "participants": ["A", "B"], "table_needed": False},
            {"id": "m2", "participants": ["C", "D"], "table_needed": False},
        ],
        tables=0,
    )
    _, _, out = run(data)
    assert out["objective"]["scheduled"] == 2


# ---------------------------------------------------------------- re-scheduling


def test_rescheduling_keeps_unchanged_meetings_in_place():
    data = make(slots=6, people=["A", "B", "C", "D", "E"], meetings=[("A", "B"), ("A", "C"), ("D", "E"), ("B", "D")])
    inst, first, out = run(data)
    grown = copy.deepcopy(data)
    grown["participants"].append({"id": "F"})
    grown["meetings"].append({"id": "m5", "participants": ["E", "F"]})
    _, second, out2 = run(grown, previous=out)
    for a in out["assignments"]:
        assert slot(out2, a["meeting"]) == a["slot"]
    assert out2["moved"] == []
    assert out2["objective"]["scheduled"] == 5
    tables_before = {a["meeting"]: a.get("table") for a in out["assignments"]}
    assert all(a.get("table") == tables_before.get(a["meeting"], a.get("table")) for a in out2["assignments"])


def test_rescheduling_moves_only_what_is_needed_and_reports_it():
    data = make(slots=3, people=["A", "B", "C", "D", "E"], meetings=[("A", "B"), ("D", "E")])
    previous = {"m1": "s1", "m2": "s1"}
    grown = copy.deepcopy(data)
    # C can only meet at s1, so A's meeting with B has to leave s1; D-E stays.
    grown["participants"][2] = {"id": "C", "unavailable_slots": ["s2", "s3"]}
    grown["meetings"].append({"id": "m3", "participants": ["A", "C"]})
    _, result, out = run(grown, previous=previous)
    assert slot(out, "m3") == "s1"
    assert slot(out, "m2") == "s1"
    assert out["moved"] == [{"meeting": "m1", "from": "s1", "to": slot(out, "m1")}]
    assert slot(out, "m1") == "s2"  # next to A's new meeting: no break


def test_rescheduling_prefers_placing_over_keeping():
    # Weight comes first: a published meeting moves if that lets another one in.
    data = make(
        slots=2,
        people=["A", "B", "C"],
        meetings=[("A", "B"), ("A", "C")],
    )
    data["participants"][2] = {"id": "C", "unavailable_slots": ["s2"]}
    _, _, out = run(data, previous={"m1": "s1"})
    assert out["objective"]["scheduled"] == 2
    assert out["moved"] == [{"meeting": "m1", "from": "s1", "to": "s2"}]


# ---------------------------------------------------------------- invalid instances


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["meetings"][0].update(participants=["A", "X"]), "unknown participant 'X'"),
        (lambda d: d["participants"].append({"id": "A"}), "duplicate participant id 'A'"),
        (lambda d: d["slots"].append({"id": "s1"}), "duplicate slot id 's1'"),
        (lambda d: d["meetings"].append({"id": "m1", "participants": ["A", "B"]}), "duplicate meeting id"),
        (lambda d: d["participants"][0].update(unavailable_slots=["s9"]), "unknown slot 's9'"),
        (lambda d: d["meetings"][0].update(fixed_slot="nope"), "unknown fixed_slot"),
        (lambda d: d["meetings"][0].update(after=["m1"]), "precedence cycle"),
        (lambda d: d["meetings"][0].update(needs=["laser"]), "unknown resource"),
        (lambda d: d["meetings"][0].update(session="night"), "no slot belongs to session"),
        (lambda d: d["meetings"][0].update(participants=["A", "A"]), "cannot meet themselves"),
        (lambda d: d["meetings"][0].update(weight=-1), "weight"),
        (lambda d: d.update(tables="many"), "tables must be an integer"),
        (lambda d: d["participants"][0].update(available=[{"start": "2027-03-10T09:00:00", "end": "x"}]), "UTC offset"),
        (lambda d: d.update(format="something.else"), "format"),
        (lambda d: d.pop("slots"), "slots must be a list"),
    ],
)
def test_invalid_instances_are_rejected(mutate, message):
    data = make()
    mutate(data)
    with pytest.raises(InvalidInstance, match=message.replace("(", r"\(")):
        parse_instance(data)


def test_windows_need_timed_slots():
    data = make(people=[{"id": "A", "available": [{"start": timed(9), "end": timed(10)}]}, "B"])
    with pytest.raises(InvalidInstance, match="start and end"):
        parse_instance(data)


# ---------------------------------------------------------------- the checker itself


def test_validate_reports_broken_rules():
    data = make(slots=2, people=["A", "B", "C"], meetings=[("A", "B"), ("A", "C")], tables=1)
    inst = parse_instance(data)
    bad = {
        "status": "feasible",
        "assignments": [{"meeting": "m1", "slot": "s1", "table": "1"}, {"meeting": "m2", "slot": "s1", "table": "1"}],
        "unscheduled": [],
        "objective": {"scheduled": 2, "weight": 2, "breaks": 0, "max_breaks": 0},
    }
    problems = validate(inst, bad)
    assert any("double-booked" in p for p in problems)
    assert any("only 1 tables" in p for p in problems)
    assert any("table 1 given to" in p for p in problems)


# ---------------------------------------------------------------- command line


def cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "matchmaker.scheduling", *map(str, args)], capture_output=True, text=True, cwd=ROOT
    )


def test_cli_writes_a_schedule_and_exits_0(tmp_path):
    path = tmp_path / "day.json"
    path.write_text(json.dumps(make(slots=2, people=["A", "B", "C"], meetings=[("A", "B"), ("A", "C")])))
    proc = cli(path, "--time-limit", "5", "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["format"] == "matchmaker.schedule.v1"
    assert out["status"] == "optimal" and out["objective"]["scheduled"] == 2
    assert validate(parse_instance(json.loads(path.read_text())), out) == []


def test_cli_exits_0_for_an_infeasible_instance(tmp_path):
    path = tmp_path / "day.json"
    path.write_text(
        json.dumps(make(slots=1, people=["A", "B", "C"], meetings=[("A", "B"), ("A", "C")], require_all=True))
    )
    proc = cli(path)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["status"] == "infeasible"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps(make(meetings=[("A", "Z")])), "unknown participant 'Z'"),
        (json.dumps(make(people=["A", "A", "B"])), "duplicate participant id"),
    ],
)
def test_cli_exits_2_with_one_line_for_an_invalid_instance(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    proc = cli(path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_cli_reschedules_from_a_previous_schedule(tmp_path):
    day = tmp_path / "day.json"
    day.write_text(json.dumps(make(slots=3, people=["A", "B", "C"], meetings=[("A", "B"), ("B", "C")])))
    first = tmp_path / "first.json"
    first.write_text(cli(day).stdout)
    proc = cli(day, "--previous", first)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["moved"] == []


# ---------------------------------------------------------------- real data and generated events


@pytest.mark.skipif(not DATA.exists(), reason="shared B2B data not present")
@pytest.mark.parametrize(
    ("name", "status", "breaks"),
    [
        ("tic-12.original", "optimal", 0),
        ("tic-12.fixed020-Forb", "optimal", 1),
        ("forumt-14.original", "optimal", 5),
        ("tic-12.forb0003", "infeasible", None),
    ],
)
def test_published_optimum(name, status, breaks):
    inst = load_instance(DATA / f"{name}.json")
    result = solve(inst, time_limit=10, workers=2)
    assert validate(inst, result) == []
    assert result.status == status
    if breaks is not None:
        assert result.breaks == breaks == result.bound_breaks


def test_generator_is_deterministic_and_round_trips():
    a = instance_to_dict(generate_event(50, seed=3))
    b = instance_to_dict(generate_event(50, seed=3))
    assert a == b
    assert instance_to_dict(generate_event(50, seed=4)) != a
    inst = parse_instance(json.loads(json.dumps(a)))
    assert instance_to_dict(inst) == a
    assert {p.side for p in inst.participants} == {"company", "partner"}
    assert len({p.timezone for p in inst.participants}) >= 3
    assert any(p.available for p in inst.participants)


def test_generated_event_solves_to_a_valid_schedule():
    inst = generate_event(50, seed=2)
    result = solve(inst, time_limit=3, workers=2)
    assert result.status in ("optimal", "feasible")
    assert validate(inst, result) == []
    assert result.scheduled > 0.8 * len(inst.meetings)
