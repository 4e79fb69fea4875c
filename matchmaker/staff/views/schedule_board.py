"""The staff schedule board: run the scheduler, see the grid, move, swap, lock, publish.

What the page shows is read and prepared by `services.schedule_board`; every change goes through a service verb
of `services.scheduling`, run by `web.perform`."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchmaker.access import db_id, get_or_404, get_or_none
from matchmaker.enums import MeetingStatus
from matchmaker.fields import options
from matchmaker.models import Meeting
from matchmaker.services import board_changes, schedule_board
from matchmaker.services import scheduling as service
from matchmaker.services.proposals import open_asks
from matchmaker.services.schedule_runs import give_up_stale_run, start_run
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.schedule_board import MoveForm, RunForm
from matchmaker.staff.scope import check_office, office_event
from matchmaker.web import perform


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
    return {name: IdUrls(f"staff.{name}", "meeting_id") for name in ("move", "swap", "lock", "swap_choice")}


def grid_context(event, zone: str, run=None, page=None) -> dict:
    """What the board's grid (`_grid.html`, re-rendered alone after a drop) shows: the day's meetings and lists
    (`schedule_board.board_page`), the forms' addresses, whether there is a change to undo, the participant
    shown (`?org=`)."""
    page = page or schedule_board.board_page(event, zone, run or schedule_board.latest_run(event.id))
    return dict(event=event, zone=zone, urls=cell_urls(), can_undo=board_changes.last_change(current_user, event)
                is not None, only=request.values.get("org", type=db_id), **page.template_context())


@bp.get("/events/<int:event_id>/schedule")
def board(event_id: int):
    event = office_event(event_id)
    run = schedule_board.latest_run(event.id)
    if schedule_board.is_stale(run):  # a lost worker's run is shown as failed, and can be started again
        perform(lambda: give_up_stale_run(event))
    zone = current_user.timezone if request.args.get("zone") == "mine" and current_user.timezone else event.timezone
    page = schedule_board.board_page(event, zone, run)
    # Each cell's move form offers every slot and table (the lists are built once per selected value); the form
    # itself is the cell's markup, and `move` reads it with MoveForm.
    return render_template("staff/schedule_board/board.html", run_form=RunForm(), change_asks=open_asks(event.id),
                           **grid_context(event, zone, page=page))


@bp.post("/events/<int:event_id>/schedule/run")
def run_scheduler(event_id: int):
    event = office_event(event_id)
    form = RunForm()
    if not form.validate_on_submit():
        flash(_("The time limit must be between 5 and 600 seconds."), "error")
    elif perform(lambda: start_run(current_user, event, form.time_limit.data, form.keep_placed.data)):
        flash(_("The scheduler is running. This page shows the result when it is done."), "info")
    return redirect(url_for("staff.board", event_id=event.id))


@bp.post("/events/<int:event_id>/schedule/publish")
def publish(event_id: int):
    event = office_event(event_id)
    # The preview's token (staff.publish_preview): refused when the schedule changed since; none: not compared.
    token = request.form.get("token") or None
    perform(lambda: service.publish(current_user, event, token),
            lambda count: ngettext("The schedule is published; %(num)d participant is notified.",
                                   "The schedule is published; %(num)d participants are notified.", count))
    return redirect(url_for("staff.board", event_id=event.id))


def scheduled_meeting(meeting_id: int) -> Meeting:
    """A scheduled meeting of the staff member's offices (404 otherwise, 403 for another office's)."""
    meeting = get_or_404(Meeting, meeting_id)
    check_office(meeting.event.program.office_id)
    if meeting.status != MeetingStatus.SCHEDULED:
        abort(404)
    return meeting


@bp.post("/meetings/<int:meeting_id>/move")
def move(meeting_id: int):
    meeting = scheduled_meeting(meeting_id)
    event = meeting.event
    slots = {s.index: s for s in event.slots()}
    form = MoveForm()
    form.slot.choices = options((i, "") for i in slots)
    form.table.choices = options([("", "")] + [(t, t) for t in service.table_ids(event)])
    if not form.validate_on_submit():
        flash(_("Choose a time and a table from the lists."), "error")
    else:
        perform(lambda: board_changes.move(current_user, meeting, slots[form.slot.data], form.table.data or None,
                                           version=request.form.get("version", type=int)),
                _("The meeting is moved."))
    return redirect(url_for("staff.board", event_id=event.id))


@bp.post("/meetings/<int:meeting_id>/swap")
def swap(meeting_id: int):
    meeting = scheduled_meeting(meeting_id)
    # The meeting chosen (`staff.swap_choice`), or a number sent by hand: one of no scheduled meeting is said on
    # the board, not a 404 page. Another day's meeting (another office's too) is refused by the service.
    other = get_or_none(Meeting, request.form.get("other", type=db_id))
    if other is None or other.status != MeetingStatus.SCHEDULED:
        flash(_("Choose the meeting to swap with."), "error")
    else:
        perform(lambda: board_changes.swap(current_user, meeting, other,
                                           version=request.form.get("version", type=int)),
                _("The meetings are swapped."))
    return redirect(url_for("staff.board", event_id=meeting.event_id))


@bp.post("/meetings/<int:meeting_id>/lock")
def lock(meeting_id: int):
    meeting = scheduled_meeting(meeting_id)
    wanted = request.form.get("locked")  # the state asked for: a double click does not undo itself
    perform(lambda: service.set_locked(current_user, meeting,
                                       wanted == "1" if wanted in ("0", "1") else not meeting.locked))
    return redirect(url_for("staff.board", event_id=meeting.event_id))
