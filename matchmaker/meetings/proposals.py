"""Changing a scheduled meeting's time from its page: propose another free slot to the other side, accept or
decline theirs, withdraw one's own (days where participants pick slots); ask the office for a change with a
reason (days staff schedule). Every change goes through `services.proposals`, by `matchmaker.web.perform`; the
page says what happened, and a refused ask keeps what was typed."""

from types import SimpleNamespace

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import db_id, get_or_404, member_required, require_involved
from matchmaker.meetings.routes import bp
from matchmaker.models import Meeting
from matchmaker.services import proposals as service
from matchmaker.web import perform


def _meeting(meeting_id: int) -> Meeting:
    """A meeting of the member's organization, on a published day (as its page)."""
    meeting = get_or_404(Meeting, meeting_id)
    require_involved(meeting.request)
    if not meeting.event.published:
        abort(404)
    g.event_timezone = meeting.event.timezone
    return meeting


def _back(meeting: Meeting):
    return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id) + "#change-time")


def _proposal_id() -> int | None:
    return request.form.get("proposal", type=db_id)


@bp.post("/meetings/<int:meeting_id>/propose")
@member_required
def propose_time(meeting_id: int):
    meeting = _meeting(meeting_id)
    index = request.form.get("slot", type=int)
    slot = next((s for s in meeting.event.slots() if s.index == index), None)
    if slot is None:
        flash(_("Choose a time from the list."), "error")
    else:
        perform(lambda: service.propose_time(current_user, meeting, slot),
                _("Your proposal is sent; the meeting stays where it is until they accept."))
    return _back(meeting)


@bp.post("/meetings/<int:meeting_id>/ask-staff")
@member_required
def ask_staff(meeting_id: int):
    meeting = _meeting(meeting_id)
    reason = request.form.get("reason", "")
    field = SimpleNamespace(errors=[])  # the refusal goes under the text box, not in a flash
    done = perform(lambda: service.ask_staff(current_user, meeting, reason),
                   _("Your request is sent to the office; they will change the schedule if they can."),
                   error_field=field)
    if done:
        return _back(meeting)
    # Refused: the form again, with what was typed and the reason under it.
    return render_template("meetings/ask_staff.html", meeting=meeting, reason=reason[:5000], error=done.error,
                           max_reason=service.MAX_REASON), 400


@bp.get("/meetings/<int:meeting_id>/ask-staff")
@member_required
def ask_staff_again(meeting_id: int):
    """A refused ask's form is shown at this address: reloading it, or switching the language there (which comes
    back to it), leads to the meeting's own form rather than a 405."""
    return _back(_meeting(meeting_id))


@bp.post("/meetings/<int:meeting_id>/proposal/accept")
@member_required
def accept_time(meeting_id: int):
    meeting = _meeting(meeting_id)
    perform(lambda: service.accept(current_user, meeting, _proposal_id()), _("The meeting is moved to the new time."))
    return _back(meeting)


@bp.post("/meetings/<int:meeting_id>/proposal/decline")
@member_required
def decline_time(meeting_id: int):
    meeting = _meeting(meeting_id)
    perform(lambda: service.decline(current_user, meeting, _proposal_id()),
            _("You declined the new time; the meeting stays as it was."))
    return _back(meeting)


@bp.post("/meetings/<int:meeting_id>/proposal/withdraw")
@member_required
def withdraw_time(meeting_id: int):
    meeting = _meeting(meeting_id)
    perform(lambda: service.withdraw(current_user, meeting, _proposal_id()), _("Your proposal is withdrawn."))
    return _back(meeting)
