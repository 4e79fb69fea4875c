"""What the staff schedule board page shows, prepared once per page: the meetings and the accepted requests left
unplaced (with their organizations' names), the grid's rows (each slot with the meeting at each table) and the
move lists every meeting's cell repeats.

Every cell offers all the day's slots and tables with its own one selected; building those option lists in the
template cost most of the page (a loop per cell over every slot and table). Here each list is built once per
selected value: a day has a few dozen slots and tables, but may have hundreds of meetings.
"""

from collections.abc import Hashable, Iterable
from datetime import datetime
from functools import cache

from flask import url_for
from markupsafe import Markup, escape
from sqlalchemy import bindparam, select
from sqlalchemy.orm import defer, joinedload, selectinload

from matchmaker.enums import MeetingStatus, RequestStatus
from matchmaker.extensions import db
from matchmaker.models import Meeting, MeetingRequest, Organization, ScheduleRun

# What the board reads of an organization: its name (display_name). Loading only these columns spares decoding
# every organization's profile (six JSON columns each) for a page that shows names.
NAME_COLUMNS = (Organization.kind, Organization.name, Organization.name_latin)


class OptionsBySelection:
    """The <option> elements of one select, as the page writes them, for a given selected key.

    `choices` are (value, label, key) triples; the option whose key equals the selected one is marked
    `selected`. The markup is the board's own (`<option value="v" selected>label</option>`, a space where the
    word is absent), so the page reads the same as when the template looped.
    """

    def __init__(self, choices: Iterable[tuple[object, object, Hashable]]) -> None:
        self._choices = [(str(escape(value)), str(escape(label)), key) for value, label, key in choices]
        self._built: dict[Hashable, Markup] = {}

    def __call__(self, selected: Hashable) -> Markup:
        html = self._built.get(selected)
        if html is None:
            html = self._built[selected] = Markup("".join(
                f'<option value="{value}" {"selected" if key == selected else ""}>{label}</option>'
                for value, label, key in self._choices
            ))
        return html


class IdUrls:
    """`url_for(endpoint, <field>=id)` for many ids of one endpoint: the address is built once with a stand-in id,
    and each id put in its place. url_for costs a few microseconds a call, and every cell of the board has three
    forms. Falls back to url_for when the stand-in does not appear exactly once in the address."""

    STAND_IN = "2147483647"  # the largest id the database's keys hold: no address has it otherwise

    def __init__(self, endpoint: str, field: str) -> None:
        self.endpoint, self.field = endpoint, field
        head, found, tail = url_for(endpoint, **{field: int(self.STAND_IN)}).partition(self.STAND_IN)
        self._parts = (head, tail) if found and self.STAND_IN not in head + tail else None

    def __call__(self, ident: int) -> str:
        if self._parts is None or type(ident) is not int:
            return url_for(self.endpoint, **{self.field: ident})
        return f"{self._parts[0]}{ident}{self._parts[1]}"


def cell_urls() -> dict[str, IdUrls]:
    """The addresses of a cell's three forms (move, swap, lock), by meeting id."""
    return {name: IdUrls(f"staff.{name}", "meeting_id") for name in ("move", "swap", "lock")}


def grid_rows(slot_starts: list[datetime], tables: list[str], meetings) -> list[tuple[datetime, list]]:
    """For a day with tables: each slot's start with the meeting (or None) at each table, in the tables' order.
    A meeting is found by its seat (start, table), not by scanning its slot for every table."""
    seats = {(m.start_dt, m.table_label): m for m in meetings}
    return [(start, [seats.get((start, table)) for table in tables]) for start in slot_starts]


@cache
def _scheduled_meetings_query():
    """Built once, with the day as a parameter: building a select with its loader options costs more CPU than
    running it, on every view of the board."""
    request = joinedload(Meeting.request)
    return (
        select(Meeting).where(Meeting.event_id == bindparam("event_id"), Meeting.status == MeetingStatus.SCHEDULED)
        .options(request.joinedload(MeetingRequest.from_org).load_only(*NAME_COLUMNS),
                 request.joinedload(MeetingRequest.to_org).load_only(*NAME_COLUMNS))
    )


@cache
def _unplaced_requests_query():
    placed = select(Meeting.id).where(
        Meeting.request_id == MeetingRequest.id, Meeting.event_id == bindparam("event_id"),
        Meeting.status == MeetingStatus.SCHEDULED,
    )
    return (
        select(MeetingRequest)
        .where(MeetingRequest.event_id == bindparam("event_id"), MeetingRequest.status == RequestStatus.ACCEPTED,
               ~placed.exists())
        .options(selectinload(MeetingRequest.from_org).load_only(*NAME_COLUMNS),
                 selectinload(MeetingRequest.to_org).load_only(*NAME_COLUMNS))
        .order_by(MeetingRequest.id)
    )


@cache
def _latest_run_query():
    # The instance solved (a copy of the whole day) is not shown on the board.
    return (select(ScheduleRun).where(ScheduleRun.event_id == bindparam("event_id"))
            .options(defer(ScheduleRun.instance)).order_by(ScheduleRun.id.desc()).limit(1))


def latest_run(event_id: int) -> ScheduleRun | None:
    """The day's last scheduler run, if any."""
    return db.session.scalar(_latest_run_query(), {"event_id": event_id})


def scheduled_meetings(event_id: int) -> list[Meeting]:
    """The day's scheduled meetings, each with its request and both organizations' names (one query)."""
    return list(db.session.scalars(_scheduled_meetings_query(), {"event_id": event_id}))


def unplaced_requests(event_id: int) -> list[MeetingRequest]:
    """Accepted requests of the day without a scheduled meeting, oldest first, with both organizations' names."""
    return list(db.session.scalars(_unplaced_requests_query(), {"event_id": event_id}))
