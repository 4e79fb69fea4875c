"""Read-side queries that several areas share."""

from datetime import timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload, selectinload

from matchmaker.database import utcnow
from matchmaker.enums import MeetingStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingRequest, Office, Organization, Program, User


def upcoming_events() -> list[Event]:
    """Events from yesterday on (UTC date, so no day is hidden early in any zone), soonest first."""
    since = (utcnow() - timedelta(days=1)).date()
    return list(
        db.session.scalars(
            select(Event)
            .options(joinedload(Event.program).joinedload(Program.office))
            .where(Event.date >= since)
            .order_by(Event.date, Event.id)
        )
    )


def meeting_sides(people: bool = False):
    """Loader options for meetings whose both organizations will be read (`m.request.other_org(...)`);
    with `people`, each organization's users too (their zones name the other party's time)."""
    request = joinedload(Meeting.request)
    sides = request.joinedload(MeetingRequest.from_org), request.joinedload(MeetingRequest.to_org)
    if people:
        sides = tuple(side.selectinload(Organization.users) for side in sides)
    return sides


def request_sides():
    """Loader options for a list of requests whose both organizations will be read."""
    return selectinload(MeetingRequest.from_org), selectinload(MeetingRequest.to_org)


def published_meetings_of(organization_id: int) -> Select:
    """The organization's scheduled meetings of published days: what its agenda shows (unordered)."""
    return (
        select(Meeting)
        .join(MeetingRequest, Meeting.request_id == MeetingRequest.id)
        .join(Event, Meeting.event_id == Event.id)
        .where(
            or_(MeetingRequest.from_org_id == organization_id, MeetingRequest.to_org_id == organization_id),
            Event.published.is_(True),
            Meeting.status == MeetingStatus.SCHEDULED,
        )
    )


def office_scope(user: User) -> int | None:
    """The one office whose events a staff member manages; None for admins and office-less staff (all)."""
    return None if user.is_admin else user.office_id


def visible_offices(user: User) -> list[Office]:
    """The offices `user` manages (see `office_scope`), by name."""
    query = select(Office).order_by(Office.name)
    if office_scope(user) is not None:
        query = query.where(Office.id == office_scope(user))
    return list(db.session.scalars(query))
