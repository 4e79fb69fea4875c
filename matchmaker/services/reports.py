"""The rows of a report scope (an event, a program, an office, a year), loaded for `matchmaker.reports`.

Staff see the offices they manage: office staff their own office, admins and office-less staff every office.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, extract, literal, null, select, union_all
from sqlalchemy.orm import joinedload, load_only

from matchmaker.database import utcnow
from matchmaker.enums import Attendance, MeetingStatus, OrgKind
from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    Feedback,
    Meeting,
    MeetingRequest,
    NoShow,
    Office,
    Organization,
    Participation,
    Program,
    User,
)
from matchmaker.reports import FeedbackRow, MeetingRow, NoShowRow, OrgRow, Report, RequestRow, Rows, compute
from matchmaker.reports.kpi import main_sector
from matchmaker.services.queries import visible_offices

SCOPES = ("event", "program", "office", "year")


def events_in_scope(viewer: User, kind: str, obj=None, year: int | None = None,
                    offices: list[Office] | None = None) -> list[Event]:
    """The events of a scope among the viewer's offices; `obj` is the Event, Program or Office. `offices`: the
    viewer's (`visible_offices`), when the caller has them already."""
    office_ids = [o.id for o in (offices if offices is not None else visible_offices(viewer))]
    if kind == "event":  # the one day, when it is one of the viewer's offices' (no query: it is loaded already)
        return [obj] if obj.program.office_id in office_ids else []
    query = select(Event).join(Program, Event.program_id == Program.id).where(Program.office_id.in_(office_ids))
    if kind == "program":
        query = query.where(Event.program_id == obj.id)
    elif kind == "office":
        query = query.where(Program.office_id == obj.id)
    elif kind == "year":
        query = query.where(extract("year", Event.date) == year)
    else:
        raise ValueError(f"unknown scope {kind!r}")
    return list(db.session.scalars(query.order_by(Event.date, Event.id)))


def years(viewer: User) -> list[int]:
    office_ids = [o.id for o in visible_offices(viewer)]
    dates = db.session.scalars(
        select(Event.date).join(Program, Event.program_id == Program.id).where(Program.office_id.in_(office_ids))
    )
    return years_of(dates)


def years_of(dates) -> list[int]:
    """The years to pick from, latest first: those of `dates` (the days of the viewer's offices), and this one."""
    return sorted({d.year for d in dates} | {date.today().year}, reverse=True)


def org_row(org: Organization) -> OrgRow:
    return OrgRow(
        id=org.id, kind=org.kind.value, sector=main_sector(org.sectors),
        stage=(org.stages or [None])[0], country=org.country,
    )


def _pair(request: MeetingRequest, kinds: dict[int, OrgKind]) -> tuple[int, int]:
    """(company id, partner id) of a request, whichever side sent it."""
    if kinds.get(request.from_org_id) == OrgKind.COMPANY:
        return request.from_org_id, request.to_org_id
    return request.to_org_id, request.from_org_id


@dataclass
class Loaded:
    """What a report reads of its scope, read once: the KPIs take it as plain rows (`rows_of`), and the table of
    one day's meetings (`meeting_lines`) takes its meetings, organizations, feedback and no-shows from it too."""

    requests: list[MeetingRequest] = field(default_factory=list)
    orgs: dict[int, Organization] = field(default_factory=dict)
    meetings: list[Meeting] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    no_shows: list = field(default_factory=list)  # rows with event_id, organization_id and meeting_id
    absent: set[tuple[int, int]] = field(default_factory=set)


# What reports read of an organization: its groups (kind, main sector and stage, country) and its name. The rest
# of a profile (four more JSON columns, the description) is left in the database.
REPORT_COLUMNS = (Organization.kind, Organization.name, Organization.name_latin, Organization.sectors,
                  Organization.stages, Organization.country)


@cache
def _scope_queries() -> dict:
    """The scope's queries, built once with its days (or organizations) as an expanding parameter: building a
    select costs about as much CPU as running it, and a report runs three."""
    events = bindparam("event_ids", expanding=True)
    return {
        # what the figures read of requests and meetings, the requests with both sides' organizations (their groups
        # and names) in the same query
        "requests": select(MeetingRequest).where(MeetingRequest.event_id.in_(events))
        .options(load_only(MeetingRequest.event_id, MeetingRequest.from_org_id, MeetingRequest.to_org_id,
                           MeetingRequest.status),
                 joinedload(MeetingRequest.from_org).load_only(*REPORT_COLUMNS),
                 joinedload(MeetingRequest.to_org).load_only(*REPORT_COLUMNS))
        .order_by(MeetingRequest.id),
        # each meeting with its feedback (none, or one row per side that gave it), in one query
        "meetings": select(Meeting, Feedback).outerjoin(Feedback, Feedback.meeting_id == Meeting.id)
        .where(Meeting.event_id.in_(events))
        .options(load_only(Meeting.event_id, Meeting.request_id, Meeting.start_dt, Meeting.status))
        .order_by(Meeting.id, Feedback.id),
        # no-shows (of a meeting, or of the whole day when meeting_id is null) and the sides marked absent, together
        "missed": union_all(
            select(NoShow.id, NoShow.event_id, NoShow.organization_id, NoShow.meeting_id,
                   literal(False).label("absent")).where(NoShow.event_id.in_(events)),
            select(null(), Participation.event_id, Participation.organization_id, null(), literal(True))
            .where(Participation.event_id.in_(events), Participation.attendance == Attendance.ABSENT),
        ),
    }


