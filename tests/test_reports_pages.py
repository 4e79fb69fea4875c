"""The KPI dashboard and its Excel export for each scope, limited to the offices a staff member manages."""

import re
from io import BytesIO

import pytest
import sqlalchemy as sa
from builders.reports import DAY, report_url, two_offices
from openpyxl import load_workbook

from matchmaker.enums import NoShowReason, OrgKind, Outcome, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Feedback, NoShow


@pytest.fixture
def offices(make_office, make_program, make_event, make_org, make_user, make_participation, make_request, add_meeting):
    """Office A: one past day with 3 requests, a held meeting with both sides' feedback and a no-show.
    Office B: one past day with one held meeting that ended in a purchase order."""
    made = two_offices(make_office, make_program, make_event, make_user)
    a = made["A"]["event"]
    ai = make_org(OrgKind.COMPANY, sectors={"ai": 1.0}, stages=["seed"])
    fin = make_org(OrgKind.COMPANY, sectors={"fintech": 1.0})
    us = make_org(OrgKind.INVESTOR, country="US")
    sg = make_org(OrgKind.BUYER, country="SG")
    held = add_meeting(make_request(a, ai, us, status=RequestStatus.ACCEPTED), 0)
    missed = add_meeting(make_request(a, sg, fin, status=RequestStatus.ACCEPTED), 1)
    make_request(a, fin, us, status=RequestStatus.DECLINED)
    db.session.add_all([
        Feedback(meeting_id=held.id, organization_id=ai.id, rating=5, follow_up=True, outcome=Outcome.MOU,
                 amount_usd=100_000, expected_amount_usd=400_000),
        Feedback(meeting_id=held.id, organization_id=us.id, rating=3, outcome=Outcome.NDA, amount_usd=200_000),
        NoShow(event_id=a.id, organization_id=fin.id, meeting_id=missed.id, reason=NoShowReason.ILLNESS),
    ])
    b = made["B"]["event"]
    other = add_meeting(make_request(b, make_org(OrgKind.COMPANY), sg, status=RequestStatus.ACCEPTED), 0)
    db.session.add(Feedback(meeting_id=other.id, organization_id=sg.id, rating=4, outcome=Outcome.PURCHASE_ORDER,
                            amount_usd=50_000, expected_amount_usd=70_000))
    db.session.commit()
    return made


def _hq(book) -> dict:
    sheet = book["Figures for headquarters"]
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}


@pytest.mark.parametrize("scope", ["event", "program", "office", "year"])
def test_dashboard_shows_the_scope_figures(client, auth, offices, scope):
    auth.login(offices["A"]["staff"])
    response = client.get(report_url(scope, offices))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Day A" in page and "Day B" not in page  # office A's staff see office A only
    assert "<svg" in page and "<title" in page and "Figures for headquarters" in page
    assert "$200K" in page and "$400K" in page  # consultation and expected amounts, counted once
    assert "50%" in page  # no-show rate: one of two due meetings


@pytest.mark.parametrize("scope", ["event", "program", "office", "year"])
def test_export_has_every_table_with_numbers(client, auth, offices, scope):
    auth.login(offices["A"]["staff"])
    response = client.get(report_url(scope, offices, export=True))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == [
        "Figures for headquarters", "Requests and meetings", "Outcomes of the meetings held", "By matchmaking day",
        "By company sector", "By company stage", "By partner country", "By partner kind", "By month",
    ] + (["Meetings and feedback"] if scope == "event" else [])
    assert _hq(book) == {
        "Number of consultations": 1, "Consultation amount (USD)": 200_000,
        "Expected contract amount (USD)": 400_000, "MOUs signed": 1,
    }
    summary = {row[0]: row[1] for row in book["Requests and meetings"].iter_rows(min_row=3, values_only=True)}
    assert summary["Requests sent"] == 3 and summary["Acceptance rate"] == pytest.approx(2 / 3)
    assert summary["No-show rate"] == 0.5 and summary["Satisfaction (1–5)"] == 4
    sectors = list(book["By company sector"].iter_rows(min_row=2, values_only=True))
    assert sectors[0][:5] == ("Sector", "Requests sent", "Accepted", "Acceptance rate", "Meetings held")
    assert ("Artificial intelligence", 1, 1, 1, 1) == sectors[1][:5]
    rates = {row[0].value: row[1] for row in book["Requests and meetings"].iter_rows(min_row=3)}
    assert rates["Acceptance rate"].number_format == "0.0%" and rates["Requests sent"].number_format == "#,##0"
    assert book["Figures for headquarters"]["B4"].number_format == '"$"#,##0'


def test_event_report_lists_each_meeting_with_both_sides_answers(client, auth, offices):
    auth.login(offices["A"]["staff"])
    book = load_workbook(BytesIO(client.get(report_url("event", offices, export=True)).data))
    rows = list(book["Meetings and feedback"].iter_rows(min_row=3, values_only=True))
    assert len(rows) == 2
    held, missed = rows
    assert held[4:7] == (5, "Memorandum of understanding (MOU)", None) and held[7] == 3
    assert held[10:] == ("Yes", 200_000, 400_000)
    assert missed[3] == "Yes" and missed[4] is None and missed[11] is None
    assert held[0].endswith("(Coordinated Universal Time)")  # the time names its zone


