"""/api/v1: The headquarters' figures (KPI of a program, an office or a year) and the outbox status (staff).

The figures are the reports page's (`services.reports.events_in_scope` and `report_for`, scoped by
`staff.scope.check_office` as the page is): the totals, each day's, the breakdowns and the months. The outbox is the
staff outbox page's (`services.outbox`): the messages of the token's office (all for admins), filtered as on the page,
a message's body with its sign-in links hidden; resending and discarding act once (the `seen` state, as the page's
buttons). Members get 403 everywhere here."""

from datetime import MAXYEAR, MINYEAR

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import case, func, select

from matchmaker.access import get_or_404
from matchmaker.api.auth import documented_errors, protect
from matchmaker.api.catalog import staff_only
from matchmaker.api.outcomes import done
from matchmaker.api.pages import paginate, since
from matchmaker.api.schemas_figures import (
    OutboxArgs,
    OutboxMessageDetailSchema,
    OutboxMessageSchema,
    OutboxSummarySchema,
    ScopeKpiSchema,
    SeenSchema,
)
from matchmaker.enums import OutboxStatus
from matchmaker.extensions import db
from matchmaker.models import Office, OutboxMessage, Program
from matchmaker.reports import Figures
from matchmaker.services import outbox, reports
from matchmaker.staff.scope import check_office

blp = Blueprint("api_figures", __name__, description=__doc__.split(": ", 1)[1].split("\n")[0])
protect(blp)  # a token on every call, rate limited per token
_errors = documented_errors(blp)

GROUPS = ("sector", "stage", "country", "partner_kind")  # the page's breakdowns besides the one by day


def _figures(kind: str, obj=None, year: int | None = None) -> dict:
    events = reports.events_in_scope(current_user, kind, obj, year)
    report = reports.report_for(events)
    by_event = report.by["event"]
    return {
        "scope": kind, "id": obj.id if obj is not None else None, "year": year, "total": report.total,
        "events": [{"event": e, "figures": by_event.get(str(e.id), Figures())} for e in events],
        "breakdowns": {dimension: [{"key": key or None, "figures": figures}
                                   for key, figures in report.by[dimension].items()] for dimension in GROUPS},
        "months": [{"month": month, "figures": figures} for month, figures in report.months.items()],
    }


@blp.get("/programs/<int:program_id>/kpi")
@blp.response(200, ScopeKpiSchema)
@_errors
def program_kpi(program_id: int):
    """A program's figures as on the reports page: totals, each day's, by group and by month."""
    staff_only()
    program = get_or_404(Program, program_id)
    check_office(program.office_id)
    return _figures("program", program)


@blp.get("/offices/<int:office_id>/kpi")
@blp.response(200, ScopeKpiSchema)
@_errors
def office_kpi(office_id: int):
    """An office's figures (all its programs' days) as on the reports page."""
    staff_only()
    office = get_or_404(Office, office_id)
    check_office(office.id)
    return _figures("office", office)


@blp.get("/kpi/<int:year>")
@blp.response(200, ScopeKpiSchema)
@_errors
def year_kpi(year: int):
    """A year's figures of the days of the token's office (every office for admins); zeros for a year without
    days."""
    staff_only()
    if not MINYEAR <= year <= MAXYEAR:
        abort(404)  # as the page: no day is dated then
    return _figures("year", None, year)


@blp.get("/outbox")
@blp.arguments(OutboxArgs, location="query", as_kwargs=False)
@blp.response(200, OutboxMessageSchema(many=True))
@_errors
def outbox_messages(args):
    """The e-mails of the token's office (all for admins), newest first, filtered as on the staff outbox page."""
    staff_only()
    filters = outbox.Filters(status=OutboxStatus(args["status"]) if "status" in args else None,
                             kind=args.get("kind"), q=(args.get("q") or "").strip(), event=args.get("event"))
    return paginate(since(outbox.listing(current_user, filters), OutboxMessage.updated_dt, args), args)


@blp.get("/outbox/summary")
@blp.response(200, OutboxSummarySchema)
@_errors
def outbox_summary():
    """How many of the office's e-mails are queued, sent, failed or discarded, per kind of message."""
    staff_only()
    shown = outbox.visible(current_user).subquery()
    counts = (func.sum(case((shown.c.status == s, 1), else_=0)).label(s.value) for s in OutboxStatus)
    rows = db.session.execute(select(shown.c.kind, *counts).group_by(shown.c.kind).order_by(shown.c.kind)).all()
    return {"failed": outbox.failed_count(current_user),
            "kinds": [{"kind": row.kind, **{s.value: int(getattr(row, s.value) or 0) for s in OutboxStatus}}
                      for row in rows]}


def _message(message_id: int) -> OutboxMessage:
    staff_only()
    message = outbox.get_visible(current_user, message_id)
    if message is None:
        abort(404)  # another office's message is not shown to exist
    return message


@blp.get("/outbox/<int:message_id>")
@blp.response(200, OutboxMessageDetailSchema)
@_errors
def outbox_message(message_id: int):
    """One e-mail with its text as staff read it (sign-in links hidden)."""
    return _message(message_id)


def _act(message_id: int, verb, seen: str):
    message = _message(message_id)
    done(lambda: verb(current_user, message, seen))
    return message


@blp.post("/outbox/<int:message_id>/resend")
@blp.arguments(SeenSchema)
@blp.response(200, OutboxMessageSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def outbox_resend(body, message_id: int):
    """Queue a sent, failed or discarded e-mail again, once: `seen` is its `state` as read; 409 when it changed."""
    return _act(message_id, outbox.resend, body["seen"])


@blp.post("/outbox/<int:message_id>/discard")
@blp.arguments(SeenSchema)
@blp.response(200, OutboxMessageSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def outbox_discard(body, message_id: int):
    """Give up on a queued or failed e-mail, once: `seen` is its `state` as read; 409 when it changed."""
    return _act(message_id, outbox.discard, body["seen"])
