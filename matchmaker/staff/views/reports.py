"""Outcomes and KPIs per event, program, office or year: the dashboard, its Excel export, and the button that
refits the recommender from the outcomes. The scope comes from the query string and is checked here; the tables
are built by `services.report_page` and `services.report_tables`, the workbook by `services.report_workbook`."""

from datetime import MAXYEAR, MINYEAR, date
from io import BytesIO

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_404
from matchmaker.models import Office, Program
from matchmaker.services import learning, recommender_model, report_page, report_tables
from matchmaker.services import reports as service
from matchmaker.services.report_workbook import XLSX, report_workbook
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.reports import RefitForm
from matchmaker.staff.scope import check_office, office_event
from matchmaker.web import perform


def _scope(offices: list[Office]):
    """(kind, object, year, events, heading) from the query string, checked against the viewer's offices. Without
    a scope, the report opens on the offices' latest day (`report_page.default_day`), or this year when none."""
    kind = request.args.get("scope")
    ident = request.args.get("id", type=int)
    year = request.args.get("year", type=int) or date.today().year
    if not kind:
        day = None if request.args.get("year") else report_page.default_day(offices, date.today())
        kind, ident = ("event", day.id) if day is not None else ("year", None)
    if kind not in service.SCOPES:
        abort(404)
    if not MINYEAR <= year <= MAXYEAR:  # no day is dated then; the database may not even take the number
        abort(404)
    obj = None
    if kind == "year":
        heading = _("Year %(year)s", year=year)
    elif ident is None:
        abort(404)
    elif kind == "event":
        obj = office_event(ident)
        heading = obj.title
    elif kind == "program":
        obj = get_or_404(Program, ident)
        check_office(obj.office_id)
        heading = obj.title
    else:
        obj = get_or_404(Office, ident)
        check_office(obj.id)
        heading = _("Office %(name)s", name=obj.name)
    events = service.events_in_scope(current_user, kind, obj, year, offices)
    return kind, obj, year, events, heading


@bp.get("/reports")
def reports():
    offices = service.visible_offices(current_user)
    kind, obj, year, events, heading = _scope(offices)
    tables = report_page.tables(kind, obj, events)
    return render_template(
        "staff/reports/dashboard.html", kind=kind, obj=obj, year=year, events=events, heading=heading,
        tables=tables, choices=report_page.scope_choices(offices, report_page.selected(kind, obj, year)),
        display=report_tables.displayer(),
        body_rows=report_tables.body_rows, refit_form=RefitForm(),
        model=report_page.learning_summary(recommender_model.stored()), export_args=_export_args(),
    )


def _export_args() -> dict:
    """The scope of the page, for its export link: only the scope's own keys, since url_for reads `_external`,
    `_scheme`, `_anchor` or `_method` from the query string as instructions."""
    return {key: value for key, value in request.args.items() if key in ("scope", "id", "year")}


@bp.get("/reports/export.xlsx")
def reports_export():
    kind, obj, year, events, heading = _scope(service.visible_offices(current_user))
    tables = report_page.tables(kind, obj, events)
    suffix = str(year) if kind == "year" else f"{kind}-{obj.id}"
    return send_file(
        BytesIO(report_workbook(tables, heading)), mimetype=XLSX, as_attachment=True,
        download_name=f"matchmaker-report-{suffix}.xlsx",
    )


@bp.post("/reports/refit")
def refit_recommender():
    # One model serves every office and learns from all of them: refitting it is an administrator's call.
    if not current_user.is_admin:
        abort(403)
    if not RefitForm().validate_on_submit():
        abort(400)
    perform(lambda: learning.start_refit(current_user),
            _("The recommender is being refitted from past outcomes in the background. Reload this page in a "
              "minute to see what it learned from."))
    return redirect(url_for("staff.reports"))
