"""The schedule board's rules read from the database: a day as `domain.board_cells.Day` (its slots, meetings,
availability, meetings at other days, interpreters), which cells are closed to one meeting, and the reason worded
in the reader's language. It reads; it changes nothing."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.domain.board_cells import Block, Blocked, Card, Day, Rule, blocked_cells, conflicts
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingRequest, MeetingSeat, Organization, Participation
from matchmaker.services.availability import slots_within
from matchmaker.services.interpreters import capacity, language_of

LOCKED = _l("Locked in place: unlock it first.")
OUTSIDE = _l("Outside the day's time slots.")


def card_of(meeting: Meeting) -> Card:
    item = meeting.request
    return Card(id=meeting.id, orgs=(item.from_org_id, item.to_org_id), start=meeting.start_dt, locked=meeting.locked,
                interpreter=meeting.language if meeting.interpreter else None)


def card_of_request(item: MeetingRequest, event: Event) -> Card:
    """An accepted request not placed yet, as a card without a seat (id 0: no meeting has it)."""
    spoken = language_of(item.from_org, item.to_org, capacity(event))  # the language `place` would give it
    return Card(id=0, orgs=(item.from_org_id, item.to_org_id),
                interpreter=spoken.code if spoken.needs_interpreter else None)


def read_day(event: Event, meetings: list[Meeting]) -> Day:
    """The rules of `event`'s day; `meetings` are its scheduled meetings (`schedule_board.scheduled_meetings`)."""
    slots = event.slots()
    starts = [s.start for s in slots]
    cards = [card_of(m) for m in meetings]
    available = {}
    for org_id, windows in db.session.execute(select(Participation.organization_id, Participation.availability)
                                              .where(Participation.event_id == event.id)):
        if windows:
            available[org_id] = frozenset(s.start for s in slots_within(slots, windows))
    elsewhere: dict[int, set] = {}
    for org_id, start in db.session.execute(
        select(MeetingSeat.organization_id, MeetingSeat.start_dt).join(Meeting)
        .where(Meeting.event_id != event.id, MeetingSeat.start_dt.in_(starts))
    ):
        elsewhere.setdefault(org_id, set()).add(start)
    cap = capacity(event)
    pairs = {pair for pair in cap.default} | {pair for pair, _start in cap.by_slot}
    interpreters = {(f"{pair[0]}-{pair[1]}", start): cap.at(pair, start) for pair in pairs for start in starts}
    return Day(starts=starts, meetings=cards, available=available,
               elsewhere={org: frozenset(s) for org, s in elsewhere.items()}, interpreters=interpreters)


def reason(block: Block, names: dict[int, str]) -> str:
    """The rule `block` names, as a sentence for the reader; `names` are organizations' names by id."""
    name = names.get(block.org_id, "")
    if block.rule == Rule.UNAVAILABLE:
        return gettext("%(name)s is not available then.", name=name)
    if block.rule == Rule.BUSY:
        return gettext("%(name)s already has a meeting then.", name=name)
    if block.rule == Rule.INTERPRETER:
        return gettext("No interpreter for their languages is free then.")
    return str(LOCKED if block.rule == Rule.LOCKED else OUTSIDE)


def names_of(meetings: list[Meeting], *more: Organization) -> dict[int, str]:
    names = {org.id: org.display_name for org in more}
    for meeting in meetings:
        for org in (meeting.request.from_org, meeting.request.to_org):
            names[org.id] = org.display_name
    return names


def worded(blocked: Blocked, names: dict[int, str]) -> dict:
    """`blocked` as the board's JSON: {"moves": {slot index: reason}, "swaps": {meeting id: reason}}."""
    return {"moves": {str(i): reason(b, names) for i, b in blocked.moves.items()},
            "swaps": {str(i): reason(b, names) for i, b in blocked.swaps.items()}}


def blocked_for(event: Event, meetings: list[Meeting], card: Card, *orgs: Organization) -> dict:
    """The cells closed to `card` on `event`'s board, worded (`worded`)."""
    return worded(blocked_cells(card, read_day(event, meetings)), names_of(meetings, *orgs))


def conflict_reasons(event: Event, meetings: list[Meeting]) -> dict[int, str]:
    """The placed meetings whose seat breaks a rule now, with the reason worded, by meeting id."""
    names = names_of(meetings)
    return {mid: reason(b, names) for mid, b in conflicts(read_day(event, meetings)).items()}
