"""The audit log as staff see it: their office's entries (admins and office-less staff: all), filtered by
text, person (what they did and what was done to their account: who exported or erased their data), action, kind
of object and dates, for the paginated page and its Excel export.

An entry belongs to an office when one of the office's staff made it, or when it is about one of the office's
objects: the office, its programs and days, and what hangs on those days (applications, requests, meetings
and their feedback, scheduler runs), its imports, the organizations it works with
(`queries.office_organization_ids`) and the people of those organizations and of the office.
"""

import json
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta

from flask_babel import gettext
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import joinedload

from matchmaker.domain.timeslots import local_to_utc
from matchmaker.extensions import db
from matchmaker.models import (
    AuditLog,
    Event,
    Feedback,
    ImportBatch,
    Meeting,
    MeetingRequest,
    Office,
    Participation,
    Program,
    ScheduleRun,
    User,
)
from matchmaker.services.list_exports import EXPORT_ROWS, local, workbook
from matchmaker.services.queries import contains, office_organization_ids, office_scope

MAX_TERM = 200


@dataclass(frozen=True)
class Filters:
    q: str = ""
    person: str = ""  # an e-mail address or name: what they did, and what was done to their account
    action: str | None = None
    kind: str | None = None  # the object's type
    since: date | None = None  # first and last day, in the viewer's zone
    until: date | None = None
    typed: dict = field(default_factory=dict)  # the dates as typed, shown back with `errors`
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_args(cls, args) -> "Filters":
        """From a query string. A date that is not one is left out of the filter and reported in `errors`."""
        dates, typed, errors = {}, {}, {}
        for key in ("since", "until"):
            text = (args.get(key) or "").strip()[:40]
            typed[key] = text
            if text:
                try:
                    dates[key] = date.fromisoformat(text)
                except ValueError:
                    pass
                # Days at the calendar's ends would overflow once shifted by the zone.
                if key not in dates or not MINYEAR < dates[key].year < MAXYEAR:
                    dates.pop(key, None)
                    errors[key] = gettext("Give a date as 2027-03-10.")
        return cls(
            q=(args.get("q") or "").strip()[:MAX_TERM],
            person=(args.get("person") or "").strip()[:MAX_TERM],
            action=(args.get("action") or "").strip()[:64] or None,
            kind=(args.get("kind") or "").strip()[:64] or None,
            since=dates.get("since"), until=dates.get("until"), typed=typed, errors=errors,
        )

    def as_args(self) -> dict:
        pairs = (("q", self.q), ("person", self.person), ("action", self.action), ("kind", self.kind),
                 ("since", self.since and self.since.isoformat()), ("until", self.until and self.until.isoformat()))
        return {key: value for key, value in pairs if value}


def _office_objects(office_id: int) -> dict[str, Select]:
    """For each kind of object, the ids of the office's ones."""
    events = select(Event.id).join(Program, Event.program_id == Program.id).where(Program.office_id == office_id)
    organizations = office_organization_ids(office_id)
    return {
        "Office": select(Office.id).where(Office.id == office_id),
        "Program": select(Program.id).where(Program.office_id == office_id),
        "Event": events,
        "Participation": select(Participation.id).where(Participation.event_id.in_(events)),
        "MeetingRequest": select(MeetingRequest.id).where(MeetingRequest.event_id.in_(events)),
        "Meeting": select(Meeting.id).where(Meeting.event_id.in_(events)),
        "Feedback": select(Feedback.id).join(Meeting, Feedback.meeting_id == Meeting.id)
        .where(Meeting.event_id.in_(events)),
        "ScheduleRun": select(ScheduleRun.id).where(ScheduleRun.event_id.in_(events)),
        "ImportBatch": select(ImportBatch.id).where(ImportBatch.office_id == office_id),
        "Organization": organizations,
        "User": select(User.id).where(or_(User.office_id == office_id, User.organization_id.in_(organizations))),
    }


def visible(viewer: User) -> Select:
    """The entries `viewer` may see (see the module's docstring for the rule)."""
    query = select(AuditLog)
    office_id = office_scope(viewer)
    if office_id is not None:
        staff = select(User.id).where(User.office_id == office_id)
        about = [and_(AuditLog.object_type == kind, AuditLog.object_id.in_(ids))
                 for kind, ids in _office_objects(office_id).items()]
        query = query.where(or_(AuditLog.actor_id.in_(staff), *about))
    return query


def listing(viewer: User, filters: Filters, zone: str) -> Select:
    """The entries of the page, newest first; `zone` is the viewer's, in which the dates are days."""
    query = visible(viewer)
    if filters.q:
        actors = select(User.id).where(or_(contains(User.email, filters.q), contains(User.name, filters.q)))
        query = query.where(or_(
            contains(AuditLog.action, filters.q), contains(AuditLog.object_type, filters.q),
            AuditLog.actor_id.in_(actors),
        ))
    if filters.person:
        people = select(User.id).where(or_(contains(User.email, filters.person), contains(User.name, filters.person),
                                           contains(User.name_latin, filters.person)))
        query = query.where(or_(AuditLog.actor_id.in_(people),
                                and_(AuditLog.object_type == "User", AuditLog.object_id.in_(people))))
    if filters.action:
        query = query.where(AuditLog.action == filters.action)
    if filters.kind:
        query = query.where(AuditLog.object_type == filters.kind)
    if filters.since:
        query = query.where(AuditLog.created_dt >= _start_of(filters.since, zone))
    if filters.until:
        query = query.where(AuditLog.created_dt < _start_of(filters.until + timedelta(days=1), zone))
    return query.options(joinedload(AuditLog.actor)).order_by(AuditLog.id.desc())


def _start_of(day: date, zone: str) -> datetime:
    return local_to_utc(day, time(0), zone)


def choices(viewer: User) -> tuple[list[str], list[str]]:
    """The actions and the kinds of object among the viewer's entries, for the filters' lists."""
    subquery = visible(viewer).subquery()
    actions = db.session.scalars(select(subquery.c.action).distinct().order_by(subquery.c.action))
    kinds = db.session.scalars(select(subquery.c.object_type).distinct().order_by(subquery.c.object_type))
    return list(actions), list(kinds)


def export(viewer: User, filters: Filters, zone: str) -> bytes:
    """The log as the page filters it (every page of it); times in `zone`, named in the header."""
    entries = db.session.scalars(listing(viewer, filters, zone).limit(EXPORT_ROWS))
    header = [gettext("When (%(zone)s)", zone=zone), gettext("Who"), gettext("Action"), gettext("Object"),
              gettext("Object number"), gettext("Details")]
    rows = (
        [local(e.created_dt, zone), e.actor.email if e.actor else gettext("system"), e.action, e.object_type,
         e.object_id, json.dumps(e.details or {}, ensure_ascii=False, sort_keys=True)]
        for e in entries
    )
    return workbook(gettext("Audit log"), header, rows)
