"""Outcomes and KPIs per event, program, office or year: the dashboard, its Excel export, and the button that
refits the recommender from the outcomes."""

import re
from datetime import MAXYEAR, MINYEAR, date
from functools import cache
from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from matchmaker.access import get_or_404
from matchmaker.extensions import db
from matchmaker.jobs import enqueue
from matchmaker.models import Office, Program
from matchmaker.services import learning
from matchmaker.services import reports as service
from matchmaker.services.exports import append_row
from matchmaker.staff import report_tables
from matchmaker.staff.routes import _check_office, bp, office_event

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {"count": "#,##0", "percent": "0.0%", "usd": '"$"#,##0', "rating": "0.00"}


class RefitForm(FlaskForm):
    """Only the CSRF token: the button posts nothing else."""


def _scope(offices: list[Office]):
    """(kind, object, year, events, heading) from the query string, checked against the viewer's offices."""
    kind = request.args.get("scope") or "year"
    if kind not in service.SCOPES:
        abort(404)
    ident = request.args.get("id", type=int)
    year = request.args.get("year", type=int) or date.today().year
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
        _check_office(obj.office_id)
        heading = obj.title
    else:
        obj = get_or_404(Office, ident)
        _check_office(obj.id)
        heading = _("Office %(name)s", name=obj.name)
    events = service.events_in_scope(current_user, kind, obj, year, offices)
    return kind, obj, year, events, heading


def _tables(kind: str, obj, events: list) -> list[report_tables.Table]:
    loaded = service.load(events)  # read once for the figures and the day's table of meetings
    lines = service.meeting_lines(obj, loaded) if kind == "event" else None
    return report_tables.build(service.report_for(events, loaded=loaded), events, lines)


@cache
def _programs_query():
    """The offices' programs, each with its days (one query), built once: the scope picker is on every report."""
    return (
        select(Program).where(Program.office_id.in_(bindparam("office_ids", expanding=True)))
        .options(joinedload(Program.events)).order_by(Program.start_date.desc())
    )


def _choices(offices: list[Office]):
    programs = db.session.scalars(_programs_query(), {"office_ids": [o.id for o in offices]}).unique().all()
    events = [e for p in programs for e in p.events]
    events.sort(key=lambda e: e.date, reverse=True)
    # The years of the offices' days are those of these events (service.years would read them again).
    return {"offices": offices, "programs": programs, "events": events,
            "years": service.years_of(e.date for e in events)}


@bp.get("/reports")
def reports():
    offices = service.visible_offices(current_user)
    kind, obj, year, events, heading = _scope(offices)
    tables = _tables(kind, obj, events)
    return render_template(
        "reports/dashboard.html", kind=kind, obj=obj, year=year, events=events, heading=heading,
        tables=tables, choices=_choices(offices), display=report_tables.displayer(),
        body_rows=report_tables.body_rows, refit_form=RefitForm(),
        model=report_tables.learning_summary(learning.stored()), export_args=_export_args(),
    )


def _export_args() -> dict:
    """The scope of the page, for its export link: only the scope's own keys, since url_for reads `_external`,
    `_scheme`, `_anchor` or `_method` from the query string as instructions."""
    return {key: value for key, value in request.args.items() if key in ("scope", "id", "year")}


def _sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Sheet"
    base, n = name, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def workbook(tables: list[report_tables.Table], heading: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, used))
        append_row(sheet, [heading])
        sheet["A1"].font = Font(bold=True)
        append_row(sheet, table.columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            append_row(sheet, [c.value for c in row])
            for cell, source in zip(sheet[sheet.max_row], row, strict=True):
                if source.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[source.kind]
        for index, column in enumerate(table.columns, start=1):
            width = max([len(str(column))] + [len(str(r[index - 1].value or "")) for r in table.rows])
            sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = min(max(width, 10) + 2, 60)
        sheet.freeze_panes = "A3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@bp.get("/reports/export.xlsx")
def reports_export():
    kind, obj, year, events, heading = _scope(service.visible_offices(current_user))
    tables = _tables(kind, obj, events)
    suffix = str(year) if kind == "year" else f"{kind}-{obj.id}"
    return send_file(
        BytesIO(workbook(tables, heading)), mimetype=XLSX, as_attachment=True,
        download_name=f"matchmaker-report-{suffix}.xlsx",
    )


@bp.post("/reports/refit")
def refit_recommender():
    # One model serves every office and learns from all of them: refitting it is an administrator's call.
    if not current_user.is_admin:
        abort(403)
    if not RefitForm().validate_on_submit():
        abort(400)
    enqueue("matchmaker.services.learning:refit_job", current_user.id)
    flash(_("The recommender is being refitted from past outcomes in the background. Reload this page in a "
            "minute to see what it learned from."), "success")
    return redirect(url_for("staff.reports"))
