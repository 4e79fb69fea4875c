"""What the staff schedule board page shows, read and prepared once per page (`board_page`): the day's last
scheduler run, the scheduled meetings and the accepted requests left unplaced (with their organizations' names; the
page words why each is left out as members read it, `services.request_states`, and gives the run's own sentence as
a detail), the grid's rows (each slot with the meeting at each table, or its meetings side by side on a day
without tables), the meetings whose seat breaks a rule now, the participants to filter by and the move lists every
meeting's cell repeats. It reads; it changes nothing (the view gives up a lost worker's run through
`schedule_runs.give_up_stale_run`, when `is_stale` says so).

Every cell offers all the day's slots and tables with its own one selected; building those option lists in the
template cost most of the page (a loop per cell over every slot and table). Here each list is built once per
selected value: a day has a few dozen slots and tables, but may have hundreds of meetings.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache

from markupsafe import Markup, escape
from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import defer, joinedload, selectinload

from matchmaker.database import utcnow
from matchmaker.domain.timeslots import TimeSlot
from matchmaker.enums import MeetingStatus, RequestStatus, RunStatus
from matchmaker.extensions import db
from matchmaker.i18n import format_clock
from matchmaker.models import Event, Meeting, MeetingRequest, Organization, ScheduleRun
from matchmaker.services.board_rules import conflict_reasons
from matchmaker.services.schedule_runs import ACTIVE, run_deadline, run_error_text
from matchmaker.services.scheduling import table_ids

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


@dataclass
class BoardPage:
    """Everything the board's template shows besides the event, its zone and the forms."""

    slots: list[TimeSlot]
    grid: dict[datetime, list[Meeting]]  # the meetings by start (a day without tables lists them per slot)
    tables: list[str]
    run: ScheduleRun | None
    unplaced: list[MeetingRequest]
    reasons: dict[int, str]  # the last run's own sentence (English) on why it left a request out, by request id
    rows: list[tuple[datetime, list]]
    slot_choices: OptionsBySelection
    table_choices: OptionsBySelection
    run_error: str | None
    running: bool
    unsent: int  # meetings whose calendars have not seen them as they are: what publishing e-mails about
    conflicts: dict[int, str]  # placed meetings whose seat breaks a rule now, with why (`board_rules`), by id
    participants: list[tuple[int, str]]  # the organizations on the board (placed or not), by name: the filter

    def template_context(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def board_page(event: Event, zone: str, run: ScheduleRun | None) -> BoardPage:
    """The board of `event` with its times in `zone`; `run` is the day's last run (`latest_run`)."""
    slots = event.slots()
    meetings = scheduled_meetings(event.id)
    grid: dict = {}
    for meeting in meetings:
        grid.setdefault(meeting.start_dt, []).append(meeting)
    tables = table_ids(event)
    unplaced = unplaced_requests(event.id)
    starts = [s.start for s in slots]
    return BoardPage(
        slots=slots, grid=grid, tables=tables, run=run, unplaced=unplaced, reasons=unplaced_reasons(run),
        rows=grid_rows(starts, tables, meetings) if tables else parallel_rows(starts, grid),
        slot_choices=OptionsBySelection((s.index, format_clock(s.start, zone), s.start) for s in slots),
        table_choices=OptionsBySelection((t, t, t) for t in tables),
        run_error=run_error_text(run) if run is not None else None,
        running=run is not None and run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
        unsent=unsent_meetings(event.id),
        conflicts=conflict_reasons(event, meetings),
        participants=sorted({(org.id, org.display_name) for r in [m.request for m in meetings] + unplaced
                             for org in (r.from_org, r.to_org)}, key=lambda p: (p[1].casefold(), p[0])),
    )


def is_stale(run: ScheduleRun | None, now: datetime | None = None) -> bool:
    """Whether `run` (the day's last) is queued or running past its time limit plus the margin: a lost worker's
    run, to be shown as failed. Only the latest run can be queued or running (runs start queued, and the database
    allows one such run per day): otherwise there is none to check."""
    return run is not None and run.status in ACTIVE and (now or utcnow()) >= run_deadline(run)


def unsent_meetings(event_id: int) -> int:
    """How many meetings publishing would e-mail both sides about (as `invites.send_pending_invites` picks them):
    scheduled ones new or changed since their last invite, and cancelled ones that had been sent."""
    return unsent_by_event([event_id]).get(event_id, 0)


def unsent_by_event(event_ids: list[int]) -> dict[int, int]:
    """`unsent_meetings` of several days in one query (days with none are left out)."""
    fresh = or_(Meeting.invited_sequence.is_(None), Meeting.sequence > Meeting.invited_sequence)
    return dict(db.session.execute(select(Meeting.event_id, func.count(Meeting.id)).where(
        Meeting.event_id.in_(event_ids),
        or_(and_(Meeting.status == MeetingStatus.SCHEDULED, fresh),
            and_(Meeting.status == MeetingStatus.CANCELLED, Meeting.invited_sequence.is_not(None),
                 Meeting.sequence > Meeting.invited_sequence)),
    ).group_by(Meeting.event_id)).all())


def unplaced_reasons(run: ScheduleRun | None) -> dict[int, str]:
    """The run result's sentence for each request it left unplaced, by request id (what each request keeps,
    `unplaced_reason`, is the same reason as data, which the page words in the reader's language)."""
    if run is None or not run.result:
        return {}
    return {int(u["meeting"]): u["reason"] for u in run.result.get("unscheduled", [])}


def grid_rows(slot_starts: list[datetime], tables: list[str], meetings) -> list[tuple[datetime, list]]:
    """For a day with tables: each slot's start with the meeting (or None) at each table, in the tables' order.
    A meeting is found by its seat (start, table), not by scanning its slot for every table."""
    seats = {(m.start_dt, m.table_label): m for m in meetings}
    return [(start, [seats.get((start, table)) for table in tables]) for start in slot_starts]


def parallel_rows(slot_starts: list[datetime], grid: dict[datetime, list]) -> list[tuple[datetime, list]]:
    """For a day without tables (online, rooms without limit): a column per meeting held at once, and one more
    left free in every slot to drop a meeting on; each slot's meetings in the first columns, the rest None."""
    width = max((len(grid.get(start, [])) for start in slot_starts), default=0) + 1
    rows = []
    for start in slot_starts:
        here = sorted(grid.get(start, []), key=lambda m: m.id)
        rows.append((start, here + [None] * (width - len(here))))
    return rows


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


def _not_placed():
    """An accepted request's condition of having no scheduled meeting."""
    return ~select(Meeting.id).where(
        Meeting.request_id == MeetingRequest.id, Meeting.event_id == MeetingRequest.event_id,
        Meeting.status == MeetingStatus.SCHEDULED,
    ).exists()


@cache
def _unplaced_requests_query():
    return (
        select(MeetingRequest)
        .where(MeetingRequest.event_id == bindparam("event_id"), MeetingRequest.status == RequestStatus.ACCEPTED,
               _not_placed())
        .options(selectinload(MeetingRequest.from_org).load_only(*NAME_COLUMNS),
                 selectinload(MeetingRequest.to_org).load_only(*NAME_COLUMNS),
                 selectinload(MeetingRequest.meeting))  # its state reads whether it has one
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


def latest_runs(event_ids: list[int]) -> dict[int, ScheduleRun]:
    """`latest_run` of several days in one query (days never run are left out)."""
    last = select(func.max(ScheduleRun.id)).where(ScheduleRun.event_id.in_(event_ids)).group_by(ScheduleRun.event_id)
    runs = db.session.scalars(select(ScheduleRun).where(ScheduleRun.id.in_(last)).options(defer(ScheduleRun.instance)))
    return {run.event_id: run for run in runs}


def scheduled_meetings(event_id: int) -> list[Meeting]:
    """The day's scheduled meetings, each with its request and both organizations' names (one query)."""
    return list(db.session.scalars(_scheduled_meetings_query(), {"event_id": event_id}))


def unplaced_requests(event_id: int) -> list[MeetingRequest]:
    """Accepted requests of the day without a scheduled meeting, oldest first, with both organizations' names."""
    return list(db.session.scalars(_unplaced_requests_query(), {"event_id": event_id}))


def unplaced_reasons_by_event(event_ids: list[int]) -> dict[int, list]:
    """For several days at once, the stored reason (or None) of each accepted request left without a meeting."""
    rows = db.session.execute(select(MeetingRequest.event_id, MeetingRequest.unplaced_reason).where(
        MeetingRequest.event_id.in_(event_ids), MeetingRequest.status == RequestStatus.ACCEPTED, _not_placed()))
    found: dict[int, list] = {}
    for event_id, reason in rows:
        found.setdefault(event_id, []).append(reason)
    return found
