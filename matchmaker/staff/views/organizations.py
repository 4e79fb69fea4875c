"""Staff's list of organizations: their office's (admins: all), searched and filtered, 50 a page, exported
to Excel with the same filters; and one organization's page. Which organizations an office sees is
`services.organization_list`."""

import io

from flask import abort, render_template, request, send_file
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from matchmaker.enums import OrgKind
from matchmaker.extensions import db
from matchmaker.i18n import viewer_zone
from matchmaker.services import organization_list as service
from matchmaker.services.exports import XLSX_MIME
from matchmaker.services.list_exports import EXPORT_ROWS
from matchmaker.staff.blueprint import bp

PER_PAGE = 50
MAX_PAGE = 100_000  # past it the offset would not fit the database's integers
KIND_LABELS = {OrgKind.COMPANY: _l("Company"), OrgKind.INVESTOR: _l("Investor"), OrgKind.BUYER: _l("Buyer")}


def page_number() -> int:
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)


@bp.get("/organizations")
def organizations():
    filters = service.Filters.from_args(request.args)
    page = db.paginate(service.listing(current_user, filters), page=page_number(), per_page=PER_PAGE,
                       max_per_page=PER_PAGE, error_out=False)
    return render_template("staff/organizations/list.html", page=page, filters=filters, kinds=KIND_LABELS,
                           countries=service.countries(current_user), export_rows=EXPORT_ROWS)


@bp.get("/organizations/export.xlsx")
def organizations_export():
    filters = service.Filters.from_args(request.args)
    data = service.export(current_user, filters, viewer_zone(), KIND_LABELS)
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True, download_name="organizations.xlsx")


@bp.get("/organizations/<int:org_id>")
def organization(org_id: int):
    org = service.get_visible(current_user, org_id)
    if org is None:
        abort(404)  # another office's organization is not shown to exist
    return render_template("staff/organizations/organization.html", org=org)