def load(events: list[Event]) -> Loaded:
    event_ids = [e.id for e in events]
    if not event_ids:
        return Loaded()
    query, scope = _scope_queries(), {"event_ids": event_ids}
    requests = db.session.scalars(query["requests"], scope).all()
    orgs = {org.id: org for r in requests for org in (r.from_org, r.to_org)}
    pairs = db.session.execute(query["meetings"], scope).all()
    meetings = list({meeting.id: meeting for meeting, _feedback in pairs}.values())  # in id order, once each
    feedback = sorted((f for _meeting, f in pairs if f is not None), key=lambda f: f.id)
    missed = db.session.execute(query["missed"], scope).all()
    no_shows = sorted((row for row in missed if not row.absent), key=lambda row: row.id)
    absent = {(row.event_id, row.organization_id) for row in missed if row.absent}
    return Loaded(list(requests), orgs, meetings, feedback, no_shows, absent)


def rows_of(loaded: Loaded) -> Rows:
    kinds = {org_id: org.kind for org_id, org in loaded.orgs.items()}
    by_request = {r.id: r for r in loaded.requests}
    meeting_rows = []
    for meeting in loaded.meetings:
        company_id, partner_id = _pair(by_request[meeting.request_id], kinds)
        meeting_rows.append(MeetingRow(
            id=meeting.id, event_id=meeting.event_id, company_id=company_id, partner_id=partner_id,
            start=meeting.start_dt, cancelled=meeting.status == MeetingStatus.CANCELLED,
        ))
    return Rows(
        orgs={org_id: org_row(org) for org_id, org in loaded.orgs.items()},
        requests=[
            RequestRow(r.id, r.event_id, *_pair(r, kinds), status=r.status.value) for r in loaded.requests
        ],
        meetings=meeting_rows,
        no_shows=[NoShowRow(n.event_id, n.organization_id, n.meeting_id) for n in loaded.no_shows],
        feedback=[
            FeedbackRow(
                meeting_id=f.meeting_id, organization_id=f.organization_id, rating=f.rating,
                follow_up=f.follow_up, outcome=f.outcome.value, amount_usd=f.amount_usd,
                expected_amount_usd=f.expected_amount_usd,
            )
            for f in loaded.feedback
        ],
        absent=set(loaded.absent),
    )


def load_rows(events: list[Event]) -> Rows:
    return rows_of(load(events))


def report_for(events: list[Event], now: datetime | None = None, loaded: Loaded | None = None) -> Report:
    """The KPIs of `events`; `loaded` (from `load(events)`) spares reading them again."""
    return compute(rows_of(loaded if loaded is not None else load(events)), now or utcnow())


def meeting_lines(event: Event, loaded: Loaded | None = None) -> list[dict]:
    """Each meeting of one day with both sides' feedback, for staff's follow-up (company side first).

    `loaded` is what `load` read for a scope that holds the day: its meetings' requests and organizations are
    then already in the session, and nothing is read again."""
    loaded = loaded if loaded is not None else load([event])
    meetings = sorted(
        (m for m in loaded.meetings if m.event_id == event.id and m.status == MeetingStatus.SCHEDULED),
        key=lambda m: (m.start_dt, m.id),
    )
    scheduled = {m.id for m in meetings}
    feedback = {(f.meeting_id, f.organization_id): f for f in loaded.feedback if f.meeting_id in scheduled}
    missed = {n.meeting_id for n in loaded.no_shows if n.event_id == event.id}
    lines = []
    for meeting in meetings:
        pair = (meeting.request.from_org, meeting.request.to_org)
        company, partner = pair if pair[0].kind == OrgKind.COMPANY else pair[::-1]
        lines.append({
            "meeting": meeting, "company": company, "partner": partner, "no_show": meeting.id in missed,
            "company_feedback": feedback.get((meeting.id, company.id)),
            "partner_feedback": feedback.get((meeting.id, partner.id)),
        })
    return lines
