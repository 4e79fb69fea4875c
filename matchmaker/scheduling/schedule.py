"""The solver's answer as plain data, and the break arithmetic shared by the solver and the checker."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from matchmaker.scheduling.instance import Instance

SCHEDULE_FORMAT = "matchmaker.schedule.v1"
STATUSES = ("optimal", "feasible", "infeasible", "unknown")


@dataclass(frozen=True)
class Assignment:
    meeting: str
    slot: str
    table: str | None = None


@dataclass(frozen=True)
class Unscheduled:
    """A meeting left out: `reason` is the organiser's sentence (the JSON output's), `code` and `params` the same
    reason as data (see `reasons.CODES`) for an application to word itself; they are not in the JSON output."""

    meeting: str
    reason: str
    code: str = "priority"
    params: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Move:
    """A meeting of the previous (published) schedule that changed slot; `to` is None when dropped."""

    meeting: str
    from_slot: str
    to_slot: str | None


@dataclass
class Schedule:
    status: str
    assignments: list[Assignment] = field(default_factory=list)
    unscheduled: list[Unscheduled] = field(default_factory=list)
    scheduled: int = 0
    weight: float = 0
    breaks: int = 0
    max_breaks: int = 0
    bound_breaks: int | None = None
    solve_seconds: float = 0.0
    moved: list[Move] | None = None  # only when solved against a previous schedule
    name: str = ""

    @property
    def slot_of(self) -> dict[str, str]:
        return {a.meeting: a.slot for a in self.assignments}

    def to_dict(self) -> dict:
        out = {
            "format": SCHEDULE_FORMAT,
            "status": self.status,
            "assignments": [
                {"meeting": a.meeting, "slot": a.slot} | ({"table": a.table} if a.table is not None else {})
                for a in self.assignments
            ],
            "unscheduled": [{"meeting": u.meeting, "reason": u.reason} for u in self.unscheduled],
            "objective": {
                "scheduled": self.scheduled,
                "weight": self.weight,
                "breaks": self.breaks,
                "max_breaks": self.max_breaks,
            },
        }
        if self.bound_breaks is not None:
            out["bound"] = {"breaks": self.bound_breaks}
        out["solve_seconds"] = round(self.solve_seconds, 3)
        if self.moved is not None:
            # Extension for re-scheduling (not in the v1 format): published meetings that changed slot.
            out["moved"] = [{"meeting": m.meeting, "from": m.from_slot, "to": m.to_slot} for m in self.moved]
        return out


def breaks_of(positions: Iterable[int]) -> int:
    """Breaks in one participant's day: runs of idle slots between two busy slots (by list position)."""
    busy = sorted(set(positions))
    return sum(1 for a, b in zip(busy, busy[1:], strict=False) if b > a + 1)


def breaks_by_participant(inst: Instance, slot_of: Mapping[str, str]) -> dict[str, int]:
    """Participant id -> breaks, for every participant with at least one placed meeting."""
    positions: dict[str, list[int]] = {}
    for mid, sid in slot_of.items():
        for p in inst.meeting_by_id[mid].participants:
            positions.setdefault(p, []).append(inst.slot_index[sid])
    return {p: breaks_of(pos) for p, pos in positions.items()}


def total_weight(inst: Instance, meeting_ids: Iterable[str]) -> float:
    w = sum(inst.meeting_by_id[m].weight for m in meeting_ids)
    return int(w) if float(w).is_integer() else w
