"""The scheduler's domain core: plain dataclasses in, plain results out, no web framework.

    from matchmaker.scheduling import load_instance, solve, validate
    schedule = solve(load_instance("day.json"), time_limit=60, workers=2)
    assert validate(instance, schedule) == []

The command line (`python -m matchmaker.scheduling INSTANCE.json`) is in `cli.py`; the JSON formats are in
shared/formats/schedule-instance.md. Modules: `instance` (dataclasses, checks), `json_format` (reading and
writing JSON), `cpsat` (the CP-SAT model), `bounds` (per-participant lower bounds), `greedy` (start and
fallback), `solver` (the phases of the search), `phase` (one CP-SAT run), `answer` (the Schedule a run hands
back), `schedule` (its dataclasses, break counts), `tables`, `reasons`, `validate` (independent checker),
`decision` (every participant at their own bound: run first when the whole bound is 0 or 1), `capacity` (an
upper bound on placed weight from tables, interpreters and shared hours), `generator`, `crafted` (forums of
known optimum) and `zones` (two-sided days across time zones) for benchmarks and tests, `cli`.

Readings of the format where it leaves room, decided here:

* `after`: a placed meeting needs every listed meeting placed, in an earlier slot (a follow-up without its
  first meeting is not scheduled).
* `max_break_spread` compares the participants who have at least one placed meeting; someone with no meeting
  is not "at 0 breaks".
* Breaks are counted by list position, so a lunch pause without slots is not a break.
* Zero-weight meetings may be left out to save breaks (weight comes first, and they add none).
* Re-scheduling ranks (1) weight, (2) fewest published meetings moved or dropped, (3) fewest breaks: a
  published meeting moves only when that places more weight. Meetings that keep their slot keep their table.
* `tables` and `table_ids` together: the smaller number applies. With neither, no table is named.
* Weights that are not whole numbers are scaled to integers (denominators up to 1,000) for CP-SAT.
* Extension: a resource may carry `slot_capacity` ({slot id: capacity}), overriding `capacity` in those slots
  (see `json_format`). Without it a resource has the same capacity in every slot.
"""

from matchmaker.scheduling.instance import (
    Instance,
    InvalidInstance,
    Meeting,
    Participant,
    Resource,
    Slot,
    Window,
)
from matchmaker.scheduling.json_format import instance_to_dict, load_instance, parse_instance
from matchmaker.scheduling.schedule import Assignment, Move, Schedule, Unscheduled
from matchmaker.scheduling.solver import solve
from matchmaker.scheduling.validate import validate

__all__ = [
    "Assignment",
    "Instance",
    "InvalidInstance",
    "Meeting",
    "Move",
    "Participant",
    "Resource",
    "Schedule",
    "Slot",
    "Unscheduled",
    "Window",
    "instance_to_dict",
    "load_instance",
    "parse_instance",
    "solve",
    "validate",
]
