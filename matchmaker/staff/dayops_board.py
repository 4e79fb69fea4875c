"""The live table board for a big screen: the slot on now and the next one, a row per table, late and
absent participants marked. The page reloads its rows every 30 seconds (static/js/live-board.js)."""

from flask import render_template
from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.domain import board as board_domain
from matchmaker.enums import Attendance, MeetingStatus, OrgKind
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting
from matchmaker.services.events import approved_participations
from matchmaker.services.queries import meeting_sides
from matchmaker.staff.dayops import day_now
from matchmaker.staff.routes import bp, office_event

REFRESH_SECONDS = 30


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


def live_board(event: Event, now=None) -> board_domain.Board:
    """The event's board at `now` (default: the current time)."""
    return board_domain.build(board_slots(event), board_meetings(event), now or utcnow())


@bp.get("/events/<int:event_id>/live")
def live(event_id: int):
    event = office_event(event_id)
    return render_template("dayops/live.html", event=event, board=live_board(event, day_now(event)),
                           refresh=REFRESH_SECONDS)


@bp.get("/events/<int:event_id>/live/rows")
def live_rows(event_id: int):
    """The board's changing part alone, for the page's script to swap in."""
    event = office_event(event_id)
    return render_template("dayops/_live_rows.html", event=event, board=live_board(event, day_now(event)))
