"""A person with a record of every kind the privacy export and erasure cover: a Korean contact person (name in
Hangul and in Latin letters, a phone) of a company at a past day, with a request they asked, a held meeting, messages
both ways, feedback from both sides, invites in the outbox (their own and their partner's, which names them), audit
entries (a sign-in, a staff change) and a row of an imported file; a consent when the consents table is there.
A plain builder, not a fixture: tests call it with conftest's builders."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from matchmaker.database import utcnow
from matchmaker.enums import OrgKind, Outcome, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Event, Feedback, ImportBatch, Meeting, Message, User
from matchmaker.services import accounts, audit, invites

EMAIL = "minjun.kim@example.kr"
NAME = "김민준"
LATIN = "Kim Minjun"
PHONE = "+82-10-5555-1234"
IDENTIFIERS = (EMAIL, NAME, LATIN, PHONE)


@dataclass
class Person:
    user: User
    partner: User
    staff: User
    event: Event
    meeting: Meeting


def build_person(make_user, make_org, make_event, make_participation, make_request, add_meeting,
                 *, day: date | None = None) -> Person:
    event = make_event(date=day or date.today() - timedelta(days=10))
    company = make_org(OrgKind.COMPANY, name="주식회사 테스트", phone=PHONE,
                       description=f"Ask {LATIN} ({EMAIL}) for a demo.")
    user = make_user(Role.COMPANY, email=EMAIL, name=NAME, name_latin=LATIN, locale="ko", organization=company)
    partner = make_user(Role.PARTNER, name="Dana Partner", email="dana@vc.example")
    staff = make_user(Role.STAFF, email="staff@office.example", name="Office Staff",
                      office=event.program.office)
    for org in (company, partner.organization):
        make_participation(event, org)
    request = make_request(event, company, partner.organization, status=RequestStatus.ACCEPTED,
                           created_by_id=user.id, message=f"Hello, this is {NAME}.")
    meeting = add_meeting(request)
    now = utcnow()
    db.session.add_all([
        Message(request_id=request.id, author_org_id=company.id, author_id=user.id, body="My mobile is " + PHONE,
                created_dt=now),
        Message(request_id=request.id, author_org_id=partner.organization_id, author_id=partner.id,
                body=f"Thanks {LATIN}, see you.", created_dt=now),
        Feedback(meeting_id=meeting.id, organization_id=company.id, user_id=user.id, rating=5, follow_up=True,
                 outcome=Outcome.MOU, comment=f"{NAME} liked it"),
        Feedback(meeting_id=meeting.id, organization_id=partner.organization_id, user_id=partner.id, rating=4,
                 comment=f"Good talk with {LATIN}"),
        ImportBatch(office_id=event.program.office_id, event_id=event.id, created_by_id=staff.id,
                    filename="participants.xlsx", rows=[{"line": 2, "problems": [], "values": {
                        "email": EMAIL, "contact_name": NAME, "contact_name_latin": LATIN, "phone": PHONE,
                        "name": company.name}}]),
    ])
    invites.queue_invites(meeting)  # both sides' invites: the partner's lists this person as an attendee
    accounts.record_login(user)
    audit.record(staff, "update_user", user, email=EMAIL, name=NAME, name_latin=LATIN)
    consents = db.metadata.tables.get("consents")
    if consents is not None:
        db.session.execute(sa.insert(consents).values(user_id=user.id, kind="collection", version="1",
                                                      given_dt=now, ip="203.0.113.9", user_agent="Firefox"))
    db.session.commit()
    return Person(user=user, partner=partner, staff=staff, event=event, meeting=meeting)
