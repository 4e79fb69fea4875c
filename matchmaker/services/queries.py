"""Read-side queries that several areas share, and the lists the member and admin pages show. Reads only: nothing
here changes state."""

from datetime import timedelta
from functools import cache

from sqlalchemy import ColumnElement, Select, bindparam, or_, select, union
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from matchmaker.database import utcnow
from matchmaker.enums import MeetingStatus, OrgKind, ParticipationStatus, Role
from matchmaker.extensions import db
from matchmaker.models import (
    AuditLog,
    Event,
    ImportBatch,
    Meeting,
    MeetingRequest,
    Office,
    Organization,
    Participation,
    Program,
    User,
)
from matchmaker.services.consents import provision_given


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


def published_meetings_of(organization_id: int, scheduled_only: bool = True) -> Select:
    """The organization's scheduled meetings of published days: what its agenda shows (unordered). With
    `scheduled_only=False` also the cancelled ones, which its meeting pages still show (as cancelled)."""
    query = (
        select(Meeting)
        .join(MeetingRequest, Meeting.request_id == MeetingRequest.id)
        .join(Event, Meeting.event_id == Event.id)
        .where(
            or_(MeetingRequest.from_org_id == organization_id, MeetingRequest.to_org_id == organization_id),
            Event.published.is_(True),
        )
    )
    return query.where(Meeting.status == MeetingStatus.SCHEDULED) if scheduled_only else query


def agenda_meetings(organization_id: int) -> list[Meeting]:
    """The member's agenda: `published_meetings_of` the organization, with both sides, their people and the day,
    the soonest first."""
    return list(db.session.scalars(_agenda_query(), {"organization_id": organization_id}))


@cache
def _agenda_query():
    """Built once, with the organization as a parameter: building the select and its loader options costs more
    CPU than running it."""
    return (
        published_meetings_of(bindparam("organization_id"))
        .options(*meeting_sides(people=True), contains_eager(Meeting.event))
        .order_by(Meeting.start_dt, Meeting.id)
    )


def member_participation(event_id: int, organization_id: int) -> Participation | None:
    """The organization's participation in the day, whatever its status (None when it never applied)."""
    return db.session.scalars(_participation_query(), {"event_id": event_id, "org_id": organization_id}).first()


@cache
def _participation_query():
    """`member_participation`, built once: every page of a member's day asks it."""
    return select(Participation).where(Participation.event_id == bindparam("event_id"),
                                       Participation.organization_id == bindparam("org_id"))


def approved_participations_of(organization_id: int) -> list[Participation]:
    """The organization's approved participations, with their days (unordered)."""
    return list(db.session.scalars(_approved_query(), {"organization_id": organization_id}))


@cache
def _approved_query():
    """`approved_participations_of`, with the days (one query, not one per day), built once."""
    return (
        select(Participation).where(Participation.organization_id == bindparam("organization_id"),
                                    Participation.status == ParticipationStatus.APPROVED)
        .options(joinedload(Participation.event))
    )


def counterparts_of(event_id: int, organization: Organization) -> list[Organization]:
    """The approved organizations of the day on the other side from `organization` (investors and buyers for a
    company, companies for the others), by name; only those shown to partners (`consents.provision_given`)."""
    other_side = [OrgKind.INVESTOR, OrgKind.BUYER] if organization.kind == OrgKind.COMPANY else [OrgKind.COMPANY]
    return list(db.session.scalars(
        select(Organization).join(Participation).where(
            Participation.event_id == event_id,
            Participation.status == ParticipationStatus.APPROVED,
            Organization.kind.in_(other_side),
            provision_given(Organization.id),
        ).order_by(Organization.name)
    ))


def calendar_feed_user(token: str) -> User | None:
    """The user whose personal calendar feed this secret token opens (no token shorter than 20 characters is
    looked for); None when no user has it."""
    if len(token) < 20:
        return None
    return db.session.scalar(select(User).where(User.calendar_token == token))


def office_scope(user: User) -> int | None:
    """The one office whose events a staff member manages; None for admins and office-less staff (all)."""
    return None if user.is_admin else user.office_id


def visible_offices(user: User) -> list[Office]:
    """The offices `user` manages (see `office_scope`), by name."""
    if office_scope(user) is not None:
        return [user.office]  # their own (the signed-in user is read with it: no query)
    return all_offices()


def all_offices() -> list[Office]:
    """Every office of the agency, by name."""
    return list(db.session.scalars(select(Office).order_by(Office.name)))


def staff_accounts() -> list[User]:
    """The staff and admin accounts, by name."""
    return list(db.session.scalars(select(User).where(User.role.in_([Role.STAFF, Role.ADMIN])).order_by(User.name)))


def participations_of(organization_id: int) -> list[Participation]:
    """The organization's applications to days, whatever became of them, the latest day first."""
    return list(db.session.scalars(
        select(Participation).join(Event).where(Participation.organization_id == organization_id)
        .order_by(Event.date.desc())
    ))


def latest_requests_of(organization_id: int, limit: int) -> list[MeetingRequest]:
    """The organization's most recent meeting requests, sent or received, the newest first."""
    return list(db.session.scalars(
        select(MeetingRequest)
        .where((MeetingRequest.from_org_id == organization_id) | (MeetingRequest.to_org_id == organization_id))
        .order_by(MeetingRequest.created_dt.desc()).limit(limit)
    ))


def coming_meetings_of(organization_id: int, limit: int) -> list[Meeting]:
    """The organization's meetings of published days that have not ended yet, the soonest first."""
    return list(db.session.scalars(
        select(Meeting).join(MeetingRequest).join(Event, Meeting.event_id == Event.id)
        .where(
            (MeetingRequest.from_org_id == organization_id) | (MeetingRequest.to_org_id == organization_id),
            Event.published.is_(True),
            Meeting.end_dt >= utcnow(),
        )
        .order_by(Meeting.start_dt).limit(limit)
    ))


def office_organization_ids(office_id: int) -> Select:
    """Ids of the organizations an office works with: those that applied to a day of one of its programs
    (whatever became of the application), and those an import of the office created or updated (imported
    for no particular day). Organizations that only registered belong to no office yet."""
    applied = (
        select(Participation.organization_id).join(Event, Participation.event_id == Event.id)
        .join(Program, Event.program_id == Program.id).where(Program.office_id == office_id)
    )
    batch_id = AuditLog.details["batch_id"].as_integer()
    office_batches = select(ImportBatch.id).where(ImportBatch.office_id == office_id)
    imported = select(AuditLog.details["organization_id"].as_integer()).where(
        AuditLog.action == "import_member", batch_id.in_(office_batches)
    )
    updated = select(AuditLog.object_id).where(
        AuditLog.action == "import_update", AuditLog.object_type == "Organization", batch_id.in_(office_batches)
    )
    return select(union(applied, imported, updated).subquery().c[0])


def contains(column, term: str) -> ColumnElement[bool]:
    """`column` contains `term` as typed, case-insensitively: % and _ are letters here, not wildcards."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")
