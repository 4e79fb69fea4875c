"""A matchmaking day of any size, for the tests that count queries (test_query_counts): a hybrid day of ten
slots and ten tables, yesterday in Jakarta, published; ten companies each meeting every partner once, so
`meetings` scheduled meetings need `meetings // 10` partners. Around them, what the pages show per row:
accepted requests left unplaced, feedback, no-shows, check-ins and cached recommendations. A plain builder,
not a fixture: the test module calls it twice, at two sizes."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from matchmaker.enums import Attendance, EventMode, NoShowReason, OrgKind, Outcome, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    Feedback,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    NoShow,
    Organization,
    Recommendation,
    User,
)

COMPANIES = 10


@dataclass
class BusyDay:
    event: Event
    staff: User
    company_user: User  # the first company's member: its agenda and recommendations
    companies: list[Organization]
    partners: list[Organization]


def build_busy_day(make_office, make_program, make_event, make_user, make_participation,
                   meetings: int) -> BusyDay:
    partners_count = max(1, meetings // COMPANIES)
    office = make_office(timezone="Asia/Jakarta", city="Jakarta")
    day = date.today() - timedelta(days=1)
    event = make_event(
        make_program(office, start_date=day, end_date=day), mode=EventMode.HYBRID, timezone="Asia/Jakarta",
        venue="Hall A", date=day, day_start=time(9), day_end=time(14), slot_minutes=30, tables=COMPANIES,
        published=True,
    )
    staff = make_user(Role.STAFF, office_id=office.id)

    def member(role: Role, kind: OrgKind) -> User:
        user = make_user(role, timezone="Asia/Seoul" if kind == OrgKind.COMPANY else "America/New_York")
        user.organization.kind = kind
        make_participation(event, user.organization)
        return user

    company_users = [member(Role.COMPANY, OrgKind.COMPANY) for _ in range(COMPANIES)]
    partner_users = [member(Role.PARTNER, OrgKind.INVESTOR if n % 2 else OrgKind.BUYER)
                     for n in range(partners_count)]
    companies = [u.organization for u in company_users]
    partners = [u.organization for u in partner_users]
    slots = event.slots()
    for i, company in enumerate(companies):
        for j, partner in enumerate(partners):
            # Company i sits at table i; in each slot a partner meets one company only.
            _meeting(event, company, partner, slots[(i + j) % len(slots)], f"T{i + 1}",
                     feedback=company_users[i], outcome=Outcome.MOU if j % 3 == 0 else Outcome.NONE)
            db.session.add(Recommendation(event_id=event.id, company_id=company.id, partner_id=partner.id,
                                          rank=j + 1, score=1 - j / 100, reasons=[["sector", {"sector": "ai"}]]))
    # As many accepted requests that found no place, each with a company of its own.
    for partner in partners:
        extra = member(Role.COMPANY, OrgKind.COMPANY).organization
        db.session.add(MeetingRequest(event_id=event.id, from_org_id=extra.id, to_org_id=partner.id,
                                      status=RequestStatus.ACCEPTED))
        db.session.add(NoShow(event_id=event.id, organization_id=extra.id, reason=NoShowReason.TRAVEL))
    for n, participation in enumerate(event.participations):
        participation.attendance = Attendance.CHECKED_IN if n % 2 else Attendance.EXPECTED
    db.session.commit()
    return BusyDay(event, staff, company_users[0], companies, partners)


def _meeting(event: Event, company: Organization, partner: Organization, slot, table: str, feedback: User,
             outcome: Outcome) -> Meeting:
    request = MeetingRequest(event_id=event.id, from_org_id=company.id, to_org_id=partner.id,
                             status=RequestStatus.ACCEPTED)
    db.session.add(request)
    db.session.flush()
    meeting = Meeting(uid=f"meeting-{request.id}@busy", event_id=event.id, request_id=request.id,
                      start_dt=slot.start, end_dt=slot.end, table_label=table)
    db.session.add(meeting)
    db.session.flush()
    for org_id in (company.id, partner.id):
        db.session.add(MeetingSeat(meeting_id=meeting.id, organization_id=org_id, start_dt=slot.start))
    db.session.add(Feedback(meeting_id=meeting.id, organization_id=company.id, user_id=feedback.id, rating=4,
                            follow_up=True, outcome=outcome, amount_usd=10000))
    return meeting
