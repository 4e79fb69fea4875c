"""/api/v1 offices, programs and events (with their slots and tables): a staff token sees its office's, an admin's
every office's (`services.queries.visible_offices`, `staff.scope.check_office`, as the staff pages); a member's
token sees the events the public events pages list, and no office or program list (the app shows members none)."""

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from matchmaker.access import get_or_404
from matchmaker.api.auth import documented_errors, protect
from matchmaker.api.pages import paginate, since
from matchmaker.api.schemas import EventSchema, OfficeSchema, PageArgs, ProgramSchema
from matchmaker.models import Event, Office, Program
from matchmaker.services.queries import office_scope
from matchmaker.staff.scope import check_office

blp = Blueprint("api_catalog", __name__, description="Offices, programs and events (days with slots and tables).")

protect(blp)  # a token on every call, rate limited per token
_errors = documented_errors(blp)


def staff_only() -> None:
    if not current_user.is_staff:
        abort(403)


def _office_filter(query, column):
    office_id = office_scope(current_user)
    return query if office_id is None else query.where(column == office_id)


@blp.get("/offices")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, OfficeSchema(many=True))
@_errors
def offices(args):
    """The offices the token's owner manages (staff: their own; admins: all)."""
    staff_only()
    query = _office_filter(select(Office), Office.id)
    return paginate(since(query, Office.updated_dt, args).order_by(Office.id), args)


@blp.get("/offices/<int:office_id>")
@blp.response(200, OfficeSchema)
@_errors
def office(office_id: int):
    staff_only()
    item = get_or_404(Office, office_id)
    check_office(item.id)
    return item


@blp.get("/programs")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, ProgramSchema(many=True))
@_errors
def programs(args):
    """The programs of the offices the token's owner manages."""
    staff_only()
    query = _office_filter(select(Program), Program.office_id)
    return paginate(since(query, Program.updated_dt, args).order_by(Program.id), args)


@blp.get("/programs/<int:program_id>")
@blp.response(200, ProgramSchema)
@_errors
def program(program_id: int):
    staff_only()
    item = get_or_404(Program, program_id)
    check_office(item.office_id)
    return item


@blp.get("/events")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, EventSchema(many=True))
@_errors
def events(args):
    """Staff: their offices' days; members: every day, as the public events pages show."""
    query = select(Event)
    if current_user.is_staff:
        query = _office_filter(query.join(Program, Event.program_id == Program.id), Program.office_id)
    return paginate(since(query, Event.updated_dt, args).order_by(Event.date, Event.id), args)


@blp.get("/events/<int:event_id>")
@blp.response(200, EventSchema)
@_errors
def event(event_id: int):
    item = get_or_404(Event, event_id)
    if current_user.is_staff:
        check_office(item.program.office_id)
    return item
