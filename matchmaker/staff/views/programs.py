"""The staff start page (the office's current, coming and recent days, each with its next step; its programs,
registrations waiting, failed e-mails) and programs: create, edit, show with their matchmaking days."""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_404
from matchmaker.database import utcnow
from matchmaker.domain.event_steps import next_step
from matchmaker.fields import options
from matchmaker.models import Program
from matchmaker.services import cockpit
from matchmaker.services import events as event_service
from matchmaker.services import outbox as outbox_service
from matchmaker.services.queries import office_scope
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.events import MODE_LABELS
from matchmaker.staff.forms.programs import ProgramForm
from matchmaker.staff.scope import check_office, offices
from matchmaker.web import perform


@bp.get("/")
def index():
    office_ids = [o.id for o in offices()]
    now = utcnow()
    days = cockpit.office_days(office_ids, now.date(), now)
    return render_template(
        "staff/programs/index.html", programs=event_service.programs_in(office_ids),
        days=[(line, next_step(line.counts, line.phase)) for line in days],
        pending=event_service.applications_waiting(office_scope(current_user)),
        outbox_failed=outbox_service.failed_count(current_user),  # the office's own, as its Outbox page lists
    )


@bp.route("/programs/new", methods=["GET", "POST"])
def new_program():
    return _program_form(None)


@bp.route("/programs/<int:program_id>/edit", methods=["GET", "POST"])
def edit_program(program_id: int):
    program = get_or_404(Program, program_id)
    check_office(program.office_id)
    return _program_form(program)


def _program_form(program: Program | None):
    form = ProgramForm(obj=program)
    form.office_id.choices = options((o.id, o.name) for o in offices())
    if form.validate_on_submit():
        check_office(form.office_id.data)
        saved = perform(lambda: event_service.save_program(current_user, program, **form.values()),
                        _("The program is saved."))
        if saved:
            return redirect(url_for("staff.program", program_id=saved.value.id))
    return render_template("staff/programs/form.html", form=form, program=program)


@bp.get("/programs/<int:program_id>")
def program(program_id: int):
    program = get_or_404(Program, program_id)
    check_office(program.office_id)
    return render_template("staff/programs/program.html", program=program, MODE_LABELS=MODE_LABELS)
