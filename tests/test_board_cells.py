"""Which cells of the schedule board a picked meeting may not go to, and why (domain.board_cells)."""

from datetime import UTC, datetime, timedelta

import pytest

from matchmaker.domain.board_cells import Block, Card, Day, Rule, blocked_cells, conflicts

T = [datetime(2026, 12, 7, 2, 0, tzinfo=UTC) + timedelta(minutes=30 * i) for i in range(4)]
# Organizations: companies 1, 2; partners 11, 12, 13.
A = Card(id=100, orgs=(1, 11), start=T[0])  # the meeting picked up in most cases
B = Card(id=200, orgs=(2, 12), start=T[1])
C = Card(id=300, orgs=(2, 11), start=T[2])  # shares the partner 11 with A


def day(*meetings: Card, **rules) -> Day:
    return Day(starts=list(T), meetings=list(meetings), **rules)


@pytest.mark.parametrize(("card", "the_day", "moves"), [
    # Nothing in the way: every other slot is open.
    (A, day(A), {}),
    # Partner 11 meets C at T2: A may not go to T2 (busy), but to T1 and T3.
    (A, day(A, B, C), {2: Block(Rule.BUSY, 11)}),
    # Company 1 is available only at T0 and T1.
    (A, day(A, available={1: frozenset(T[:2])}), {2: Block(Rule.UNAVAILABLE, 1), 3: Block(Rule.UNAVAILABLE, 1)}),
    # Availability is said before a meeting in the way.
    (A, day(A, C, available={11: frozenset([T[0]])}),
     {1: Block(Rule.UNAVAILABLE, 11), 2: Block(Rule.UNAVAILABLE, 11), 3: Block(Rule.UNAVAILABLE, 11)}),
    # Partner 11 meets at another day at T3.
    (A, day(A, elsewhere={11: frozenset([T[3]])}), {3: Block(Rule.BUSY, 11)}),
    # A needs an en-ko interpreter: one at T1, none at T2 and T3; at T1 it is taken by another meeting.
    (Card(id=100, orgs=(1, 11), start=T[0], interpreter="en-ko"),
     day(Card(id=100, orgs=(1, 11), start=T[0], interpreter="en-ko"),
         Card(id=400, orgs=(3, 13), start=T[1], interpreter="en-ko"),
         interpreters={("en-ko", T[0]): 1, ("en-ko", T[1]): 1}),
     {1: Block(Rule.INTERPRETER), 2: Block(Rule.INTERPRETER), 3: Block(Rule.INTERPRETER)}),
    # Another pair's interpreter does not count.
    (Card(id=100, orgs=(1, 11), start=T[0], interpreter="en-ko"),
     day(Card(id=400, orgs=(3, 13), start=T[1], interpreter="ko-vi"),
         interpreters={("en-ko", t): 1 for t in T}), {}),
    # A request not placed yet: every slot is a target, its own too.
    (Card(id=0, orgs=(1, 11)), day(C), {2: Block(Rule.BUSY, 11)}),
])
def test_moves_blocked_with_their_rule(card, the_day, moves):
    assert blocked_cells(card, the_day).moves == moves


def test_a_locked_meeting_goes_nowhere():
    locked = Card(id=100, orgs=(1, 11), start=T[0], locked=True)
    blocked = blocked_cells(locked, day(locked, B))
    assert blocked.moves == {i: Block(Rule.LOCKED) for i in range(4)}
    assert blocked.swaps == {200: Block(Rule.LOCKED)}


@pytest.mark.parametrize(("card", "meetings", "swaps"), [
    # B shares nobody with A: they may swap.
    (A, [A, B], {}),
    # A swap with a locked meeting is refused.
    (A, [A, Card(id=200, orgs=(2, 12), start=T[1], locked=True)], {200: Block(Rule.LOCKED)}),
    # A and C share partner 11: swapping them moves 11 from one to the other, which is fine.
    (A, [A, C], {}),
    # B to A's slot T0: company 2 is in D at T0, so the swap breaks a rule for B.
    (A, [A, B, Card(id=500, orgs=(2, 13), start=T[0])], {200: Block(Rule.BUSY, 2), 500: None}),
    # The same slot (another table): they exchange tables, no rule to check.
    (A, [A, Card(id=600, orgs=(1, 12), start=T[0])], {}),
])
def test_swaps_blocked_with_their_rule(card, meetings, swaps):
    expected = {k: v for k, v in swaps.items() if v is not None}
    assert blocked_cells(card, day(*meetings)).swaps == expected


def test_a_swap_checks_the_other_meeting_at_the_picked_ones_slot_against_availability():
    blocked = blocked_cells(A, day(A, B, available={12: frozenset([T[1]])}))
    assert blocked.swaps == {200: Block(Rule.UNAVAILABLE, 12)}


def test_a_request_not_placed_swaps_with_nobody():
    assert blocked_cells(Card(id=0, orgs=(1, 11)), day(B)).swaps == {}


def test_moving_within_its_own_slot_is_never_blocked():
    # Company 1 is unavailable at its own slot (it changed after placing): another table there stays open.
    blocked = blocked_cells(A, day(A, available={1: frozenset(T[1:])}))
    assert 0 not in blocked.moves


@pytest.mark.parametrize(("the_day", "expected"), [
    (day(A, B), {}),
    (day(A, B, available={12: frozenset([T[0]])}), {200: Block(Rule.UNAVAILABLE, 12)}),
    (Day(starts=T[1:], meetings=[A, B]), {100: Block(Rule.OUTSIDE)}),
    (day(Card(id=1, orgs=(1, 11), start=T[0], interpreter="en-ko"),
         Card(id=2, orgs=(2, 12), start=T[0], interpreter="en-ko"), interpreters={("en-ko", T[0]): 1}),
     {1: Block(Rule.INTERPRETER), 2: Block(Rule.INTERPRETER)}),
])
def test_conflicts_name_the_meetings_whose_seat_breaks_a_rule(the_day, expected):
    assert conflicts(the_day) == expected
