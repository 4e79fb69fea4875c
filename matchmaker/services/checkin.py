"""Check-in on the day: the signed code on each participant's agenda, and staff checking people in."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from matchmaker.access import get_or_none
from matchmaker.database import utcnow
from matchmaker.domain import people_search
from matchmaker.enums import Attendance, MeetingStatus, ParticipationStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingSeat, Organization, Participation, User
from matchmaker.services import ServiceError, audit
from matchmaker.services.mail import external_url
from matchmaker.services.queries import meeting_sides


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="matchmaker.checkin")


def checkin_token(participation: Participation) -> str:
    """A code naming one organization at one event. It carries no date: it stays good until the day after
    the event, whenever staff move the event (see `read_checkin_token`)."""
    return _serializer().dumps({"p": participation.id, "o": participation.organization_id})


def token_valid_until(event: Event) -> date:
    """The last local day on which the event's codes are accepted: the day after the event."""
    return event.date + timedelta(days=1)


def read_checkin_token(token: str, now: datetime | None = None) -> Participation | None:
    """The participation a code names, or None when it is forged, altered, unknown or past its day."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    participation = get_or_none(Participation, data.get("p"))
    if participation is None or participation.organization_id != data.get("o"):
        return None
    event = participation.event
    today = (now or utcnow()).astimezone(ZoneInfo(event.timezone)).date()
    if today > token_valid_until(event):
        return None
    return participation


def checkin_url(participation: Participation) -> str:
    """What the QR code on the agenda holds: a link any phone camera opens."""
    return external_url("meetings.checkin_pass", token=checkin_token(participation))


def check_in(actor: User, participation: Participation, now: datetime | None = None) -> bool:
    """Mark the organization as arrived. Returns False when it was checked in already (nothing changes).
    Someone marked absent who turns up after all is checked in; their cancelled meetings stay cancelled."""
    if participation.status != ParticipationStatus.APPROVED:
        raise ServiceError(gettext("Only approved participants can be checked in."))
    if participation.attendance == Attendance.CHECKED_IN:
        return False
    previous = participation.attendance
    participation.attendance = Attendance.CHECKED_IN
    participation.checked_in_dt = now or utcnow()
    participation.checked_in_by_id = actor.id
    audit.record(actor, "check_in", participation, previous=previous.value)
    return True


def participations_in(event: Event, ids: set[int]) -> list[Participation]:
    """The participations of `ids` that belong to `event`, in id order."""
    if not ids:
        return []
    return list(db.session.scalars(select(Participation).where(
        Participation.event_id == event.id, Participation.id.in_(ids)).order_by(Participation.id)))


def check_in_many(actor: User, participations: list[Participation], now: datetime | None = None) -> int:
    """Check in every one of `participations` (ticked at the desk), all or none: one that is not an approved
    participant refuses them all, named. Returns how many were checked in now (those already in are left)."""
    refused = [p for p in participations if p.status != ParticipationStatus.APPROVED]
    if refused:
        raise ServiceError(gettext("Nobody was checked in: %(names)s is not an approved participant.",
                                   names=", ".join(p.organization.display_name for p in refused)))
    now = now or utcnow()
    return sum(check_in(actor, p, now) for p in participations)


def search_participants(event: Event, term: str | None) -> list[Participation]:
    """Approved participants found by `term` in any of their names, in either script, ignoring case, spaces and
    hyphens (see domain.people_search). Compared in Python: the romanization of a Korean name not given in Latin
    letters is computed here, and a day has hundreds of participants, not more."""
    query = (
        select(Participation).join(Organization, Participation.organization_id == Organization.id)
        .where(Participation.event_id == event.id, Participation.status == ParticipationStatus.APPROVED)
        .options(contains_eager(Participation.organization).selectinload(Organization.users))
        .order_by(Organization.name, Participation.id)
    )
    return [participation for participation in db.session.scalars(query)
            if people_search.matches(term, _names(participation.organization))]


def _names(organization: Organization) -> list[str | None]:
    names = [organization.name, organization.name_latin]  # a company's name is not romanized like a person's
    for user in organization.users:
        names += people_search.searchable_names(user.name, user.name_latin)
    return names


def meetings_of(event: Event, organization_id: int) -> list[Meeting]:
    """The organization's scheduled meetings at the event, in time order."""
    return list(db.session.scalars(
        select(Meeting).join(MeetingSeat, MeetingSeat.meeting_id == Meeting.id)
        .where(Meeting.event_id == event.id, MeetingSeat.organization_id == organization_id,
               Meeting.status == MeetingStatus.SCHEDULED)
        .options(*meeting_sides())
        .order_by(Meeting.start_dt, Meeting.id)
    ))
