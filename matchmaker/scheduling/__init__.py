"""The scheduler's domain core: plain dataclasses in, plain results out, no web framework.

    from matchmaker.scheduling import load_instance, solve, validate
    schedule = solve(load_instance("day.json"), time_limit=60, workers=2)
    assert validate(instance, schedule) == []

The command line (`python -m matchmaker.scheduling INSTANCE.json`) is in `cli.py`; the JSON formats are in
shared/formats/schedule-instance.md.
"""

from matchmaker.scheduling.instance import (
    Instance,
    InvalidInstance,
    Meeting,
    Participant,
    Resource,
    Slot,
    Window,
    load_instance,
    parse_instance,
)
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
    "load_instance",
    "parse_instance",
    "solve",
    "validate",
]
