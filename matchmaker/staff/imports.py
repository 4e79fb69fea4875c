"""Participants in bulk: upload, preview with every row's problems, import or discard; Excel exports of a day;
the queue of registrations waiting for a decision."""

import io
from functools import cache

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from matchmaker.access import get_or_404
from matchmaker.domain.profile_rows import COLUMNS, MAX_LENGTH
from matchmaker.enums import ImportStatus, ParticipationStatus
from matchmaker.extensions import db
from matchmaker.i18n import viewer_zone
from matchmaker.models import Event, ImportBatch, Organization, Participation, Program
from matchmaker.services import ServiceError, exports, imports, recommendations
from matchmaker.services import events as event_service
from matchmaker.services.queries import office_scope
from matchmaker.staff.forms.imports import EncodingForm, UploadForm
from matchmaker.staff.forms.registrations import DecisionForm
from matchmaker.staff.routes import _check_office, bp, office_event

PROBLEMS = {
    "required": _l("Required"),
    "bad_value": _l("Expected a single value: %(value)s"),
    "too_long": _l("Too long: at most %(max)d characters"),
    "bad_kind": _l("Not company, investor or buyer: %(value)s"),
    "bad_email": _l("Not a valid e-mail address"),
    "unknown_locale": _l("Not a language of Matchmaker: %(value)s"),
    "bad_country": _l("Not a two-letter country code: %(value)s"),
    "unknown_sector": _l("Unknown sector: %(value)s"),
    "bad_weight": _l("Not a sector with a positive weight: %(value)s"),
    "unknown_stage": _l("Unknown stage: %(value)s"),
    "unknown_market": _l("Not a two-letter country code: %(value)s"),
    "unknown_language": _l("Unknown language code: %(value)s"),
    "unknown_timezone": _l("Unknown time zone: %(value)s"),
    "bad_url": _l("Not a web address starting with http:// or https://: %(value)s"),
    "bad_number": _l("Not a whole number: %(value)s"),
    "negative": _l("Must not be negative: %(value)s"),
    "ticket_range": _l("Below the lower end of the ticket size: %(value)s"),
    "bad_portfolio": _l("Not a JSON list of deals: %(value)s"),
    "bad_json": _l("Not a JSON object"),
    "duplicate": _l("Duplicate of line %(line)d"),
    "email_taken": _l("An account with this e-mail already exists"),
    "id_taken": _l("An organization with this external ID already exists"),
    "staff_email": _l("Belongs to a staff account"),
    "kind_mismatch": _l("Matches an existing organization of another kind: %(value)s"),
    "id_email_conflict": _l("The external ID and the e-mail belong to two different organizations"),
    "not_a_member": _l("Not an account of the organization with this external ID"),
    "id_differs": _l("The account of this e-mail belongs to the organization with external ID %(value)s"),
    "same_organization": _l("The same organization as line %(line)d"),
    "ticket_range_after": _l("Below the lower end of the ticket size stored for this organization: %(value)s"),
}
NOTES = {
    "participation_applied": _l("Its application to this day waits for a decision; the import leaves it so."),
    "participation_rejected": _l("Rejected for this day; the import does not change that."),
    "participation_withdrawn": _l("Withdrawn from this day; the import does not change that."),
    "account_kept": _l("Contact person and language of e-mails are the member's own settings; the import "
                       "does not change them."),
}
EXPORTS = {
    "participants": exports.participants_workbook,
    "requests": lambda event: exports.requests_workbook(event, viewer_zone()),
    "schedule": lambda event: exports.schedule_workbook(event, viewer_zone()),
}


def describe(problem: dict) -> str:
    """One problem in the reader's language, after the column it concerns."""
    params = {"value": problem.get("value"), "line": problem.get("value"), "max": MAX_LENGTH.get(problem["field"])}
    message = str(PROBLEMS.get(problem["code"], problem["code"])) % params
    label = imports.COLUMN_LABELS.get(problem["field"])
    return f"{label}: {message}" if label else message


def import_summary(summary: dict) -> str:
    return _("%(new)d new, %(updated)d updated, %(unchanged)d unchanged", new=summary.get("new", 0),
             updated=summary.get("updated", 0), unchanged=summary.get("unchanged", 0))


