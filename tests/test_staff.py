"""Staff run programs and matchmaking days: forms keep input on errors, decisions notify applicants."""

import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from matchmaker.enums import EventMode, OrgKind, ParticipationStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Event, OutboxMessage, Participation, Program


@pytest.fixture
def staff(make_user, make_office, auth):
    office = make_office(name="Jakarta", city="Jakarta", timezone="Asia/Jakarta", locale="id")
    user = make_user(Role.STAFF, office=office)
    auth.login(user)
    return user


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_program_created_and_audited(client, staff):
    start = date.today() + timedelta(days=40)
    response = client.post("/staff/programs/new", data={
        "office_id": staff.office_id, "title": "K-ICT Jakarta 2027", "description": "",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=5)).isoformat(),
    })
    program = db.session.scalars(select(Program)).one()
    assert response.headers["Location"] == f"/staff/programs/{program.id}"
    assert program.title == "K-ICT Jakarta 2027"
    assert db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()[-1] == "create_program"


def test_program_with_reversed_period_rerenders_and_saves_nothing(client, staff):
    response = client.post("/staff/programs/new", data={
        "office_id": staff.office_id, "title": "Typed title", "start_date": "2027-05-10",
        "end_date": "2027-05-01",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The last day must not be before the first day." in page
    assert 'value="Typed title"' in page
    assert _count(Program) == 0


def test_staff_cannot_use_another_offices_program(client, staff, make_program, make_office):
    other = make_program(office=make_office(name="Bangkok"))
    assert client.get(f"/staff/programs/{other.id}").status_code == 403
    assert client.post("/staff/programs/new", data={
        "office_id": other.office_id, "title": "X", "start_date": "2027-05-01", "end_date": "2027-05-02",
    }).status_code == 200  # not among the choices: the form refuses it
    assert _count(Program) == 1


def test_staff_are_linked_to_the_days_they_manage_only(client, staff, make_program, make_event, make_office, make_org,
                                                      make_participation):
    """The public day page and an organization's page linked staff to another office's day, which answered 403."""
    own = make_event(make_program(staff.office), title="Jakarta day")
    other = make_event(make_program(make_office(name="Bangkok office")), title="Bangkok day")
    org = make_org(OrgKind.COMPANY)
    for event in (own, other):
        make_participation(event, org)

    pages = {path: client.get(path).get_data(as_text=True)
             for path in (f"/events/{own.id}", f"/events/{other.id}", f"/staff/organizations/{org.id}")}

    assert f'href="/staff/events/{own.id}"' in pages[f"/events/{own.id}"]
    assert "/staff/events/" not in pages[f"/events/{other.id}"]
    organization = pages[f"/staff/organizations/{org.id}"]
    assert f'href="/staff/events/{own.id}"' in organization
    assert f'href="/staff/events/{other.id}"' not in organization
    assert f'href="/events/{other.id}"' in organization and "Bangkok office" in organization
    for page in pages.values():  # every link to a day there opens, staff page or public one
        for path in set(re.findall(r'href="(/(?:staff/)?events/\d+)"', page)):
            assert client.get(path).status_code == 200, path


EVENT_FORM = {
    "title": "Buyer day", "mode": "in_person", "venue": "Ballroom", "timezone": "Asia/Jakarta", "scheduling": "batch",
    "day_start": "09:00", "day_end": "17:00", "slot_minutes": "30", "breaks": "12:00-13:00", "tables": "12",
}


def test_event_created_with_local_hours_and_deadline_in_utc(client, staff, make_program):
    program = make_program(office=staff.office)
    day = program.start_date + timedelta(days=3)
    response = client.post(f"/staff/programs/{program.id}/events/new", data={
        **EVENT_FORM, "date": day.isoformat(), "request_deadline": f"{day - timedelta(days=2)}T18:00",
    })
    event = db.session.scalars(select(Event)).one()
    assert response.headers["Location"] == f"/staff/events/{event.id}"
    assert event.breaks == [{"start": "12:00", "end": "13:00"}]
    assert len(event.slots()) == 14  # 8 hours of 30-minute slots less the lunch hour
    assert event.request_deadline_dt.hour == 11  # 18:00 in Jakarta (UTC+7)
    assert event.slots()[0].start.hour == 2  # 09:00 WIB is 02:00 UTC


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"breaks": "noon"}, "This break is not of the form 12:00-13:00: noon"),
        ({"day_end": "08:00"}, "The day must end after it starts."),
        ({"venue": ""}, "An in-person day needs a venue."),
        ({"mode": "online", "venue": "", "tables": "5"}, "An online day has no tables"),
        ({"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
        ({"slot_minutes": "2"}, "Number must be between 5 and 240."),
        ({"date": "OUTSIDE"}, "The day must fall within the program&#39;s period."),
    ],
)
def test_event_form_errors_keep_input_and_save_nothing(client, staff, make_program, changes, message):
    program = make_program(office=staff.office)
    day = program.start_date + timedelta(days=1)
    data = {**EVENT_FORM, "date": day.isoformat(), **changes}
    if data["date"] == "OUTSIDE":
        data["date"] = (program.end_date + timedelta(days=1)).isoformat()
    response = client.post(f"/staff/programs/{program.id}/events/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert 'value="Buyer day"' in page
    assert _count(Event) == 0


def test_approval_and_rejection_mail_the_applicant_in_their_language(
    app, client, staff, make_program, make_event, make_user, make_org,
):
    event = make_event(program=make_program(office=staff.office), timezone="Asia/Jakarta",
                       mode=EventMode.IN_PERSON, venue="Hall", date=date.today() + timedelta(days=40),
                       day_start=time(9), day_end=time(12))
    korean = make_user(Role.COMPANY, locale="ko", organization=make_org(OrgKind.COMPANY))
    english = make_user(Role.PARTNER, locale="en", organization=make_org(OrgKind.BUYER))
    applied = [
        Participation(event_id=event.id, organization_id=u.organization_id, status=ParticipationStatus.APPLIED)
        for u in (korean, english)
    ]
    db.session.add_all(applied)
    db.session.commit()

    client.post(f"/staff/participations/{applied[0].id}/decide", data={"approve": "1"})
    refused = client.post(f"/staff/participations/{applied[1].id}/decide", data={"reject": "1", "reason": ""})
    assert refused.status_code == 302
    db.session.refresh(applied[1])
    assert applied[1].status == ParticipationStatus.APPLIED  # a rejection needs a reason
    client.post(f"/staff/participations/{applied[1].id}/decide",
                data={"reject": "1", "reason": "The buyer list is full."})

    db.session.refresh(applied[0])
    db.session.refresh(applied[1])
    assert applied[0].status == ParticipationStatus.APPROVED
    assert applied[1].status == ParticipationStatus.REJECTED
    messages = {m.to_address: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(messages) == {korean.email, english.email}
    assert messages[korean.email].locale == "ko"
    assert "The buyer list is full." in messages[english.email].body_text
    assert "Western Indonesia Time" not in messages[korean.email].body_text  # Korean zone names
    assert "한국 표준시" in messages[korean.email].body_text  # the recipient's zone, named
    assert len(list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))) == 2


