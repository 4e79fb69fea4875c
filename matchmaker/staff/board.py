"""The staff schedule board: run the scheduler, see the grid, move, swap, lock, publish."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchmaker.access import get_or_404
from matchmaker.enums import EventMode, MeetingStatus, RunStatus
from matchmaker.extensions import db
from matchmaker.fields import options
from matchmaker.i18n import format_clock
from matchmaker.models import Meeting
from matchmaker.services import ServiceError
from matchmaker.services import scheduling as service
from matchmaker.services.schedule_runs import ACTIVE, give_up_stale_run, run_error_text
from matchmaker.staff.board_view import (
    OptionsBySelection,
    cell_urls,
    grid_rows,
    latest_run,
    scheduled_meetings,
    unplaced_requests,
)
from matchmaker.staff.forms.schedule_board import MoveForm, RunForm
from matchmaker.staff.routes import _check_office, bp, office_event


@bp.get("/events/<int:event_id>/schedule")
def board(event_id: int):
    event = office_event(event_id)
    run = latest_run(event.id)
    # A lost worker's run is shown as failed, and can be started again. Only the latest run can be queued or
    # running (runs start queued, and the database allows one such run per day): otherwise there is none to check.
    if run is not None and run.status in ACTIVE and give_up_stale_run(event) is not None:
        db.session.commit()
    zone = current_user.timezone if request.args.get("zone") == "mine" and current_user.timezone else event.timezone
    slots = event.slots()
    meetings = scheduled_meetings(event.id)
    grid: dict = {}
    for meeting in meetings:
        grid.setdefault(meeting.start_dt, []).append(meeting)
    tables = service.table_ids(event) if event.tables and event.mode != EventMode.ONLINE else []
    unplaced = unplaced_requests(event.id)
    reasons = {}
    if run is not None and run.result:
        reasons = {int(u["meeting"]): u["reason"] for u in run.result.get("unscheduled", [])}
    # Each cell's move form offers every slot and table: the lists are built once per selected value (board_view).
    # The form itself is the cell's markup; `move` reads it with MoveForm.
    slot_choices = OptionsBySelection((s.index, format_clock(s.start, zone), s.start) for s in slots)
    return render_template(
        "staff/board.html", event=event, zone=zone, slots=slots, grid=grid, tables=tables, run=run,
        unplaced=unplaced, reasons=reasons, run_form=RunForm(),
        rows=grid_rows([s.start for s in slots], tables, meetings), slot_choices=slot_choices,
        table_choices=OptionsBySelection((t, t, t) for t in tables), urls=cell_urls(),
        run_error=run_error_text(run) if run is not None else None,
        running=run is not None and run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
    )


@bp.post("/events/<int:event_id>/schedule/run")
def run_scheduler(event_id: int):
    event = office_event(event_id)
    form = RunForm()
    if not form.validate_on_submit():
        flash(_("The time limit must be between 5 and 600 seconds."), "error")
    else:
        try:
            service.start_run(current_user, event, form.time_limit.data, form.keep_placed.data)
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(_("The scheduler is running. This page shows the result when it is done."), "info")
    return redirect(url_for("staff.board", event_id=event.id))


@bp.post("/events/<int:event_id>/schedule/publish")
def publish(event_id: int):
    event = office_event(event_id)
    try:
        count = service.publish(current_user, event)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(ngettext("The schedule is published; %(num)d participant is notified.",
                       "The schedule is published; %(num)d participants are notified.", count), "success")
    return redirect(url_for("staff.board", event_id=event.id))


def _meeting(meeting_id: int) -> Meeting:
    meeting = get_or_404(Meeting, meeting_id)
    _check_office(meeting.event.program.office_id)
    if meeting.status != MeetingStatus.SCHEDULED:
        abort(404)
    return meeting


@bp.post("/meetings/<int:meeting_id>/move")
def move(meeting_id: int):
    meeting = _meeting(meeting_id)
    event = meeting.event
    slots = {s.index: s for s in event.slots()}
    form = MoveForm()
    form.slot.choices = options((i, "") for i in slots)
    form.table.choices = options([("", "")] + [(t, t) for t in service.table_ids(event)])
    if not form.validate_on_submit():
        flash(_("Choose a time and a table from the lists."), "error")
    else:
        try:
            service.move_meeting(current_user, meeting, slots[form.slot.data], form.table.data or None,
                                 version=request.form.get("version", type=int))
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The meeting is moved."), "success")
    return redirect(url_for("staff.board", event_id=event.id))


@bp.post("/meetings/<int:meeting_id>/swap")
def swap(meeting_id: int):
    meeting = _meeting(meeting_id)
    other_id = request.form.get("other", type=int)
    other = _meeting(other_id) if other_id else None
    if other is None:
        flash(_("Choose the meeting to swap with."), "error")
    else:
        try:
            service.swap_meetings(current_user, meeting, other, version=request.form.get("version", type=int))
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The meetings are swapped."), "success")
    return redirect(url_for("staff.board", event_id=meeting.event_id))


@bp.post("/meetings/<int:meeting_id>/lock")
def lock(meeting_id: int):
    meeting = _meeting(meeting_id)
    wanted = request.form.get("locked")  # the state asked for: a double click does not undo itself
    try:
        service.set_locked(current_user, meeting, wanted == "1" if wanted in ("0", "1") else not meeting.locked)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
    return redirect(url_for("staff.board", event_id=meeting.event_id))
