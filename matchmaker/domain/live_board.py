"""The live table board of a matchmaking day, as plain data: which slot is on now, which comes next, who
sits at which table, and who is late or absent. No Flask, no database: the caller passes slots, meetings
and the time."""

import re
from dataclasses import dataclass
from datetime import datetime

# What the board says about one side of a meeting.
CHECKED_IN = "checked_in"
EXPECTED = "expected"  # not checked in, and the meeting has not started yet
LATE = "late"  # not checked in, and the meeting is on now
ABSENT = "absent"  # marked absent by staff


@dataclass(frozen=True)
class BoardSlot:
    index: int
    start: datetime  # aware
    end: datetime


@dataclass(frozen=True)
class BoardSide:
    org_id: int
    name: str
    attendance: str  # "expected", "checked_in" or "absent" (the Attendance values)


@dataclass(frozen=True)
class BoardMeeting:
    id: int
    start: datetime
    table: str | None
    sides: tuple[BoardSide, BoardSide]  # company first
    walk_in: bool = False


@dataclass(frozen=True)
class SeatState:
    org_id: int
    name: str
    state: str  # CHECKED_IN, EXPECTED, LATE or ABSENT


@dataclass(frozen=True)
class BoardRow:
    """One meeting on the board: its table and the state of each side."""

    meeting_id: int
    table: str | None
    sides: tuple[SeatState, SeatState]
    walk_in: bool

    @property
    def flagged(self) -> bool:
        return any(side.state in (LATE, ABSENT) for side in self.sides)


@dataclass(frozen=True)
class SlotView:
    slot: BoardSlot
    rows: list[BoardRow]


@dataclass(frozen=True)
class Board:
    now: datetime
    current: SlotView | None  # None before the first slot, during a break and after the day
    next: SlotView | None  # None after the last slot
    late: list[SeatState]  # in the current slot, not checked in

    @property
    def in_break(self) -> bool:
        return self.current is None and self.next is not None and self.next.slot.index > 0

    @property
    def over(self) -> bool:
        return self.current is None and self.next is None


def current_and_next(slots: list[BoardSlot], now: datetime) -> tuple[BoardSlot | None, BoardSlot | None]:
    """The slot running at `now` (start ≤ now < end) and the first one starting after `now`."""
    ordered = sorted(slots, key=lambda s: s.start)
    current = next((s for s in ordered if s.start <= now < s.end), None)
    upcoming = next((s for s in ordered if s.start > now), None)
    return current, upcoming


def table_key(label: str | None) -> tuple:
    """T2 before T10; meetings without a table (online) last."""
    if label is None:
        return (1, ())
    return (0, tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", label)))


def rows_for(slot: BoardSlot, meetings: list[BoardMeeting], running: bool) -> list[BoardRow]:
    """One row per meeting of the slot, by table. `running`: the slot is on now, so a side that has not
    checked in is late rather than expected."""
    rows = [
        BoardRow(m.id, m.table, tuple(_seat(side, running) for side in m.sides), m.walk_in)
        for m in meetings if m.start == slot.start
    ]
    return sorted(rows, key=lambda r: (table_key(r.table), r.sides[0].name, r.meeting_id))


def _seat(side: BoardSide, running: bool) -> SeatState:
    if side.attendance == ABSENT:
        state = ABSENT
    elif side.attendance == CHECKED_IN:
        state = CHECKED_IN
    else:
        state = LATE if running else EXPECTED
    return SeatState(side.org_id, side.name, state)


def build(slots: list[BoardSlot], meetings: list[BoardMeeting], now: datetime) -> Board:
    current, upcoming = current_and_next(slots, now)
    current_view = SlotView(current, rows_for(current, meetings, running=True)) if current else None
    next_view = SlotView(upcoming, rows_for(upcoming, meetings, running=False)) if upcoming else None
    late = [
        side for row in (current_view.rows if current_view else []) for side in row.sides if side.state == LATE
    ]
    return Board(now, current_view, next_view, late)
