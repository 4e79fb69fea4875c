from datetime import UTC, datetime

import pytest

from matchmaker.domain.timefmt import format_instant, zone_name
from matchmaker.enums import Role


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.8", "다가오는 매칭 데이"),
        ("en-US,en;q=0.9", "Upcoming matchmaking days"),
        ("fr-FR,fr;q=0.9", "Upcoming matchmaking days"),  # unsupported: English
        ("de;q=0.9,ko;q=0.5", "다가오는 매칭 데이"),
    ],
)
def test_home_page_language_follows_accept_language(client, header, expected):
    page = client.get("/", headers={"Accept-Language": header})
    assert page.status_code == 200
    assert expected in page.get_data(as_text=True)


def test_language_cookie_beats_accept_language(client):
    response = client.post("/language", data={"lang": "ko", "next": "/events/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/events/"
    assert "lang=ko" in response.headers["Set-Cookie"]
    page = client.get("/", headers={"Accept-Language": "en"})
    assert "다가오는 매칭 데이" in page.get_data(as_text=True)


def test_language_switch_refuses_unknown_code_and_foreign_redirect(client):
    assert client.post("/language", data={"lang": "xx"}).status_code == 400
    response = client.post("/language", data={"lang": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_user_setting_beats_cookie(client, auth, make_user):
    user = make_user(Role.COMPANY, locale="ko")
    client.set_cookie("lang", "en")
    auth.login(user)
    assert "다가오는 매칭 데이" in client.get("/").get_data(as_text=True)


def test_switching_language_signed_in_saves_it_on_the_user(client, auth, make_user):
    user = make_user(Role.COMPANY, locale="en")
    auth.login(user)
    client.post("/language", data={"lang": "ko", "next": "/"})
    from matchmaker.extensions import db

    db.session.refresh(user)
    assert user.locale == "ko"


def test_event_times_in_viewer_zone_with_zone_named(client, auth, make_user, make_event):
    event = make_event(timezone="America/Los_Angeles")  # 09:00 local = 02:00 next day in Seoul (winter)
    anonymous = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Pacific" in anonymous  # anonymous viewers get the event's own zone
    user = make_user(Role.COMPANY, timezone="Asia/Seoul")
    auth.login(user)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Korean Standard Time" in page
    assert "Your time:" not in page or "Pacific" in page


@pytest.mark.parametrize(
    ("zone", "locale", "expected"),
    [
        ("America/Los_Angeles", "en", "Wed, Mar 10, 2027, 9:00\u202fAM (Pacific Standard Time)"),
        ("Asia/Seoul", "en", "Thu, Mar 11, 2027, 2:00\u202fAM (Korean Standard Time)"),
        ("Asia/Seoul", "ko", "2027년 3월 11일 (목) 오전 2:00 (한국 표준시)"),
        ("Asia/Jakarta", "en", "Thu, Mar 11, 2027, 12:00\u202fAM (Western Indonesia Time)"),
    ],
)
def test_format_instant_names_the_zone(zone, locale, expected):
    instant = datetime(2027, 3, 10, 17, 0, tzinfo=UTC)
    assert format_instant(instant, zone, locale) == expected


def test_format_instant_follows_daylight_saving():
    summer = datetime(2027, 7, 1, 16, 0, tzinfo=UTC)
    assert format_instant(summer, "America/Los_Angeles", "en").endswith("9:00\u202fAM (Pacific Daylight Time)")


@pytest.mark.parametrize(("header", "locale"), [("vi-VN,vi;q=0.9", "vi"), ("th-TH", "th"), ("id-ID,id", "id"),
                                                ("in", "id")])
def test_home_page_in_every_supported_language(app, client, header, locale):
    from flask_babel import force_locale, gettext

    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    with app.test_request_context(), force_locale(locale):
        heading = gettext("Upcoming matchmaking days")
    assert heading != "Upcoming matchmaking days"
    assert f'<html lang="{locale}">' in page
    assert heading in page


def test_thai_dates_stay_gregorian():
    assert "2027" in format_instant(datetime(2027, 3, 10, 3, 0, tzinfo=UTC), "Asia/Bangkok", "th")


@pytest.mark.parametrize(
    ("zone", "locale", "with_id", "expected"),
    [
        ("Asia/Seoul", "en", True, "Korean Time (Asia/Seoul)"),
        ("Asia/Seoul", "ko", False, "한국 시간"),
        ("Asia/Jakarta", "id", False, "Waktu Indonesia (Jakarta)"),
        ("Asia/Ho_Chi_Minh", "vi", False, "Giờ Việt Nam"),
        ("UTC", "en", True, "Coordinated Universal Time (UTC)"),  # no region: the offset's name
        ("Etc/GMT-9", "en", False, "GMT+09:00"),
    ],
)
def test_zone_names_read_as_words_in_the_reader_language(zone, locale, with_id, expected):
    assert zone_name(zone, locale, with_id) == expected


def test_footer_and_zone_picker_name_zones_in_the_reader_language(client, auth, make_user):
    user = make_user(Role.COMPANY, timezone="Asia/Seoul", locale="ko")
    auth.login(user)
    page = client.get("/settings").get_data(as_text=True)
    assert "한국 시간 (Asia/Seoul)" in page  # the footer
    assert '<option selected value="Asia/Seoul">Asia/Seoul · 한국 시간</option>' in page


def test_organization_zone_where_it_is_or_where_its_people_read(make_user, make_org):
    from matchmaker.domain.zones import organization_zone
    from matchmaker.enums import OrgKind

    org = make_org(OrgKind.BUYER, timezone="Asia/Jakarta")
    make_user(Role.PARTNER, organization=org, timezone="Europe/Berlin", active=False)  # left: not counted
    make_user(Role.PARTNER, organization=org, timezone="Asia/Seoul")
    assert organization_zone(org) == "Asia/Jakarta"
    assert organization_zone(org, people_first=True) == "Asia/Seoul"
    org.timezone = "Mars/Olympus_Mons"  # not a zone: skipped, never shown or computed with
    assert organization_zone(org) == "Asia/Seoul"
    lone = make_org(OrgKind.BUYER, timezone=None)
    assert organization_zone(lone) is None and organization_zone(lone, people_first=True) is None
