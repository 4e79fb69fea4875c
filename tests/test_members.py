"""Companies and partners keep a profile, apply to matchmaking days and withdraw."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaker.enums import ParticipationStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Participation

PROFILE = {
    "name": "주식회사 딥비전랩", "name_latin": "DeepVision Lab", "country": "kr",
    "website": "https://deepvision.example", "phone": "+82 2 555 0100", "sectors": ["ai", "cloud"],
    "stages": ["series-a"], "description_ko": "비전 AI 검사 솔루션", "markets": "us, sg",
    "languages": "ko, en", "timezone": "Asia/Seoul", "ticket_min_usd": "1000000",
    "ticket_max_usd": "3000000", "existing_investors": "Han River Ventures\n\nSeoul Angels\n",
}


@pytest.fixture
def company(make_user, auth):
    user = make_user(Role.COMPANY)
    auth.login(user)
    return user


def test_profile_saved_with_normalized_lists(client, company):
    response = client.post("/profile", data=PROFILE)
    assert response.headers["Location"] == "/profile"
    org = company.organization
    db.session.refresh(org)
    assert org.name == "주식회사 딥비전랩"
    assert org.country == "KR"
    assert org.sectors == {"ai": 1.0, "cloud": 1.0}
    assert org.markets == ["US", "SG"]
    assert org.languages == ["ko", "en"]
    assert org.existing_investors == ["Han River Ventures", "Seoul Angels"]
    assert (org.ticket_min_usd, org.ticket_max_usd) == (1_000_000, 3_000_000)


def test_profile_with_existing_investors_opens_with_them_one_a_line(client, company):
    company.organization.existing_investors = ["Han River Ventures", "Seoul Angels"]
    db.session.commit()
    response = client.get("/profile")
    assert response.status_code == 200
    assert "Han River Ventures\nSeoul Angels</textarea>" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ticket_max_usd": "10"}, "The upper end must not be below the lower end."),
        ({"markets": "USA"}, "Use two-letter country codes separated by commas."),
        ({"website": "deepvision"}, "Enter a full address such as https://example.com."),
        ({"timezone": "KST"}, "Choose a time zone from the list."),
        ({"sectors": ["not-a-sector"]}, "not a valid choice"),
        ({"existing_investors": "Seoul Angels\n" + "X" * 5000}, "Field cannot be longer than 5000 characters."),
    ],
)
def test_profile_errors_keep_input_and_change_nothing(client, company, changes, message):
    before = company.organization.name
    response = client.post("/profile", data={**PROFILE, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "주식회사 딥비전랩" in page  # what the user typed is still there
    db.session.refresh(company.organization)
    assert company.organization.name == before


def test_apply_then_withdraw(client, company, make_event):
    event = make_event()
    client.post(f"/events/{event.id}/apply")
    participation = db.session.scalars(select(Participation)).one()
    assert participation.status == ParticipationStatus.APPLIED
    again = client.post(f"/events/{event.id}/apply", follow_redirects=True)
    assert "You have already applied" in again.get_data(as_text=True)
    client.post(f"/events/participations/{participation.id}/withdraw")
    db.session.refresh(participation)
    assert participation.status == ParticipationStatus.WITHDRAWN
    assert db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()[-2:] == ["apply", "withdraw"]


def test_unverified_member_cannot_apply(client, make_user, auth, make_event):
    user = make_user(Role.PARTNER, verified=False)
    auth.login(user)
    event = make_event()
    page = client.post(f"/events/{event.id}/apply", follow_redirects=True).get_data(as_text=True)
    assert "Confirm your e-mail address before applying." in page
    assert db.session.scalars(select(Participation)).all() == []


def test_past_event_refuses_applications(client, company, make_event, make_program):
    program = make_program(start_date=company.created_dt.date() - timedelta(days=30),
                           end_date=company.created_dt.date())
    event = make_event(program=program, date=program.start_date)
    page = client.post(f"/events/{event.id}/apply", follow_redirects=True).get_data(as_text=True)
    assert "This matchmaking day is over." in page


def test_member_cannot_withdraw_someone_elses_participation(client, company, make_event, make_org,
                                                             make_participation):
    other = make_participation(make_event(), make_org())
    assert client.post(f"/events/participations/{other.id}/withdraw").status_code == 404
    db.session.refresh(other)
    assert other.status == ParticipationStatus.APPROVED


def test_settings_change_language_and_zone(client, company):
    response = client.post("/settings", data={"name": "Kim", "locale": "ko", "timezone": "Asia/Jakarta"})
    assert response.status_code == 302
    db.session.refresh(company)
    assert (company.locale, company.timezone) == ("ko", "Asia/Jakarta")
    assert "Asia/Jakarta" in client.get("/").get_data(as_text=True)


def test_investor_portfolio_shows_sector_and_stage_labels(client, make_user, make_org, auth):
    from matchmaker.enums import OrgKind

    org = make_org(OrgKind.INVESTOR, portfolio=[{"company": "Parallax Data", "sector": "ai-chips",
                                                 "stage": "series-a", "year": 2023}])
    auth.login(make_user(Role.PARTNER, organization=org))
    page = client.get("/profile").get_data(as_text=True)
    assert "<td>AI chips and semiconductors</td><td>Series A</td>" in page
    assert "<td>ai-chips</td>" not in page and "<td>series-a</td>" not in page


def test_names_keep_no_control_characters_or_line_breaks(client, company):
    """A person's name box cannot hold a bell or a line feed, but a crafted form can: kept, they travelled into e-mail
    greetings and contact lines. (An organization's name is kept as typed and cleaned where mail is built:
    tests/test_mail_delivery.py.)"""
    response = client.post("/settings", data={"name": "Kim\x07 Min\r\njun\x1b", "locale": "en",
                                               "timezone": "Asia/Seoul"})
    assert response.status_code == 302
    db.session.refresh(company)
    assert company.name == "Kim Min jun"


def test_a_name_of_control_characters_only_is_refused(client, company):
    before = company.name
    response = client.post("/settings", data={"name": "\x07\x1b", "locale": "en", "timezone": "Asia/Seoul"})
    assert response.status_code == 200 and "This field is required." in response.get_data(as_text=True)
    db.session.refresh(company)
    assert company.name == before