def test_staff_force_and_forbid_pairs_from_the_requests_page(client, staff, make_program, make_event, make_org,
                                                             make_participation):
    from matchmaker.enums import PairRuleKind, RequestStatus
    from matchmaker.models import MeetingRequest, PairRule

    event = make_event(program=make_program(office=staff.office))
    company, investor = make_org(OrgKind.COMPANY), make_org(OrgKind.INVESTOR)
    for org in (company, investor):
        make_participation(event, org)
    response = client.post(f"/staff/events/{event.id}/requests", data={
        "company_id": company.id, "partner_id": investor.id, "kind": "forced",
    })
    assert response.status_code == 302
    rule = db.session.scalars(select(PairRule)).one()
    assert rule.kind == PairRuleKind.FORCED
    assert db.session.scalars(select(MeetingRequest)).one().status == RequestStatus.ACCEPTED
    client.post(f"/staff/events/{event.id}/requests", data={
        "company_id": company.id, "partner_id": investor.id, "kind": "forbidden",
    })
    db.session.refresh(rule)
    assert rule.kind == PairRuleKind.FORBIDDEN
    assert db.session.scalars(select(MeetingRequest)).one().status == RequestStatus.CANCELLED
    page = client.get(f"/staff/events/{event.id}/requests").get_data(as_text=True)
    assert "Must not meet" in page


def test_organization_page_shows_labels_not_codes(client, staff, make_org, make_event, make_program,
                                                  make_participation):
    org = make_org(OrgKind.INVESTOR, sectors={"ai-chips": 1.0, "iot": 0.5}, stages=["series-a", "series-c+"],
                   markets=["US", "KR"], languages=["en", "ko"], country="SG",
                   ticket_min_usd=2_000_000, ticket_max_usd=10_000_000)
    make_participation(make_event(make_program(staff.office)), org)  # staff see their office's organizations
    page = client.get(f"/staff/organizations/{org.id}").get_data(as_text=True)
    for label in ("AI chips and semiconductors", "Series A", "Series C and later", "United States", "South Korea",
                  "Singapore", "English", "Korean", "$2M", "$10M"):
        assert label in page, label
    for code in ("ai-chips", "series-a", "series-c+", "2000000"):
        assert code not in page, code
    listing = client.get(f"/staff/organizations?q={org.name}").get_data(as_text=True)
    assert "AI chips and semiconductors, IoT and smart devices" in listing and "Singapore" in listing
    assert "ai-chips" not in listing and "<td>SG</td>" not in listing


def test_a_withdrawn_application_is_neither_approved_nor_rejected(client, staff, make_program, make_event, make_org):
    """The single decision keeps the bulk decisions' rule: the day's page offers no decision and a posted one
    (an old page) is refused with a message, nothing mailed."""
    event = make_event(program=make_program(office=staff.office))
    withdrawn = Participation(event_id=event.id, organization_id=make_org(OrgKind.COMPANY).id,
                              status=ParticipationStatus.WITHDRAWN)
    db.session.add(withdrawn)
    db.session.commit()

    page = client.get(f"/staff/events/{event.id}").get_data(as_text=True)
    answer = client.post(f"/staff/participations/{withdrawn.id}/decide", data={"approve": "1"},
                         follow_redirects=True)

    assert f"/staff/participations/{withdrawn.id}/decide" not in page
    assert "Withdrawn by the organization: no decision to take." in page
    assert "it can no longer be approved or rejected" in answer.get_data(as_text=True)
    db.session.refresh(withdrawn)
    assert withdrawn.status == ParticipationStatus.WITHDRAWN
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
