"""Interpreters at a matchmaking day: which pairs need one, how many staff have per language pair and slot,
and how many of them are already taken in a slot."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from matchmaker.domain.languages import (
    Pair,
    make_pair,
    meeting_language,
    normalize,
    pair_code,
)
from matchmaker.enums import MeetingStatus, RequestStatus
from matchmaker.extensions import db
from matchmaker.models import Event, InterpreterSlot, Meeting, MeetingRequest, Organization, User
from matchmaker.services import ServiceError, audit


def rows(event: Event) -> list[InterpreterSlot]:
    return list(db.session.scalars(
        select(InterpreterSlot).where(InterpreterSlot.event_id == event.id).order_by(
            InterpreterSlot.language_a, InterpreterSlot.language_b, InterpreterSlot.start_dt.is_not(None),
            InterpreterSlot.start_dt, InterpreterSlot.id,
        )
    ))


@dataclass
class Capacity:
    """Interpreters per language pair: a default for every slot and overrides for some slots."""

    default: dict[Pair, int]
    by_slot: dict[tuple[Pair, datetime], int]

    def at(self, pair: Pair, start: datetime) -> int:
        return self.by_slot.get((pair, start), self.default.get(pair, 0))

    def best(self) -> dict[Pair, int]:
        """The most interpreters of each pair in any slot (to prefer pairs that staff can cover)."""
        out = dict(self.default)
        for (pair, _), count in self.by_slot.items():
            out[pair] = max(out.get(pair, 0), count)
        return out


def capacity(event: Event) -> Capacity:
    default, by_slot = {}, {}
    for row in rows(event):
        pair = (row.language_a, row.language_b)
        if row.start_dt is None:
            default[pair] = row.count
        else:
            by_slot[pair, row.start_dt] = row.count
    return Capacity(default, by_slot)


def language_of(a: Organization, b: Organization, cap: Capacity | None = None):
    """The MeetingLanguage of two organizations (a common language, or the interpreter pair)."""
    return meeting_language(a.languages, b.languages, cap.best() if cap else None)


def interpreters_in_use(event: Event, pair: Pair, start: datetime, exclude_meeting_id: int | None = None) -> int:
    query = select(func.count()).select_from(Meeting).where(
        Meeting.event_id == event.id, Meeting.start_dt == start, Meeting.status == MeetingStatus.SCHEDULED,
        Meeting.interpreter.is_(True), Meeting.language == pair_code(pair),
    )
    if exclude_meeting_id is not None:
        query = query.where(Meeting.id != exclude_meeting_id)
    return db.session.scalar(query)


def interpreter_free(item: MeetingRequest, start: datetime, cap: Capacity | None = None) -> bool:
    """Whether the pair of the request can meet at `start`: no interpreter needed, or one is left (the
    request's own meeting, when it moves, does not count)."""
    exclude = item.meeting.id if item.meeting is not None else None
    return can_talk(item.event, item.from_org, item.to_org, start, cap or capacity(item.event), exclude)


def can_talk(event: Event, a: Organization, b: Organization, start: datetime, cap: Capacity,
             exclude_meeting_id: int | None = None) -> bool:
    """A common language, or an interpreter for their pair still free at `start`."""
    language = language_of(a, b, cap)
    if not language.needs_interpreter:
        return True
    return interpreters_in_use(event, language.pair, start, exclude_meeting_id) < cap.at(language.pair, start)


def assign_language(meeting: Meeting) -> None:
    """Set the meeting's language: the common one, or the interpreter's pair ("en-ko") with `interpreter`."""
    item = meeting.request
    language = language_of(item.from_org, item.to_org, capacity(item.event))
    meeting.language = language.code
    meeting.interpreter = language.needs_interpreter


def needs(event: Event) -> list[dict]:
    """The language pairs this day's requests need interpreters for, with request counts per status."""
    cap = capacity(event)
    counts: dict[Pair, Counter] = {}
    items = db.session.scalars(
        select(MeetingRequest).where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.status.in_([RequestStatus.REQUESTED, RequestStatus.ACCEPTED]),
        ).options(joinedload(MeetingRequest.from_org), joinedload(MeetingRequest.to_org)).order_by(MeetingRequest.id)
    )
    for item in items:
        language = language_of(item.from_org, item.to_org, cap)
        if language.needs_interpreter:
            counts.setdefault(language.pair, Counter())[item.status.value] += 1
    return [
        {"pair": pair, "accepted": c["accepted"], "requested": c["requested"], "default": cap.default.get(pair)}
        for pair, c in sorted(counts.items())
    ]


def set_capacity(actor: User, event: Event, language_a: str, language_b: str, count: int,
                 start: datetime | None = None) -> InterpreterSlot:
    """How many interpreters for a pair staff have: in every slot (start None) or in the slot at `start`."""
    if count < 0:
        raise ServiceError(gettext("The number of interpreters cannot be negative."))
    a, b = normalize([language_a]), normalize([language_b])
    if not a or not b or a == b:
        raise ServiceError(gettext("Choose two different languages."))
    pair = make_pair(a[0], b[0])
    if start is not None and start not in {s.start for s in event.slots()}:
        raise ServiceError(gettext("Choose one of the day's slots."))
    row = db.session.scalar(
        select(InterpreterSlot).where(
            InterpreterSlot.event_id == event.id, InterpreterSlot.language_a == pair[0],
            InterpreterSlot.language_b == pair[1],
            InterpreterSlot.start_dt.is_(None) if start is None else InterpreterSlot.start_dt == start,
        )
    )
    if row is None:
        row = InterpreterSlot(event_id=event.id, language_a=pair[0], language_b=pair[1], start_dt=start)
        db.session.add(row)
    row.count = count
    db.session.flush()
    audit.record(actor, "set_interpreters", event, pair=pair_code(pair), count=count,
                 start=start.isoformat() if start else None)
    return row


def remove_capacity(actor: User, event: Event, row_id: int | None) -> None:
    row = db.session.get(InterpreterSlot, row_id) if row_id is not None else None
    if row is None or row.event_id != event.id:
        raise ServiceError(gettext("This interpreter entry does not exist."))
    audit.record(actor, "remove_interpreters", event, pair=f"{row.language_a}-{row.language_b}",
                 start=row.start_dt.isoformat() if row.start_dt else None)
    db.session.delete(row)
    db.session.flush()
