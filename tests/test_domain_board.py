"""The live board's plain logic: which slot is on, which is next, rows per table, who is late."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from matchmaker.domain import live_board as board
from matchmaker.domain.live_board import BoardMeeting, BoardSide, BoardSlot
from matchmaker.domain.timeslots import day_slots

SEOUL = ZoneInfo("Asia/Seoul")

# 9:00–12:00 in Seoul (UTC+9, no daylight saving), 30-minute slots, a break 10:00–10:30.
SLOTS = [
    BoardSlot(s.index, s.start, s.end)
    for s in day_slots(date(2027, 3, 10), time(9), time(12), 30, [{"start": "10:00", "end": "10:30"}], "Asia/Seoul")
]


def at(hour: int, minute: int = 0) -> datetime:
    """A Seoul wall-clock time on the day, as UTC."""
    return datetime(2027, 3, 10, hour, minute, tzinfo=SEOUL).astimezone(UTC)


def test_slots_fixture_skips_the_break():
    starts = [s.start for s in SLOTS]
    assert starts == [at(9), at(9, 30), at(10, 30), at(11), at(11, 30)]


@pytest.mark.parametrize(
    ("now", "current", "upcoming"),
    [
        (at(8, 59), None, 0),  # before the day
        (at(9), 0, 1),  # a slot starts at its first instant
        (at(9, 29), 0, 1),
        (at(9, 30), 1, 2),  # boundary: the old slot has ended, the new one is on
        (at(10), None, 2),  # the break: nothing on, the slot after the break next
        (at(10, 15), None, 2),
        (at(10, 30), 2, 3),
        (at(11, 45), 4, None),  # the last slot: nothing next
        (at(12), None, None),  # the end of the day is not in the last slot
    ],
)
def test_current_and_next_across_boundaries_and_breaks(now, current, upcoming):
    got_current, got_next = board.current_and_next(SLOTS, now)
    assert (got_current.index if got_current else None) == current
    assert (got_next.index if got_next else None) == upcoming


def test_current_and_next_ignore_the_order_slots_come_in():
    got_current, got_next = board.current_and_next(list(reversed(SLOTS)), at(9, 10))
    assert (got_current.index, got_next.index) == (0, 1)


def side(org_id: int, attendance: str) -> BoardSide:
    return BoardSide(org_id, f"Org {org_id}", attendance)


def meeting(id_: int, slot: int, table: str | None, a: BoardSide, b: BoardSide, walk_in=False) -> BoardMeeting:
    return BoardMeeting(id_, SLOTS[slot].start, table, (a, b), walk_in)


MEETINGS = [
    meeting(1, 0, "T10", side(1, "checked_in"), side(2, "expected")),
    meeting(2, 0, "T2", side(3, "absent"), side(4, "checked_in")),
    meeting(3, 0, "T1", side(5, "checked_in"), side(6, "checked_in")),
    meeting(4, 1, "T1", side(1, "checked_in"), side(4, "checked_in")),
    meeting(5, 1, "T2", side(2, "expected"), side(6, "checked_in"), walk_in=True),
]


def test_rows_are_by_table_in_natural_order():
    rows = board.rows_for(SLOTS[0], MEETINGS, running=True)
    assert [r.table for r in rows] == ["T1", "T2", "T10"]
    assert [r.meeting_id for r in rows] == [3, 2, 1]


def test_online_meetings_without_table_come_last():
    extra = [*MEETINGS, meeting(9, 0, None, side(7, "checked_in"), side(8, "checked_in"))]
    assert [r.table for r in board.rows_for(SLOTS[0], extra, running=True)] == ["T1", "T2", "T10", None]


def test_running_slot_marks_not_checked_in_as_late_and_absent_as_absent():
    state = board.build(SLOTS, MEETINGS, at(9, 5))
    rows = {r.meeting_id: [s.state for s in r.sides] for r in state.current.rows}
    assert rows == {1: ["checked_in", "late"], 2: ["absent", "checked_in"], 3: ["checked_in", "checked_in"]}
    assert [s.org_id for s in state.late] == [2]
    assert [r.flagged for r in state.current.rows] == [False, True, True]


def test_next_slot_is_not_late_yet():
    state = board.build(SLOTS, MEETINGS, at(9, 5))
    assert state.next.slot.index == 1
    assert {r.meeting_id: [s.state for s in r.sides] for r in state.next.rows} == {
        4: ["checked_in", "checked_in"], 5: ["expected", "checked_in"]
    }
    assert [r.walk_in for r in state.next.rows] == [False, True]


def test_the_same_participant_becomes_late_when_its_slot_starts():
    assert [s.org_id for s in board.build(SLOTS, MEETINGS, at(9, 30)).late] == [2]
    assert board.build(SLOTS, MEETINGS, at(10, 35)).late == []


def test_break_and_end_of_day_states():
    in_break = board.build(SLOTS, MEETINGS, at(10, 10))
    assert (in_break.current, in_break.in_break, in_break.over) == (None, True, False)
    before = board.build(SLOTS, MEETINGS, at(8))
    assert (before.in_break, before.over, before.next.slot.index) == (False, False, 0)
    after = board.build(SLOTS, MEETINGS, at(12, 5))
    assert (after.current, after.next, after.over) == (None, None, True)