def _shown(field: str, value) -> str:
    """A value of a change as the preview shows it: lists joined, long text cut."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if field == "sectors":
        value = [code if weight == 1 else f"{code}:{weight:g}" for code, weight in value.items()]
    if field == "portfolio":
        return ngettext("%(num)d deal", "%(num)d deals", len(value))
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    if isinstance(value, int):
        return format_decimal(value)
    value = " ".join(str(value).split())
    return value if len(value) <= 60 else value[:59] + "…"


def describe_change(change: dict) -> str:
    """One change of a row: "Sectors: ai → ai, cloud"."""
    field = change["field"]
    return f"{imports.COLUMN_LABELS[field]}: {_shown(field, change['old'])} → {_shown(field, change['new'])}"


def describe_note(note: dict) -> str:
    return str(NOTES.get(note["code"], note["code"]))


@bp.app_context_processor
def _registrations_waiting():
    return {"registrations_waiting": _waiting_count}


def _waiting_count() -> int:
    """The menu's count of `_applications()`, on every staff page."""
    office_id = office_scope(current_user)
    if office_id is None:
        return db.session.scalar(_waiting_query(False))
    return db.session.scalar(_waiting_query(True), {"office_id": office_id})


@cache
def _waiting_query(one_office: bool):
    """Built once (per kind): building the select costs about as much CPU as running it."""
    query = (select(func.count()).select_from(Participation).join(Event).join(Program)
             .where(Participation.status == ParticipationStatus.APPLIED))
    return query.where(Program.office_id == bindparam("office_id")) if one_office else query


def _batch(batch_id: int) -> ImportBatch:
    batch = get_or_404(ImportBatch, batch_id)
    if batch.event_id is not None:
        office_event(batch.event_id)
    else:
        _check_office(batch.office_id)
    return batch


def _after_batch(batch: ImportBatch):
    if batch.event_id is None:
        return redirect(url_for("staff.index"))
    return redirect(url_for("staff.import_participants", event_id=batch.event_id))


@bp.route("/events/<int:event_id>/import", methods=["GET", "POST"])
def import_participants(event_id: int):
    event = office_event(event_id)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            batch = imports.preview_upload(current_user, event, upload.filename, upload.read(),
                                           form.encoding.data)
        except ServiceError as error:
            db.session.rollback()
            form.file.errors.append(str(error))
        else:
            db.session.commit()
            return redirect(url_for("staff.import_batch", batch_id=batch.id))
    batches = db.session.scalars(
        select(ImportBatch).where(ImportBatch.event_id == event.id).order_by(ImportBatch.id.desc()).limit(10)
    ).all()
    return render_template(
        "staff/imports/upload.html", form=form, event=event, batches=batches,
        columns=[(key, imports.COLUMN_LABELS[key]) for key in COLUMNS],
    )


@bp.get("/imports/<int:batch_id>")
def import_batch(batch_id: int, encoding_form: EncodingForm | None = None):
    batch = _batch(batch_id)
    preview = batch.status == ImportStatus.PREVIEW
    rows = imports.current_rows(batch) if preview else batch.rows
    if encoding_form is None:
        encoding_form = EncodingForm(encoding=batch.summary.get("chosen_encoding"), formdata=None)
    return render_template(
        "staff/imports/preview.html", batch=batch, rows=rows, describe=describe, describe_change=describe_change,
        describe_note=describe_note,
        summary=import_summary(batch.summary if "new" in batch.summary else _counts(rows)),
        ready=imports.ready(batch, rows), with_problems=sum(1 for row in rows if row["problems"]),
        event=db.session.get(Event, batch.event_id) if batch.event_id else None,
        encoding_form=encoding_form, encoding_labels=imports.ENCODING_LABELS,
    )


@bp.post("/imports/<int:batch_id>/encoding")
def reread_import(batch_id: int):
    """Read the kept CSV file again in the encoding staff chose, without uploading it again."""
    batch = _batch(batch_id)
    form = EncodingForm()
    if not form.validate_on_submit():
        return import_batch(batch_id, encoding_form=form)
    try:
        imports.reread(current_user, batch, form.encoding.data)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return import_batch(batch_id, encoding_form=form)  # the page as it was, with the choice kept
    db.session.commit()
    flash(_("The file was read again as %(encoding)s.",
            encoding=imports.ENCODING_LABELS[batch.summary["encoding"]]), "info")
    return redirect(url_for("staff.import_batch", batch_id=batch_id))


