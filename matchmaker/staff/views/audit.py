"""Staff's audit log: their office's entries (admins: all), filtered by text, person, action, kind of object and
dates, 50 a page, exported to Excel with the same filters. Which entries an office sees is
`services.audit_log`."""

import io

from flask import render_template, request, send_file
from flask_login import current_user

from matchmaker.extensions import db
from matchmaker.i18n import viewer_zone
from matchmaker.services import audit_log as service
from matchmaker.services.exports import XLSX_MIME
from matchmaker.services.list_exports import EXPORT_ROWS
from matchmaker.staff.blueprint import bp
from matchmaker.staff.views.organizations import PER_PAGE, page_number


@bp.get("/audit")
def audit_log():
    filters = service.Filters.from_args(request.args)
    zone = viewer_zone()
    page = db.paginate(service.listing(current_user, filters, zone), page=page_number(), per_page=PER_PAGE,
                       max_per_page=PER_PAGE, error_out=False)
    actions, kinds = service.choices(current_user)
    return render_template("staff/audit/list.html", page=page, filters=filters, actions=actions, kinds=kinds,
                           zone=zone, export_rows=EXPORT_ROWS)


@bp.get("/audit/export.xlsx")
def audit_export():
    filters = service.Filters.from_args(request.args)
    data = service.export(current_user, filters, viewer_zone())
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True, download_name="audit-log.xlsx")
