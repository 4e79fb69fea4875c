"""Where a meeting picked up on the schedule board may go: for one meeting (or an accepted request not placed yet),
which cells of the day's grid would break a rule, and which rule. The board marks those cells while staff drag;
the services check the same rules again when the meeting is dropped (`services.scheduling.move_meeting`).

Plain data in, plain data out: no Flask, no database (`services.board_rules` reads a day into `Day` and words the
rules for the reader). A free cell is named by its slot (every free cell of a slot is as good as another: tables
differ in nothing the rules look at); an occupied cell by the meeting in it (dropping there swaps the two).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Rule(StrEnum):
    LOCKED = "locked"  # the meeting (or the one in the cell) is locked in place
    OUTSIDE = "outside"  # not one of the day's slots
    UNAVAILABLE = "unavailable"  # one side is not available then (`Block.org_id`)
    BUSY = "busy"  # one side has another meeting then, at this day or another (`Block.org_id`)
    INTERPRETER = "interpreter"  # the pair needs an interpreter and none of their languages is left then


@dataclass(frozen=True)
class Block:
    rule: Rule
    org_id: int | None = None  # whose availability or meetings, for UNAVAILABLE and BUSY


@dataclass(frozen=True)
class Card:
    """A meeting of the board as the rules see it; `start` None for an accepted request not placed yet."""

    id: int
    orgs: tuple[int, int]
    start: datetime | None = None
    locked: bool = False
    interpreter: str | None = None  # the language pair code ("en-ko") when the meeting needs an interpreter


@dataclass
class Day:
    starts: list[datetime]  # the day's slot starts; a slot's index is its position
    meetings: list[Card]  # the day's scheduled meetings
    available: dict[int, frozenset[datetime]] = field(default_factory=dict)  # org -> starts it may meet (absent: all)
    elsewhere: dict[int, frozenset[datetime]] = field(default_factory=dict)  # org -> starts it meets at another day
    interpreters: dict[tuple[str, datetime], int] = field(default_factory=dict)  # (pair, start) -> how many


@dataclass
class Blocked:
    """Why cells are closed to one meeting: `moves` by slot index (a free cell of that slot), `swaps` by the id of
    the meeting in the cell. A cell named in neither is open."""

    moves: dict[int, Block] = field(default_factory=dict)
    swaps: dict[int, Block] = field(default_factory=dict)


def _breaks(card: Card, start: datetime, day: Day, leaving: set[int]) -> Block | None:
    """The first rule `card` breaks at `start`, once the meetings in `leaving` have left their seats."""
    if start not in day.starts:
        return Block(Rule.OUTSIDE)
    for org in card.orgs:
        if org in day.available and start not in day.available[org]:
            return Block(Rule.UNAVAILABLE, org)
    staying = [m for m in day.meetings if m.id not in leaving and m.start == start]
    for org in card.orgs:
        if start in day.elsewhere.get(org, ()) or any(org in m.orgs for m in staying):
            return Block(Rule.BUSY, org)
    if card.interpreter is not None:
        taken = sum(1 for m in staying if m.interpreter == card.interpreter)
        if taken >= day.interpreters.get((card.interpreter, start), 0):
            return Block(Rule.INTERPRETER)
    return None


def blocked_cells(card: Card, day: Day) -> Blocked:
    """Which cells of `day` `card` may not be dropped on, and why. A locked meeting may go nowhere. Moving within
    its own slot (another table) breaks no rule; the meeting's own cell is not a target and is left out."""
    out = Blocked()
    if card.locked:
        locked = Block(Rule.LOCKED)
        out.moves = {index: locked for index in range(len(day.starts))}
        out.swaps = {m.id: locked for m in day.meetings if m.id != card.id}
        return out
    for index, start in enumerate(day.starts):
        if start != card.start:
            block = _breaks(card, start, day, {card.id})
            if block is not None:
                out.moves[index] = block
    for other in day.meetings:
        if other.id == card.id or card.start is None:  # a request not placed yet goes to a free cell only
            continue
        block = _swap_block(card, other, day)
        if block is not None:
            out.swaps[other.id] = block
    return out


def _swap_block(card: Card, other: Card, day: Day) -> Block | None:
    if other.locked:
        return Block(Rule.LOCKED)
    if other.start == card.start:  # the same slot: they exchange tables only
        return None
    both = {card.id, other.id}
    return _breaks(card, other.start, day, both) or _breaks(other, card.start, day, both)


def conflicts(day: Day) -> dict[int, Block]:
    """The meetings whose own seat breaks a rule now (the day's hours, someone's availability or the interpreters
    changed after they were placed), by meeting id."""
    used = Counter((m.interpreter, m.start) for m in day.meetings if m.interpreter is not None)
    out = {}
    for meeting in day.meetings:
        block = None
        if meeting.start not in day.starts:
            block = Block(Rule.OUTSIDE)
        else:
            block = next((Block(Rule.UNAVAILABLE, org) for org in meeting.orgs
                          if org in day.available and meeting.start not in day.available[org]), None)
        key = (meeting.interpreter, meeting.start)
        if block is None and meeting.interpreter is not None and used[key] > day.interpreters.get(key, 0):
            block = Block(Rule.INTERPRETER)
        if block is not None:
            out[meeting.id] = block
    return out