def _counts(rows: list[dict]) -> dict:
    statuses = [row.get("status") for row in rows]
    return {key: statuses.count(status) for key, status in (("new", "new"), ("updated", "update"),
                                                            ("unchanged", "unchanged"))}


@bp.post("/imports/<int:batch_id>/confirm")
def confirm_import(batch_id: int):
    batch = _batch(batch_id)
    try:
        summary = imports.confirm_import(current_user, batch)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        recommendations.schedule_recompute(imports.events_to_recompute(batch))
        flash(ngettext("%(num)d participant imported: %(summary)s.", "%(num)d participants imported: %(summary)s.",
                       len(batch.rows), summary=import_summary(summary)), "success")
        if summary["invitations"]:
            flash(ngettext("The new account got an invitation by e-mail.",
                           "Each of the %(num)d new accounts got an invitation by e-mail.",
                           summary["invitations"]), "info")
    return redirect(url_for("staff.import_batch", batch_id=batch_id))


@bp.post("/imports/<int:batch_id>/discard")
def discard_import(batch_id: int):
    batch = _batch(batch_id)
    try:
        imports.discard(current_user, batch)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("staff.import_batch", batch_id=batch_id))
    db.session.commit()
    flash(_("The file is discarded; nothing was imported."), "info")
    return _after_batch(batch)


def _xlsx(data: bytes, name: str):
    return send_file(io.BytesIO(data), mimetype=exports.XLSX_MIME, as_attachment=True, download_name=name)


@bp.get("/events/<int:event_id>/import/template.xlsx")
def import_template(event_id: int):
    office_event(event_id)
    return _xlsx(exports.template_workbook(), "participants-template.xlsx")


def _export(event_id: int, what: str):
    event = office_event(event_id)
    return _xlsx(EXPORTS[what](event), f"{event.date.isoformat()}-event-{event.id}-{what}.xlsx")


@bp.get("/events/<int:event_id>/export/participants.xlsx")
def export_participants(event_id: int):
    return _export(event_id, "participants")


@bp.get("/events/<int:event_id>/export/requests.xlsx")
def export_requests(event_id: int):
    return _export(event_id, "requests")


@bp.get("/events/<int:event_id>/export/schedule.xlsx")
def export_schedule(event_id: int):
    return _export(event_id, "schedule")


# --- registration review ----------------------------------------------------------------------

def _applications():
    """Applications waiting for a decision in the current staff member's office (office-less: all)."""
    query = (
        select(Participation).join(Event).join(Program)
        .where(Participation.status == ParticipationStatus.APPLIED)
        .order_by(Participation.applied_dt, Participation.id)
    )
    if office_scope(current_user) is not None:
        query = query.where(Program.office_id == office_scope(current_user))
    return query


def _reviews_page(failed: tuple[int, DecisionForm] | None = None):
    applications = db.session.scalars(
        _applications().options(selectinload(Participation.organization).selectinload(Organization.users),
                               selectinload(Participation.event))
    ).all()
    return render_template("staff/reviews.html", applications=applications, failed=failed, blank=DecisionForm())


@bp.get("/reviews")
def reviews():
    return _reviews_page()


@bp.post("/reviews/<int:participation_id>")
def review(participation_id: int):
    participation = get_or_404(Participation, participation_id)
    _check_office(participation.event.program.office_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    name = participation.organization.name
    if participation.status != ParticipationStatus.APPLIED:
        flash(_("%(name)s: the application was decided already.", name=name), "info")
        return redirect(url_for("staff.reviews"))
    try:
        event_service.decide(current_user, participation, bool(form.approve.data), form.reason.data)
    except ServiceError as error:
        db.session.rollback()
        form.reason.errors = [str(error)]
        return _reviews_page(failed=(participation_id, form))
    db.session.commit()
    recommendations.schedule_recompute([participation.event_id])
    flash(_("%(name)s: decision saved; the applicant is told by e-mail.", name=name), "success")
    return redirect(url_for("staff.reviews"))
