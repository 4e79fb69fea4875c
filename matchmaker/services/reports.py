"""The rows of a report scope (an event, a program, an office, a year), loaded for `matchmaker.reports`.

Staff see the offices they manage: office staff their own office, admins and office-less staff every office.
"""

from datetime import date, datetime

from sqlalchemy import extract, select

from matchmaker.database import utcnow
from matchmaker.enums import Attendance, MeetingStatus, OrgKind
from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    Feedback,
    Meeting,
    MeetingRequest,
    NoShow,
    Organization,
    Participation,
    Program,
    User,
)
from matchmaker.reports import FeedbackRow, MeetingRow, NoShowRow, OrgRow, Report, RequestRow, Rows, compute
from matchmaker.reports.kpi import main_sector
from matchmaker.services.queries import meeting_sides, visible_offices

SCOPES = ("event", "program", "office", "year")


def events_in_scope(viewer: User, kind: str, obj=None, year: int | None = None) -> list[Event]:
    """The events of a scope among the viewer's offices; `obj` is the Event, Program or Office."""
    office_ids = [o.id for o in visible_offices(viewer)]
    query = select(Event).join(Program, Event.program_id == Program.id).where(Program.office_id.in_(office_ids))
    if kind == "event":
        query = query.where(Event.id == obj.id)
    elif kind == "program":
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


def load_rows(events: list[Event]) -> Rows:
    event_ids = [e.id for e in events]
    if not event_ids:
        return Rows(orgs={})
    requests = db.session.scalars(
        select(MeetingRequest).where(MeetingRequest.event_id.in_(event_ids)).order_by(MeetingRequest.id)
    ).all()
    org_ids = {r.from_org_id for r in requests} | {r.to_org_id for r in requests}
    orgs = {o.id: o for o in db.session.scalars(select(Organization).where(Organization.id.in_(org_ids)))}
    kinds = {org_id: org.kind for org_id, org in orgs.items()}
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.event_id.in_(event_ids)).order_by(Meeting.id)
    ).all()
    by_request = {r.id: r for r in requests}
    meeting_rows = []
    for meeting in meetings:
        company_id, partner_id = _pair(by_request[meeting.request_id], kinds)
        meeting_rows.append(MeetingRow(
            id=meeting.id, event_id=meeting.event_id, company_id=company_id, partner_id=partner_id,
            start=meeting.start_dt, cancelled=meeting.status == MeetingStatus.CANCELLED,
        ))
    feedback = db.session.scalars(
        select(Feedback).join(Meeting, Feedback.meeting_id == Meeting.id)
        .where(Meeting.event_id.in_(event_ids)).order_by(Feedback.id)
    ).all()
    no_shows = db.session.scalars(select(NoShow).where(NoShow.event_id.in_(event_ids)).order_by(NoShow.id)).all()
    absent = db.session.execute(
        select(Participation.event_id, Participation.organization_id).where(
            Participation.event_id.in_(event_ids), Participation.attendance == Attendance.ABSENT
        )
    ).all()
    return Rows(
        orgs={org_id: org_row(org) for org_id, org in orgs.items()},
        requests=[
            RequestRow(r.id, r.event_id, *_pair(r, kinds), status=r.status.value) for r in requests
        ],
        meetings=meeting_rows,
        no_shows=[NoShowRow(n.event_id, n.organization_id, n.meeting_id) for n in no_shows],
        feedback=[
            FeedbackRow(
                meeting_id=f.meeting_id, organization_id=f.organization_id, rating=f.rating,
                follow_up=f.follow_up, outcome=f.outcome.value, amount_usd=f.amount_usd,
                expected_amount_usd=f.expected_amount_usd,
            )
            for f in feedback
        ],
        absent={tuple(row) for row in absent},
    )


def report_for(events: list[Event], now: datetime | None = None) -> Report:
    return compute(load_rows(events), now or utcnow())


def meeting_lines(event: Event) -> list[dict]:
    """Each meeting of one day with both sides' feedback, for staff's follow-up (company side first)."""
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.SCHEDULED)
        .options(*meeting_sides()).order_by(Meeting.start_dt, Meeting.id)
    ).all()
    feedback = {
        (f.meeting_id, f.organization_id): f
        for f in db.session.scalars(select(Feedback).where(Feedback.meeting_id.in_([m.id for m in meetings])))
    }
    missed = {n.meeting_id for n in db.session.scalars(select(NoShow).where(NoShow.event_id == event.id))}
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