def test_admin_year_report_covers_every_office(client, auth, offices, make_user):
    auth.login(make_user(Role.ADMIN))
    book = load_workbook(BytesIO(client.get(report_url("year", offices, export=True)).data))
    hq = _hq(book)
    assert hq["Number of consultations"] == 2 and hq["Consultation amount (USD)"] == 250_000
    assert hq["Expected contract amount (USD)"] == 470_000 and hq["MOUs signed"] == 2  # MOU + purchase order
    page = client.get(report_url("year", offices)).get_data(as_text=True)
    assert "Day A" in page and "Day B" in page


@pytest.mark.parametrize("scope", ["event", "program", "office"])
def test_staff_of_another_office_get_403(client, auth, offices, scope):
    auth.login(offices["B"]["staff"])
    assert client.get(report_url(scope, offices)).status_code == 403
    assert client.get(report_url(scope, offices, export=True)).status_code == 403


@pytest.mark.parametrize("query", ["scope=event", "scope=event&id=999999", "scope=galaxy"])
def test_unknown_scope_or_object_is_404(client, auth, offices, query):
    auth.login(offices["A"]["staff"])
    assert client.get(f"/staff/reports?{query}").status_code == 404


def test_empty_scope_renders_without_figures(client, auth, offices):
    auth.login(offices["A"]["staff"])
    response = client.get("/staff/reports?scope=year&year=1999")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    months = page[page.index('id="report-months"'):]
    months = months[:months.index("</section>")]
    assert months.count("No data") == 1  # said once, not by the empty chart and again below it
    book = load_workbook(BytesIO(client.get("/staff/reports/export.xlsx?scope=year&year=1999").data))
    summary = {row[0]: row[1] for row in book["Requests and meetings"].iter_rows(min_row=3, values_only=True)}
    assert summary["Requests sent"] == 0 and summary["Acceptance rate"] is None


def test_figures_follow_the_viewers_locale(client, auth, offices):
    staff = offices["A"]["staff"]
    staff.locale = "ko"
    db.session.commit()
    auth.login(staff)
    page = client.get(report_url("event", offices)).get_data(as_text=True)
    assert "US$20만" in page and "US$40만" in page and "$200K" not in page


def test_text_cells_are_not_aligned_as_numbers_and_days_are_dated_in_the_locale(client, auth, offices):
    staff = offices["A"]["staff"]
    staff.locale = "ko"
    db.session.commit()
    auth.login(staff)
    page = client.get(report_url("program", offices)).get_data(as_text=True)
    assert DAY.isoformat() not in page  # "Day A (2026-09-28)" was shown by the day breakdown
    assert f"Day A ({DAY.year}. {DAY.month}. {DAY.day}.)" in page
    event_page = client.get(report_url("event", offices)).get_data(as_text=True)
    meetings = event_page.split('id="report-meetings"')[1]
    # names and outcomes are text, left-aligned like any text: only figures get the numeric class
    numeric = re.findall(r'<td class="num">([^<]*)</td>', meetings)
    assert '5' in numeric and all(re.search(r"[0-9—]", cell) for cell in numeric), numeric
    assert len(re.findall(r"<td>[^<0-9]+</td>", meetings)) >= 4  # both names, outcomes...


def test_a_buddhist_calendar_reader_sees_thai_solar_years_in_the_report(client, auth, offices):
    staff = offices["A"]["staff"]
    staff.locale, staff.calendar = "th", "buddhist"
    db.session.commit()
    auth.login(staff)
    page = client.get(report_url("event", offices)).get_data(as_text=True)
    by_day = page.split('id="report-event"')[1].split("</section>")[0]
    by_month = page.split('id="report-months"')[1].split("</section>")[0]
    for part in (by_day, by_month):
        assert str(DAY.year + 543) in part and str(DAY.year) not in part


def test_navigation_and_event_page_link_to_the_reports(client, auth, offices):
    auth.login(offices["A"]["staff"])
    event = offices["A"]["event"]
    assert 'href="/staff/reports"' in client.get("/staff/").get_data(as_text=True)
    page = client.get(f"/staff/events/{event.id}").get_data(as_text=True)
    assert f"/staff/reports?scope=event&amp;id={event.id}" in page


def test_refit_button_runs_the_refit_and_the_page_shows_its_summary(app, client, auth, offices, tmp_path,
                                                                   monkeypatch, make_user):
    monkeypatch.setitem(app.config, "RECOMMENDER_MODEL_PATH", str(tmp_path / "model.json"))
    auth.login(offices["A"]["staff"])  # office staff read the summary; the model serves every office
    page = client.get("/staff/reports").get_data(as_text=True)
    assert "has not been refitted" in page and "An administrator can refit" in page
    assert client.post("/staff/reports/refit").status_code == 403
    auth.logout()
    staff = make_user(Role.ADMIN)
    auth.login(staff)
    response = client.post("/staff/reports/refit")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/reports"
    page = client.get("/staff/reports").get_data(as_text=True)
    assert (tmp_path / "model.json").exists() and "Requests accepted / declined" in page
    assert "3 / 1" in page  # office B's accepted request counts too: the model pools every office
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "refit_recommender"))
    assert entry.actor_id == staff.id


def test_members_cannot_open_reports(client, auth, offices, make_user):
    auth.login(make_user(Role.COMPANY))
    assert client.get("/staff/reports").status_code == 403
    assert client.get("/staff/reports/export.xlsx").status_code == 403
    assert client.post("/staff/reports/refit").status_code == 403
