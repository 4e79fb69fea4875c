"""The schedule board touched directly: which cells a picked meeting may not go to (JSON), dropping it on a cell
(a move, or a swap with the meeting there), placing an accepted request in a free cell, undoing one's last change,
and choosing the meeting to swap with without JavaScript.

A drop answers JSON: {"ok", "message", "html"} with the grid re-rendered (`static/js/board.js` puts it in place);
a refusal is a 409 with the service's message. The undo form works with and without JavaScript. Every change goes
through `services.board_changes`, run by `web.perform`."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import db_id, get_or_404
from matchmaker.enums import MeetingStatus
from matchmaker.models import Event, Meeting, MeetingRequest
from matchmaker.services import board_changes, board_rules, schedule_board
from matchmaker.staff.blueprint import bp
from matchmaker.staff.scope import check_office, office_event
from matchmaker.staff.views.schedule_board import grid_context, scheduled_meeting
from matchmaker.web import perform


def _zone(event: Event) -> str:
    mine = request.values.get("zone") == "mine" and current_user.timezone
    return current_user.timezone if mine else event.timezone


def _answer(event: Event, outcome, success: str):
    """The drop's JSON answer: the grid as it is now (after a refusal too: the board may have been outdated)."""
    html = render_template("staff/schedule_board/_grid.html", **grid_context(event, _zone(event)))
    if outcome:
        return jsonify(ok=True, message=success, html=html)
    return jsonify(ok=False, message=outcome.error, html=html), 409


def _id(value) -> int | None:
    try:
        return db_id(value)
    except (TypeError, ValueError):
        return None


def _target(event: Event):
    """The cell asked for: its slot (None when not one of the day's), its table (None: none), the meeting in it."""
    values = request.get_json(silent=True) or request.form
    slots = {s.index: s for s in event.slots()}
    index = values.get("slot")
    slot = slots.get(int(index)) if str(index).isdigit() else None
    table = values.get("table") or None
    other = _id(values.get("other"))
    return slot, table, other, values


def _version(values, key: str) -> int | None:
    """The version the board showed (any whole number is compared; none: not compared)."""
    try:
        return int(values.get(key))
    except (TypeError, ValueError):
        return None


@bp.get("/meetings/<int:meeting_id>/cells")
def meeting_cells(meeting_id: int):
    meeting = scheduled_meeting(meeting_id)
    meetings = schedule_board.scheduled_meetings(meeting.event_id)
    return jsonify(board_rules.blocked_for(meeting.event, meetings, board_rules.card_of(meeting)))


@bp.post("/meetings/<int:meeting_id>/drop")
def drop_meeting(meeting_id: int):
    meeting = scheduled_meeting(meeting_id)
    event = meeting.event
    slot, table, other_id, values = _target(event)
    version = _version(values, "version")
    if other_id is not None:
        other = get_or_404(Meeting, other_id)
        if other.event_id != event.id or other.status != MeetingStatus.SCHEDULED:
            abort(404)
        outcome = perform(lambda: board_changes.swap(current_user, meeting, other, version=version,
                                                     other_version=_version(values, "other_version")), quiet=True)
        return _answer(event, outcome, _("The meetings are swapped."))
    if slot is None:
        return jsonify(ok=False, message=_("Choose a time and a table from the lists.")), 400
    outcome = perform(lambda: board_changes.move(current_user, meeting, slot, table, version=version), quiet=True)
    return _answer(event, outcome, _("The meeting is moved."))


def _waiting_request(request_id: int) -> MeetingRequest:
    item = get_or_404(MeetingRequest, request_id)
    check_office(item.event.program.office_id)
    return item


@bp.get("/requests/<int:request_id>/cells")
def request_cells(request_id: int):
    item = _waiting_request(request_id)
    meetings = schedule_board.scheduled_meetings(item.event_id)
    card = board_rules.card_of_request(item, item.event)
    return jsonify(board_rules.blocked_for(item.event, meetings, card, item.from_org, item.to_org))


@bp.post("/requests/<int:request_id>/place")
def place_request(request_id: int):
    item = _waiting_request(request_id)
    event = item.event
    slot, table, _other, _values = _target(event)
    if slot is None:
        return jsonify(ok=False, message=_("Choose a time and a table from the lists.")), 400
    outcome = perform(lambda: board_changes.place_request(current_user, item, slot, table), quiet=True)
    return _answer(event, outcome, _("The meeting is placed."))


@bp.post("/events/<int:event_id>/schedule/undo")
def undo_change(event_id: int):
    event = office_event(event_id)
    wants_json = request.accept_mimetypes.best == "application/json"
    outcome = perform(lambda: board_changes.undo(current_user, event), _("The last change is undone."),
                      quiet=wants_json)
    if wants_json:
        return _answer(event, outcome, _("The last change is undone."))
    return redirect(url_for("staff.board", event_id=event.id, zone=request.form.get("zone") or None))


@bp.get("/meetings/<int:meeting_id>/swap")
def swap_choice(meeting_id: int):
    """Without JavaScript: the day's other meetings to swap with, by time (a list to choose from, not a number)."""
    meeting = scheduled_meeting(meeting_id)
    event = meeting.event
    others = [m for m in schedule_board.scheduled_meetings(event.id) if m.id != meeting.id]
    if not others:
        flash(_("There is no other meeting to swap with."), "error")
        return redirect(url_for("staff.board", event_id=event.id))
    others.sort(key=lambda m: (m.start_dt, m.table_label or ""))
    return render_template("staff/schedule_board/swap.html", event=event, meeting=meeting, others=others,
                           zone=_zone(event))
