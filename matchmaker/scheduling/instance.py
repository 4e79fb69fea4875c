"""Schedule instances: plain dataclasses, their consistency checks, and the derived facts the solver needs.

Parsing rejects what cannot be a valid instance (unknown ids, duplicates, bad dates, precedence cycles) with
`InvalidInstance`, whose message is one line a person can act on. Everything else, such as a meeting no slot
can host, is a property of the instance, reported by the solver rather than rejected here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

INSTANCE_FORMAT = "matchmaker.schedule-instance.v1"


class InvalidInstance(ValueError):
    """The data is not a valid schedule instance; the message is a single line."""


@dataclass(frozen=True)
class Slot:
    """A slot of a schedule instance, named by the format's string id, in a session if any; its times are
    optional (used for participants' availability windows). The app's slots of a day are `domain.timeslots.TimeSlot`."""

    id: str
    session: str | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Participant:
    id: str
    side: str | None = None
    timezone: str | None = None
    unavailable_slots: frozenset[str] = frozenset()
    # None: no window restriction; a tuple (possibly empty): only slots wholly inside one of them.
    available: tuple[Window, ...] | None = None
    max_meetings: int | None = None


@dataclass(frozen=True)
class Meeting:
    id: str
    participants: tuple[str, str]
    weight: float = 1
    session: str | None = None
    fixed_slot: str | None = None
    after: tuple[str, ...] = ()
    table_needed: bool = True
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resource:
    """A resource shared by the meetings of a slot, such as the interpreters of a language pair: `capacity`
    in every slot, except the slots listed in `slot_capacity` (slot id -> capacity in that slot)."""

    id: str
    capacity: int
    slot_capacity: Mapping[str, int] = field(default_factory=dict, hash=False)

    def __post_init__(self):
        # Our own copy: the caller's dict changing afterwards must not change a frozen resource.
        object.__setattr__(self, "slot_capacity", dict(self.slot_capacity))

    def at(self, slot_id: str) -> int:
        """The capacity in the slot `slot_id`."""
        return self.slot_capacity.get(slot_id, self.capacity)


@dataclass(frozen=True)
class Instance:
    slots: tuple[Slot, ...]
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    name: str = ""
    timezone: str | None = None
    tables: int | None = None
    table_ids: tuple[str, ...] | None = None
    resources: tuple[Resource, ...] = ()
    require_all: bool = False
    max_break_spread: int | None = None

    def __post_init__(self):
        # Instances built in code (by the web app) get the same checks as parsed ones.
        _check_references(self)

    # Derived facts, computed once. The dataclass is frozen, so caching them is safe.

    @cached_property
    def slot_index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.slots)}

    @cached_property
    def participant_by_id(self) -> dict[str, Participant]:
        return {p.id: p for p in self.participants}

    @cached_property
    def meeting_by_id(self) -> dict[str, Meeting]:
        return {m.id: m for m in self.meetings}

    @cached_property
    def meeting_index(self) -> dict[str, int]:
        return {m.id: i for i, m in enumerate(self.meetings)}

    @cached_property
    def resource_capacity(self) -> dict[str, tuple[int, ...]]:
        """Resource id -> its capacity in each slot, by slot index."""
        return {r.id: tuple(r.at(s.id) for s in self.slots) for r in self.resources}

    @cached_property
    def table_capacity(self) -> int | None:
        """Meetings needing a table that fit in one slot; None = unlimited."""
        caps = [c for c in (self.tables, None if self.table_ids is None else len(self.table_ids)) if c is not None]
        return min(caps) if caps else None

    @cached_property
    def meetings_of(self) -> dict[str, list[int]]:
        """Participant id -> indices of their meetings."""
        out: dict[str, list[int]] = {p.id: [] for p in self.participants}
        for i, m in enumerate(self.meetings):
            for p in m.participants:
                out[p].append(i)
        return out

    @cached_property
    def available_slots(self) -> dict[str, frozenset[int]]:
        """Participant id -> slot indices they can attend (unavailable slots and windows applied)."""
        out = {}
        for p in self.participants:
            ok = set()
            for i, s in enumerate(self.slots):
                if s.id in p.unavailable_slots:
                    continue
                if p.available is not None and not any(w.start <= s.start and s.end <= w.end for w in p.available):
                    continue
                ok.add(i)
            out[p.id] = frozenset(ok)
        return out

    @cached_property
    def domains(self) -> list[tuple[int, ...]]:
        """Meeting index -> slot indices where it may be placed, considering only its own unary rules
        (both participants available, session, fixed slot, tables, and the capacity of each needed resource in
        that slot at least what the meeting needs)."""
        out = []
        for m in self.meetings:
            a, b = (self.available_slots[p] for p in m.participants)
            cand = a & b
            if m.session is not None:
                cand = {i for i in cand if self.slots[i].session == m.session}
            if m.fixed_slot is not None:
                cand &= {self.slot_index[m.fixed_slot]}
            if m.table_needed and self.table_capacity == 0:
                cand = set()
            for r in set(m.needs):
                caps, need = self.resource_capacity[r], m.needs.count(r)
                cand = {i for i in cand if caps[i] >= need}
            out.append(tuple(sorted(cand)))
        return out


def _check_references(inst: Instance) -> None:
    def unique(kind, ids):
        seen = set()
        for i in ids:
            if i in seen:
                raise InvalidInstance(f"duplicate {kind} id {i!r}")
            seen.add(i)
        return seen

    slot_ids = unique("slot", (s.id for s in inst.slots))
    person_ids = unique("participant", (p.id for p in inst.participants))
    meeting_ids = unique("meeting", (m.id for m in inst.meetings))
    resource_ids = unique("resource", (r.id for r in inst.resources))
    if inst.table_ids is not None:
        unique("table", inst.table_ids)
    if inst.tables is not None and inst.tables < 0:
        raise InvalidInstance("tables must not be negative")
    if inst.max_break_spread is not None and inst.max_break_spread < 0:
        raise InvalidInstance("max_break_spread must not be negative")
    for r in inst.resources:
        if r.capacity < 0:
            raise InvalidInstance(f"resource {r.id!r}: capacity must not be negative")
        for sid, cap in r.slot_capacity.items():
            if sid not in slot_ids:
                raise InvalidInstance(f"resource {r.id!r}: unknown slot {sid!r} in slot_capacity")
            if cap < 0:
                raise InvalidInstance(f"resource {r.id!r}: capacity in slot {sid!r} must not be negative")

    prev = None
    for s in inst.slots:
        if (s.start is None) != (s.end is None):
            raise InvalidInstance(f"slot {s.id!r}: give both start and end, or neither")
        if s.start is not None:
            if s.end <= s.start:
                raise InvalidInstance(f"slot {s.id!r}: end is not after start")
            if prev is not None and s.start < prev.start:
                raise InvalidInstance(f"slot {s.id!r} starts before slot {prev.id!r}: list slots in time order")
            prev = s
    sessions = {s.session for s in inst.slots}
    timed = all(s.start is not None for s in inst.slots)

    for p in inst.participants:
        for sid in p.unavailable_slots:
            if sid not in slot_ids:
                raise InvalidInstance(f"participant {p.id!r}: unknown slot {sid!r} in unavailable_slots")
        if p.available is not None:
            if not timed:
                raise InvalidInstance(
                    f"participant {p.id!r} has available windows but not every slot has start and end"
                )
            for w in p.available:
                if w.end <= w.start:
                    raise InvalidInstance(f"participant {p.id!r}: an available window ends before it starts")
        if p.max_meetings is not None and p.max_meetings < 0:
            raise InvalidInstance(f"participant {p.id!r}: max_meetings must not be negative")

    for m in inst.meetings:
        if len(m.participants) != 2:
            raise InvalidInstance(f"meeting {m.id!r}: needs exactly two participants")
        if m.participants[0] == m.participants[1]:
            raise InvalidInstance(f"meeting {m.id!r}: a participant cannot meet themselves")
        for pid in m.participants:
            if pid not in person_ids:
                raise InvalidInstance(f"meeting {m.id!r}: unknown participant {pid!r}")
        if not (isinstance(m.weight, int | float) and math.isfinite(m.weight) and m.weight >= 0):
            raise InvalidInstance(f"meeting {m.id!r}: weight must be a number >= 0")
        if m.session is not None and m.session not in sessions:
            raise InvalidInstance(f"meeting {m.id!r}: no slot belongs to session {m.session!r}")
        if m.fixed_slot is not None and m.fixed_slot not in slot_ids:
            raise InvalidInstance(f"meeting {m.id!r}: unknown fixed_slot {m.fixed_slot!r}")
        for a in m.after:
            if a not in meeting_ids:
                raise InvalidInstance(f"meeting {m.id!r}: unknown meeting {a!r} in after")
        for r in m.needs:
            if r not in resource_ids:
                raise InvalidInstance(f"meeting {m.id!r}: unknown resource {r!r} in needs")
    _check_acyclic(inst)


def _check_acyclic(inst: Instance) -> None:
    # A precedence cycle can never be satisfied; it is a data error, better named than solved around.
    after = {m.id: m.after for m in inst.meetings}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in after:
        if root in state:
            continue
        stack = [(root, iter(after[root]))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                raise InvalidInstance(f"precedence cycle through meeting {nxt!r}")
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(after[nxt])))
