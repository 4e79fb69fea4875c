"""The day's scheduled meetings and slots as the live table board sees them (plain data for
`matchmaker.domain.live_board`): company first, each side's attendance. The board for the big screen and the printed
table lists are built from them. It reads; it changes nothing."""

from datetime import datetime

from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.domain import live_board as board_domain
from matchmaker.enums import Attendance, MeetingStatus, OrgKind
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting
from matchmaker.services.events import approved_participations
from matchmaker.services.queries import meeting_sides


def board_meetings(event: Event) -> list[board_domain.BoardMeeting]:
    """The event's scheduled meetings as the board sees them: company first, each side's attendance."""
    attendance = {p.organization_id: p.attendance.value for p in approved_participations(event)}
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.SCHEDULED)
        .options(*meeting_sides())
        .order_by(Meeting.start_dt, Meeting.id)
    ).all()
    rows = []
    for m in meetings:
        orgs = sorted((m.request.from_org, m.request.to_org), key=lambda o: o.kind != OrgKind.COMPANY)
        sides = tuple(
            board_domain.BoardSide(o.id, o.display_name, attendance.get(o.id, Attendance.EXPECTED.value))
            for o in orgs
        )
        rows.append(board_domain.BoardMeeting(m.id, m.start_dt, m.table_label, sides, m.walk_in))
    return rows


def board_slots(event: Event) -> list[board_domain.BoardSlot]:
    return [board_domain.BoardSlot(s.index, s.start, s.end) for s in event.slots()]


def live_board(event: Event, now: datetime | None = None) -> board_domain.Board:
    """The event's board at `now` (default: the current time)."""
    return board_domain.build(board_slots(event), board_meetings(event), now or utcnow())


def table_lists(event: Event) -> list[tuple[board_domain.BoardSlot, list]]:
    """Per slot, who sits at which table (slots without meetings left out): the printed table lists."""
    meetings = board_meetings(event)
    slots = [(slot, board_domain.rows_for(slot, meetings, running=False)) for slot in board_slots(event)]
    return [(slot, rows) for slot, rows in slots if rows]
