"""The matchmaking days as everyone sees them (the list and a day's page), and a member's application to a day
and withdrawal from it. Views change state only through services, by `matchmaker.web.perform`."""

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_404, member_required
from matchmaker.enums import ParticipationStatus
from matchmaker.models import Event, Participation
from matchmaker.services import events as event_service
from matchmaker.services import recommendations
from matchmaker.services.queries import upcoming_events
from matchmaker.web import perform

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.get("/")
def index():
    return render_template("events/index.html", events=upcoming_events())


@bp.get("/<int:event_id>")
def detail(event_id: int):
    event = get_or_404(Event, event_id)
    g.event_timezone = event.timezone
    participation = None
    if current_user.is_authenticated and current_user.is_member:
        participation = event_service.participation_of(event, current_user.organization)
    approved = sum(1 for p in event.participations if p.status == ParticipationStatus.APPROVED)
    return render_template("events/detail.html", event=event, participation=participation, approved=approved)


@bp.post("/<int:event_id>/apply")
@member_required
def apply(event_id: int):
    event = get_or_404(Event, event_id)
    perform(lambda: event_service.apply_to_event(current_user, event),
            _("Your application is sent. The office will review it."))
    return redirect(url_for("events.detail", event_id=event.id))


@bp.post("/participations/<int:participation_id>/withdraw")
@member_required
def withdraw(participation_id: int):
    participation = get_or_404(Participation, participation_id)
    if participation.organization_id != current_user.organization_id:
        abort(404)

    def withdraw_and_recompute():
        event_service.withdraw(current_user, participation)
        recommendations.schedule_recompute([participation.event_id])  # once the withdrawal is committed

    if perform(withdraw_and_recompute):
        flash(_("You have withdrawn from this matchmaking day."), "info")
    return redirect(url_for("events.detail", event_id=participation.event_id))
