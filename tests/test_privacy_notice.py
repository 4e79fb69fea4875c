"""The privacy notice (/privacy): public, in each of the five languages, with the controller, the officer's contact
from the settings, the countries abroad derived from the offices' and days' time zones, and the retention from the
settings; linked from the footer, from registration and from every e-mail (from BASE_URL, never the Host header)."""

import pytest
from babel import Locale
from sqlalchemy import select

from matchmaker.domain.consent_texts import destinations, zone_country
from matchmaker.enums import Role
from matchmaker.extensions import db
from matchmaker.models import OutboxMessage

RETENTION = {"en": "3 years after the last matchmaking day", "ko": "3년", "vi": "3 năm", "th": "3 ปี",
             "id": "3 tahun"}


@pytest.fixture
def offices(app, monkeypatch, make_office, make_program, make_event):
    monkeypatch.setitem(app.config, "AGENCY_NAME", "Korea ICT Trade Agency")
    monkeypatch.setitem(app.config, "PRIVACY_OFFICER_NAME", "Park Jiwoo")
    monkeypatch.setitem(app.config, "PRIVACY_OFFICER_EMAIL", "dpo@agency.example")
    make_office(name="Silicon Valley", city="San Jose", timezone="America/Los_Angeles")
    make_office(name="Singapore", city="Singapore", timezone="Asia/Singapore")
    jakarta = make_office(name="Jakarta", city="Jakarta", timezone="Asia/Jakarta")
    make_office(name="Seoul HQ", city="Seoul", timezone="Asia/Seoul")  # at home: not a transfer abroad
    # The Jakarta office's days in Ho Chi Minh City, Bangkok and Kuala Lumpur.
    program = make_program(office=jakarta)
    for zone in ("Asia/Ho_Chi_Minh", "Asia/Bangkok", "Asia/Kuala_Lumpur"):
        make_event(program=program, timezone=zone)


@pytest.mark.parametrize("lang", ["en", "ko", "vi", "th", "id"])
def test_the_notice_in_each_language_names_the_officer_the_countries_and_the_retention(client, offices, lang):
    response = client.get("/privacy", headers={"Accept-Language": lang})

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert "Park Jiwoo" in page and 'href="mailto:dpo@agency.example"' in page and "Korea ICT Trade Agency" in page
    names = Locale.parse(lang).territories
    for code in ("US", "SG", "ID", "VN", "TH", "MY"):
        assert names[code] in page, code
    assert names["KR"] + ":" not in page  # Korea is home, not abroad
    assert RETENTION[lang] in page
    if lang != "en":
        assert "Privacy officer" not in page and "Your rights" not in page  # translated, not English


def test_countries_are_derived_from_zones_old_names_included():
    assert [zone_country(z) for z in ("Asia/Saigon", "Asia/Jakarta", "UTC", None)] == ["VN", "ID", None, None]
    assert [(d.country, d.offices) for d in destinations(
        [("Jakarta", "Asia/Jakarta"), ("Jakarta", "Asia/Bangkok"), ("Seoul", "Asia/Seoul"), ("SV", "US/Pacific")]
    )] == [("ID", ("Jakarta",)), ("TH", ("Jakarta",)), ("US", ("SV",))]


def test_the_notice_is_linked_from_the_footer_and_the_registration(client):
    for path in ("/", "/register", "/login"):
        assert 'href="/privacy"' in client.get(path).get_data(as_text=True), path


def test_every_email_links_the_notice_from_base_url(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://matchmaker.example.org")
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["matchmaker.example.org", "localhost"])
    user = make_user(Role.COMPANY, locale="ko")

    assert client.post("/reset", data={"email": user.email}).status_code == 302

    message = db.session.scalar(select(OutboxMessage))
    assert message.body_text.rstrip().endswith("https://matchmaker.example.org/privacy")
    assert "개인정보" in message.body_text  # the footer in the recipient's language
    assert 'href="https://matchmaker.example.org/privacy"' in message.body_html
