"""/api/v1 organizations (profiles), the meetings of an event and an event's KPI figures, scoped as the pages are:
staff see their office's organizations (`services.organization_list.visible`) and days (`staff.scope.check_office`),
admins everything; a member sees its own organization and its own published meetings (its agenda); the KPI figures
are the reports page's (`services.reports`), for staff only."""

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from matchmaker.access import get_or_404
from matchmaker.api.auth import documented_errors, protect
from matchmaker.api.catalog import staff_only
from matchmaker.api.pages import paginate, since
from matchmaker.api.schemas import KpiSchema, MeetingSchema, OrganizationSchema, PageArgs
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, Organization
from matchmaker.services import organization_list, reports
from matchmaker.services.queries import published_meetings_of
from matchmaker.staff.scope import check_office

blp = Blueprint("api_records", __name__, description="Organizations, meetings and the KPI figures of an event.")
protect(blp)  # a token on every call, rate limited per token
_errors = documented_errors(blp)


def _organizations():
    if current_user.is_staff:
        return organization_list.visible(current_user)
    return select(Organization).where(Organization.id == current_user.organization_id)


@blp.get("/organizations")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, OrganizationSchema(many=True))
@_errors
def organizations(args):
    """Staff: their office's organizations (admins: all); a member: its own."""
    query = since(_organizations(), Organization.updated_dt, args)
    return paginate(query.order_by(Organization.id), args)


@blp.get("/organizations/<int:org_id>")
@blp.response(200, OrganizationSchema)
@_errors
def organization(org_id: int):
    item = db.session.scalars(_organizations().where(Organization.id == org_id)).first()
    if item is None:
        abort(404)  # another office's or organization's: not shown to exist
    return item


def _event(event_id: int) -> Event:
    event = get_or_404(Event, event_id)
    if current_user.is_staff:
        check_office(event.program.office_id)
    return event


@blp.get("/events/<int:event_id>/meetings")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, MeetingSchema(many=True))
@_errors
def meetings(args, event_id: int):
    """Staff: every meeting of the day; a member: its own meetings once the day is published, a cancelled one
    with its status (so a calendar or CRM that syncs with updated_since learns of the cancellation)."""
    event = _event(event_id)
    if current_user.is_staff:
        query = select(Meeting).where(Meeting.event_id == event.id)
    else:
        query = published_meetings_of(current_user.organization_id, scheduled_only=False).where(
            Meeting.event_id == event.id)
    query = since(query.options(joinedload(Meeting.request)), Meeting.updated_dt, args)
    return paginate(query.order_by(Meeting.start_dt, Meeting.id), args)


@blp.get("/events/<int:event_id>/kpi")
@blp.response(200, KpiSchema)
@_errors
def kpi(event_id: int):
    """The event's figures as on the reports page: requests, acceptance, meetings held, no-shows, satisfaction…"""
    staff_only()
    event = _event(event_id)
    report = reports.report_for(reports.events_in_scope(current_user, "event", event))
    return {"event_id": event.id, "total": report.total}
