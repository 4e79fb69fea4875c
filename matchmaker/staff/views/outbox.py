"""Staff's outbox: the messages of their office (all for admins), filtered and paginated, an Excel export,
each message with its error, and resend and discard that act once (rules in `services.outbox`)."""

import io

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.extensions import db
from matchmaker.i18n import viewer_zone
from matchmaker.services import outbox as service
from matchmaker.services.exports import XLSX_MIME
from matchmaker.services.mail import staff_view_of_body
from matchmaker.staff.blueprint import bp
from matchmaker.web import perform

PER_PAGE = 50


@bp.get("/outbox")
def outbox():
    filters = service.Filters.from_args(request.args)
    page = db.paginate(service.listing(current_user, filters), per_page=PER_PAGE, max_per_page=PER_PAGE,
                       error_out=False)
    return render_template("staff/outbox/list.html", page=page, filters=filters, kinds=service.kinds(current_user),
                           statuses=service.STATUS_LABELS, export_rows=service.EXPORT_ROWS)


@bp.get("/outbox/export.xlsx")
def outbox_export():
    filters = service.Filters.from_args(request.args)
    data = service.workbook(current_user, filters, viewer_zone())
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True, download_name="outbox.xlsx")


def _message(message_id: int):
    message = service.get_visible(current_user, message_id)
    if message is None:
        abort(404)  # another office's message is not shown to exist
    return message


@bp.get("/outbox/<int:message_id>")
def outbox_message(message_id: int):
    message = _message(message_id)
    return render_template("staff/outbox/message.html", message=message, body=staff_view_of_body(message),
                           state=service.state_token(message), statuses=service.STATUS_LABELS,
                           can_resend=message.status in service.RESENDABLE,
                           can_discard=message.status in service.DISCARDABLE)


def _act(message_id: int, verb, done: str):
    message = _message(message_id)
    perform(lambda: verb(current_user, message, request.form.get("seen", "")), done)
    return redirect(url_for("staff.outbox_message", message_id=message_id))


@bp.post("/outbox/<int:message_id>/resend")
def outbox_resend(message_id: int):
    return _act(message_id, service.resend, _("The message is queued again and goes out in a moment."))


@bp.post("/outbox/<int:message_id>/discard")
def outbox_discard(message_id: int):
    return _act(message_id, service.discard, _("The message is discarded: it will not be sent."))
