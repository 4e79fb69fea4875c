"""Registrations: staff's decisions on applications to a matchmaking day, from the day's page (`decide`) or from
the queue of every application waiting in the office (`reviews`), and the menu's count of that queue."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_404
from matchmaker.enums import ParticipationStatus
from matchmaker.models import Participation
from matchmaker.services import confirmations
from matchmaker.services import events as event_service
from matchmaker.services.queries import office_scope
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.registrations import DecisionForm
from matchmaker.staff.scope import check_office
from matchmaker.web import perform


@bp.app_context_processor
def _registrations_waiting():
    return {"registrations_waiting": lambda: event_service.applications_waiting(office_scope(current_user))}


def _decision(participation_id: int) -> tuple[Participation, DecisionForm]:
    """The application and the decision posted on it (400 when the form does not validate)."""
    participation = get_or_404(Participation, participation_id)
    check_office(participation.event.program.office_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    return participation, form


def _decide(participation: Participation, form: DecisionForm):
    # Rejecting an approved participant cancels its scheduled meetings too (listed first by staff.reject_preview).
    return lambda: confirmations.decide_with_meetings(current_user, participation, bool(form.approve.data),
                                                      form.reason.data)


@bp.post("/participations/<int:participation_id>/decide")
def decide(participation_id: int):
    participation, form = _decision(participation_id)
    perform(_decide(participation, form),
            lambda _none: _("%(name)s: decision saved.", name=participation.organization.name))
    return redirect(url_for("staff.event", event_id=participation.event_id))


def _reviews_page(failed: tuple[int, DecisionForm] | None = None):
    applications = event_service.applications_to_review(office_scope(current_user))
    return render_template("staff/registrations/reviews.html", applications=applications, failed=failed,
                           blank=DecisionForm())


@bp.get("/reviews")
def reviews():
    return _reviews_page()


@bp.post("/reviews/<int:participation_id>")
def review(participation_id: int):
    participation, form = _decision(participation_id)
    name = participation.organization.name
    if participation.status != ParticipationStatus.APPLIED:
        flash(_("%(name)s: the application was decided already.", name=name), "info")
        return redirect(url_for("staff.reviews"))
    if not perform(_decide(participation, form),
                   _("%(name)s: decision saved; the applicant is told by e-mail.", name=name),
                   error_field=form.reason):
        return _reviews_page(failed=(participation_id, form))
    return redirect(url_for("staff.reviews"))
