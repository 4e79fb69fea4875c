"""Confirmation pages: what an irreversible action will do, read by `services.confirmations`, with one button that
posts to the action's own endpoint (publish, send suggestions, mark absent, reject) and a way back. A GET changes
nothing (but for giving up a lost worker's scheduler run, as the board does)."""

from flask import abort, redirect, render_template, url_for

from matchmaker.access import get_or_404
from matchmaker.enums import Attendance, ParticipationStatus
from matchmaker.models import Participation
from matchmaker.services import confirmations, schedule_board
from matchmaker.services.schedule_runs import give_up_stale_run
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.dayops import REASON_LABELS, AbsentForm
from matchmaker.staff.forms.registrations import DecisionForm
from matchmaker.staff.scope import check_office, office_event
from matchmaker.web import perform


@bp.get("/events/<int:event_id>/schedule/publish")
def publish_preview(event_id: int):
    event = office_event(event_id)
    if schedule_board.is_stale(schedule_board.latest_run(event.id)):  # a lost worker's run does not block publishing
        perform(lambda: give_up_stale_run(event))
    return render_template("staff/confirmations/publish.html", event=event,
                           preview=confirmations.publish_preview(event), running=confirmations.run_active(event))


@bp.get("/events/<int:event_id>/matrix/send")
def suggestions_preview(event_id: int):
    event = office_event(event_id)
    return render_template("staff/confirmations/suggestions.html", event=event,
                           preview=confirmations.suggestions_preview(event))


def _participation(participation_id: int) -> Participation:
    participation = get_or_404(Participation, participation_id)
    check_office(participation.event.program.office_id)
    return participation


@bp.get("/participations/<int:participation_id>/absent")
def absent_preview(participation_id: int):
    participation = _participation(participation_id)
    if participation.status != ParticipationStatus.APPROVED or participation.attendance == Attendance.ABSENT:
        return redirect(url_for("staff.participant_day", participation_id=participation.id))
    return render_template("staff/confirmations/absent.html", participation=participation, event=participation.event,
                           freed=confirmations.meetings_freed_by_absence(participation),
                           absent_form=AbsentForm(formdata=None), REASON_LABELS=REASON_LABELS)


@bp.get("/participations/<int:participation_id>/reject")
def reject_preview(participation_id: int):
    participation = _participation(participation_id)
    if participation.status == ParticipationStatus.REJECTED:
        abort(404)
    cancelled = confirmations.meetings_cancelled_by_rejection(participation)
    return render_template("staff/confirmations/reject.html", participation=participation, event=participation.event,
                           cancelled=cancelled, form=DecisionForm(formdata=None))
