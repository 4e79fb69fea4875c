"""Participants in bulk: upload a file, preview it with every row's problems (in the reader's language, by
`services.import_messages`), read a CSV file again in another encoding, import it or discard it. Excel exports of
a day are `exports`; the queue of registrations waiting for a decision is `registrations`."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchmaker.domain.profile_rows import COLUMNS
from matchmaker.enums import ImportStatus
from matchmaker.models import ImportBatch
from matchmaker.services import import_messages, imports
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.imports import EncodingForm, UploadForm
from matchmaker.staff.scope import office_batch, office_event
from matchmaker.web import perform


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
        previewed = perform(
            lambda: imports.preview_upload(current_user, event, upload.filename, upload.read(), form.encoding.data),
            error_field=form.file,
        )
        if previewed:
            return redirect(url_for("staff.import_batch", batch_id=previewed.value.id))
    batches = imports.recent_batches(event)
    return render_template(
        "staff/imports/upload.html", form=form, event=event, batches=batches,
        columns=[(key, import_messages.COLUMN_LABELS[key]) for key in COLUMNS],
    )


@bp.get("/imports/<int:batch_id>")
def import_batch(batch_id: int, encoding_form: EncodingForm | None = None):
    batch = office_batch(batch_id)
    preview = batch.status == ImportStatus.PREVIEW
    rows = imports.current_rows(batch) if preview else batch.rows
    if encoding_form is None:
        encoding_form = EncodingForm(encoding=batch.summary.get("chosen_encoding"), formdata=None)
    return render_template(
        "staff/imports/preview.html", batch=batch, rows=rows, describe=import_messages.describe,
        describe_change=import_messages.describe_change, describe_note=import_messages.describe_note,
        summary=import_messages.batch_summary(batch.summary, rows),
        ready=imports.ready(batch, rows), with_problems=sum(1 for row in rows if row["problems"]),
        event=imports.batch_event(batch),
        encoding_form=encoding_form, encoding_labels=import_messages.ENCODING_LABELS,
    )


@bp.post("/imports/<int:batch_id>/encoding")
def reread_import(batch_id: int):
    """Read the kept CSV file again in the encoding staff chose, without uploading it again."""
    batch = office_batch(batch_id)
    form = EncodingForm()
    if not form.validate_on_submit():
        return import_batch(batch_id, encoding_form=form)
    if not perform(lambda: imports.reread(current_user, batch, form.encoding.data)):
        return import_batch(batch_id, encoding_form=form)  # the page as it was, with the choice kept
    flash(_("The file was read again as %(encoding)s.",
            encoding=import_messages.ENCODING_LABELS[batch.summary["encoding"]]), "info")
    return redirect(url_for("staff.import_batch", batch_id=batch_id))


@bp.post("/imports/<int:batch_id>/confirm")
def confirm_import(batch_id: int):
    batch = office_batch(batch_id)
    imported = perform(lambda: imports.confirm_import(current_user, batch), lambda summary: ngettext(
        "%(num)d participant imported: %(summary)s.", "%(num)d participants imported: %(summary)s.",
        len(batch.rows), summary=import_messages.import_summary(summary)))
    if imported and imported.value["invitations"]:
        flash(ngettext("The new account got an invitation by e-mail.",
                       "Each of the %(num)d new accounts got an invitation by e-mail.",
                       imported.value["invitations"]), "info")
    return redirect(url_for("staff.import_batch", batch_id=batch_id))


@bp.post("/imports/<int:batch_id>/discard")
def discard_import(batch_id: int):
    batch = office_batch(batch_id)
    if not perform(lambda: imports.discard(current_user, batch)):
        return redirect(url_for("staff.import_batch", batch_id=batch_id))
    flash(_("The file is discarded; nothing was imported."), "info")
    return _after_batch(batch)
