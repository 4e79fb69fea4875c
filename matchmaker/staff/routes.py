from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from matchmaker.access import get_or_404
from matchmaker.domain.timeslots import local_to_utc
from matchmaker.enums import (
    EventMode,
    OrgKind,
    OutboxStatus,
    PairRuleKind,
    ParticipationStatus,
    SchedulingMode,
)
from matchmaker.extensions import db
from matchmaker.fields import options
from matchmaker.models import (
    Event,
    MeetingRequest,
    Organization,
    OutboxMessage,
    PairRule,
    Participation,
    Program,
)
from matchmaker.services import ServiceError, recommendations
from matchmaker.services import events as event_service
from matchmaker.services import meetings as meeting_service
from matchmaker.services import outbox as outbox_service
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.events import MODE_LABELS, EventForm, parse_breaks
from matchmaker.staff.forms.pair_rules import PairRuleForm
from matchmaker.staff.forms.programs import ProgramForm
from matchmaker.staff.forms.registrations import DecisionForm
from matchmaker.staff.scope import check_office as _check_office
from matchmaker.staff.scope import office_event
from matchmaker.staff.scope import offices as _offices

__all__ = ["bp", "office_event", "_check_office", "_offices"]  # until every view imports them from their modules


@bp.get("/")
def index():
    office_ids = [o.id for o in _offices()]
    programs = db.session.scalars(
        select(Program).where(Program.office_id.in_(office_ids)).order_by(Program.start_date.desc())
    ).all()
    pending = db.session.scalar(
        select(func.count()).select_from(Participation).join(Event).join(Program)
        .where(Participation.status == ParticipationStatus.APPLIED, Program.office_id.in_(office_ids))
    )
    outbox_failed = db.session.scalar(  # the office's own, as its Outbox page lists them
        select(func.count()).select_from(
            outbox_service.visible(current_user).where(OutboxMessage.status == OutboxStatus.FAILED).subquery())
    )
    return render_template(
        "staff/index.html", programs=programs, pending=pending, outbox_failed=outbox_failed
    )


@bp.route("/programs/new", methods=["GET", "POST"])
def new_program():
    return _program_form(None)


@bp.route("/programs/<int:program_id>/edit", methods=["GET", "POST"])
def edit_program(program_id: int):
    program = get_or_404(Program, program_id)
    _check_office(program.office_id)
    return _program_form(program)


def _program_form(program: Program | None):
    form = ProgramForm(obj=program)
    form.office_id.choices = options((o.id, o.name) for o in _offices())
    if form.validate_on_submit():
        _check_office(form.office_id.data)
        program = event_service.save_program(
            current_user, program, **{k: getattr(form, k).data for k in event_service.PROGRAM_FIELDS}
        )
        db.session.commit()
        flash(_("The program is saved."), "success")
        return redirect(url_for("staff.program", program_id=program.id))
    return render_template("staff/program_form.html", form=form, program=program)


@bp.get("/programs/<int:program_id>")
def program(program_id: int):
    program = get_or_404(Program, program_id)
    _check_office(program.office_id)
    return render_template("staff/program.html", program=program, MODE_LABELS=MODE_LABELS)


@bp.route("/programs/<int:program_id>/events/new", methods=["GET", "POST"])
def new_event(program_id: int):
    program = get_or_404(Program, program_id)
    _check_office(program.office_id)
    return _event_form(program, None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: int):
    event = get_or_404(Event, event_id)
    _check_office(event.program.office_id)
    return _event_form(event.program, event)


