"""The live table board for a big screen: the slot on now and the next one, a row per table, late and
absent participants marked. The page reloads its rows every 30 seconds (static/js/live-board.js). The board
is read by `services.live_board`."""

from flask import render_template

from matchmaker.services.live_board import live_board
from matchmaker.staff.blueprint import bp
from matchmaker.staff.scope import day_now, office_event

REFRESH_SECONDS = 30


@bp.get("/events/<int:event_id>/live")
def live(event_id: int):
    event = office_event(event_id)
    return render_template("staff/live_board/live.html", event=event, board=live_board(event, day_now(event)),
                           refresh=REFRESH_SECONDS)


@bp.get("/events/<int:event_id>/live/rows")
def live_rows(event_id: int):
    """The board's changing part alone, for the page's script to swap in."""
    event = office_event(event_id)
    return render_template("staff/live_board/_live_rows.html", event=event, board=live_board(event, day_now(event)))
