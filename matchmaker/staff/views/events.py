"""Matchmaking days (the events of a program): create, edit, and the day's page with its participants by
status. Deciding on their applications is `registrations`."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_404
from matchmaker.domain.event_steps import checklist
from matchmaker.enums import OrgKind, ParticipationStatus
from matchmaker.models import Event, Program
from matchmaker.services import cockpit
from matchmaker.services import events as event_service
from matchmaker.services.proposals import open_asks
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.events import MODE_LABELS, EventForm
from matchmaker.staff.forms.registrations import DecisionForm
from matchmaker.staff.scope import check_office, day_now, office_event
from matchmaker.web import perform


@bp.route("/programs/<int:program_id>/events/new", methods=["GET", "POST"])
def new_event(program_id: int):
    program = get_or_404(Program, program_id)
    check_office(program.office_id)
    return _event_form(program, None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: int):
    event = get_or_404(Event, event_id)
    check_office(event.program.office_id)
    return _event_form(event.program, event)


def _event_form(program: Program, event: Event | None):
    form = EventForm(obj=event)
    form.saved_event = event
    if request.method == "GET":
        form.fill(program, event)
    if form.validate_on_submit():
        saved = perform(lambda: event_service.save_event(current_user, program, event, **form.values()),
                        _("The matchmaking day is saved."), error_field=form.date)
        if saved:
            return redirect(url_for("staff.event", event_id=saved.value.id))
    return render_template("staff/events/form.html", form=form, program=program, event=event)


@bp.get("/events/<int:event_id>")
def event(event_id: int):
    """The day's cockpit (its counts, each linking to its list, and the checklist with the next step), its tools,
    and its participants (of one status, and one side: `kind` company or partner, when asked)."""
    event = office_event(event_id)
    status = request.args.get("status")
    participations = event_service.participations_of(event, status)
    kind = request.args.get("kind")
    if kind in ("company", "partner"):
        participations = [p for p in participations if (p.organization.kind == OrgKind.COMPANY) == (kind == "company")]
    now = day_now(event)
    counts, phase = cockpit.counts(event, now), cockpit.phase(event, now)
    return render_template(
        "staff/events/event.html", event=event, participations=participations,
        status=status, form=DecisionForm(), MODE_LABELS=MODE_LABELS, ParticipationStatus=ParticipationStatus,
        change_asks=len(open_asks(event.id)), counts=counts, phase=phase, steps=checklist(counts, phase),
    )