def _event_form(program: Program, event: Event | None):
    form = EventForm(obj=event)
    if request.method == "GET":
        if event is None:
            form.timezone.data = program.office.timezone
            form.date.data = program.start_date
        else:
            form.mode.data = event.mode.value
            form.scheduling.data = event.scheduling.value
            form.breaks.data = ", ".join(f"{b['start']}-{b['end']}" for b in event.breaks or [])
            if event.request_deadline_dt:
                form.request_deadline.data = event.request_deadline_dt.astimezone(
                    _zone(event.timezone)
                ).replace(tzinfo=None)
    if form.validate_on_submit():
        deadline = form.request_deadline.data
        values = {
            "title": form.title.data.strip(),
            "description": form.description.data or None,
            "mode": EventMode(form.mode.data),
            "venue": form.venue.data or None,
            "online_url": form.online_url.data or None,
            "timezone": form.timezone.data,
            "date": form.date.data,
            "day_start": form.day_start.data,
            "day_end": form.day_end.data,
            "slot_minutes": form.slot_minutes.data,
            "breaks": parse_breaks(form.breaks.data),
            "tables": form.tables.data,
            "request_deadline_dt": _deadline_utc(deadline, form.timezone.data),
            "scheduling": SchedulingMode(form.scheduling.data),
            "max_open_requests": form.max_open_requests.data,
        }
        try:
            event = event_service.save_event(current_user, program, event, **values)
        except ServiceError as error:
            db.session.rollback()
            form.date.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The matchmaking day is saved."), "success")
            return redirect(url_for("staff.event", event_id=event.id))
    return render_template("staff/event_form.html", form=form, program=program, event=event)


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _deadline_utc(local: datetime | None, zone: str) -> datetime | None:
    return None if local is None else local_to_utc(local.date(), local.time(), zone)


@bp.get("/events/<int:event_id>")
def event(event_id: int):
    event = office_event(event_id)
    status = request.args.get("status")
    participations = [
        p for p in sorted(event.participations, key=lambda p: (p.status.value, p.organization.name))
        if not status or p.status.value == status
    ]
    return render_template(
        "staff/event.html", event=event, participations=participations, status=status,
        form=DecisionForm(), MODE_LABELS=MODE_LABELS, ParticipationStatus=ParticipationStatus,
    )


@bp.post("/participations/<int:participation_id>/decide")
def decide(participation_id: int):
    participation = get_or_404(Participation, participation_id)
    _check_office(participation.event.program.office_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        event_service.decide(current_user, participation, bool(form.approve.data), form.reason.data)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        recommendations.schedule_recompute([participation.event_id])
        flash(_("%(name)s: decision saved.", name=participation.organization.name), "success")
    return redirect(url_for("staff.event", event_id=participation.event_id))


@bp.route("/events/<int:event_id>/requests", methods=["GET", "POST"])
def event_requests(event_id: int):
    """Every request of the day, and staff's forced and forbidden pairs."""
    event = office_event(event_id)
    approved = [p.organization for p in event.participations if p.status == ParticipationStatus.APPROVED]
    form = PairRuleForm()
    form.company_id.choices = options(
        (o.id, o.display_name) for o in sorted(approved, key=lambda o: o.name) if o.kind == OrgKind.COMPANY
    )
    form.partner_id.choices = options(
        (o.id, o.display_name) for o in sorted(approved, key=lambda o: o.name) if o.kind != OrgKind.COMPANY
    )
    if form.validate_on_submit():
        company = db.session.get(Organization, form.company_id.data)
        partner = db.session.get(Organization, form.partner_id.data)
        try:
            meeting_service.set_pair_rule(
                current_user, event, company, partner, PairRuleKind(form.kind.data) if form.kind.data else None
            )
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            recommendations.schedule_recompute([event.id])
            flash(_("The rule is saved."), "success")
            return redirect(url_for("staff.event_requests", event_id=event.id))
    requests = db.session.scalars(
        select(MeetingRequest).where(MeetingRequest.event_id == event.id).order_by(MeetingRequest.created_dt)
    ).all()
    rules = db.session.scalars(select(PairRule).where(PairRule.event_id == event.id)).all()
    names = {o.id: o.display_name for o in approved}
    return render_template(
        "staff/event_requests.html", event=event, requests=requests, rules=rules, names=names, form=form,
    )
