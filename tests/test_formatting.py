"""Money, relative times and calendars in each of the five languages."""

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale

from matchmaker.domain.timefmt import format_calendar_date, format_instant, with_buddhist_year
from matchmaker.formatting import format_money, format_relative

NBSP = "\xa0"


@pytest.fixture
def in_locale(app):
    def run(locale, fn, *args):
        with app.test_request_context(), force_locale(locale):
            return fn(*args)

    return run


@pytest.mark.parametrize(("locale", "currency", "expected"), [
    ("en", "USD", "$1,500,000.40"),
    ("ko", "USD", "US$1,500,000.40"),
    ("ko", "KRW", "₩1,500,000"),
    ("en", "KRW", "₩1,500,000"),
    ("vi", "VND", f"1.500.000{NBSP}₫"),
    ("vi", "USD", f"1.500.000,40{NBSP}US$"),
    ("id", "IDR", "Rp1.500.000"),
    ("en", "IDR", "IDR1,500,000"),
    ("th", "THB", "฿1,500,000.40"),
    ("en", "SGD", "SGD1,500,000.40"),
    ("id", "MYR", "MYR1.500.000,40"),
])
def test_money_in_each_locale(in_locale, locale, currency, expected):
    assert in_locale(locale, format_money, 1500000.4, currency) == expected


@pytest.mark.parametrize("currency", ["KRW", "VND", "IDR"])
@pytest.mark.parametrize("locale", ["ko", "en", "vi", "th", "id"])
def test_currencies_without_minor_units_have_no_decimals(in_locale, locale, currency):
    text = in_locale(locale, format_money, 1234.56, currency)
    digits = "".join(ch for ch in text if ch.isdigit())
    assert digits == "1235"  # rounded to a whole unit, no fraction shown


def test_money_of_nothing_is_empty(in_locale):
    assert in_locale("en", format_money, None, "USD") == ""


NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("locale", "future", "past"), [
    ("en", "in 2 hours", "3 days ago"),
    ("ko", "2시간 후", "3일 전"),
    ("vi", "sau 2 giờ nữa", "3 ngày trước"),
    ("th", "ในอีก 2 ชั่วโมง", "3 วันที่ผ่านมา"),
    ("id", "dalam 2 jam", "3 hari yang lalu"),
])
def test_relative_time_both_directions(in_locale, locale, future, past):
    assert in_locale(locale, format_relative, NOW + timedelta(hours=2), NOW) == future
    assert in_locale(locale, format_relative, NOW - timedelta(days=3), NOW) == past


DAY = date(2026, 3, 14)


@pytest.mark.parametrize(("form", "expected"), [
    ("short", "14/3/69"),
    ("medium", "14 มี.ค. 2569"),
    ("long", "14 มีนาคม พ.ศ. 2569"),
    ("full", "วันเสาร์ที่ 14 มีนาคม พ.ศ. 2569"),
    ("yMMMEd", "เสาร์ 14 มี.ค. 2569"),
])
def test_buddhist_calendar_adds_543_in_every_length(form, expected):
    assert format_calendar_date(DAY, form, "th", "buddhist") == expected


@pytest.mark.parametrize(("form", "expected"), [
    ("short", "14/3/26"),
    ("medium", "14 มี.ค. 2026"),
    ("long", "14 มีนาคม ค.ศ. 2026"),
    ("full", "วันเสาร์ที่ 14 มีนาคม ค.ศ. 2026"),
])
def test_thai_dates_are_gregorian_by_default(form, expected):
    assert format_calendar_date(DAY, form, "th") == expected
    assert format_calendar_date(DAY, form, "th", "gregorian") == expected


def test_buddhist_year_keeps_quoted_literals_and_two_digit_years():
    assert with_buddhist_year("d/M/yy 'year y' G y", 2026, "th") == "d/M/'69' 'year y' 'พ.ศ.' '2569'"
    assert with_buddhist_year("y 'o''clock'", 2026, "en") == "'2569' 'o''clock'"


def test_buddhist_calendar_in_instants_and_year_end():
    instant = datetime(2026, 12, 31, 18, 0, tzinfo=UTC)  # already 1 January 2027 in Bangkok
    text = format_instant(instant, "Asia/Bangkok", "th", "buddhist")
    assert "2570" in text and "2027" not in text
    assert "2027" in format_instant(instant, "Asia/Bangkok", "th")


@pytest.mark.parametrize(("form", "expected"), [
    ("short", "26. 3. 14."),
    ("medium", "2026. 3. 14."),
    ("long", "2026년 3월 14일"),
    ("full", "2026년 3월 14일 토요일"),
])
def test_korean_dates_are_year_month_day(form, expected):
    assert format_calendar_date(DAY, form, "ko") == expected


def test_other_locales_keep_their_own_order():
    assert format_calendar_date(DAY, "medium", "en") == "Mar 14, 2026"
    assert format_calendar_date(DAY, "short", "vi") == "14/3/26"
    assert format_calendar_date(DAY, "long", "id") == "14 Maret 2026"


def test_settings_calendar_choice_is_saved_and_used(client, auth, make_user):
    from matchmaker.extensions import db

    user = make_user(locale="th", timezone="Asia/Bangkok")
    auth.login(user)
    response = client.post("/settings", data={"name": user.name, "locale": "th", "timezone": "Asia/Bangkok",
                                              "calendar": "buddhist"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.calendar == "buddhist"
    response = client.post("/settings", data={"name": user.name, "locale": "th", "timezone": "Asia/Bangkok",
                                              "calendar": "julian"})
    assert response.status_code == 200
    db.session.refresh(user)
    assert user.calendar == "buddhist"


def test_mail_dates_follow_the_recipients_calendar_not_the_actors(app, make_user):
    from flask import render_template_string
    from flask_login import login_user

    actor = make_user(calendar="buddhist")
    recipient = make_user(calendar=None)
    when = datetime(2026, 3, 14, 3, 0, tzinfo=UTC)
    with app.test_request_context():
        login_user(actor)
        page = render_template_string("{{ when|instant('Asia/Bangkok') }}", when=when)
        mail = render_template_string("{{ when|instant(recipient_zone) }}", when=when, user=recipient,
                                      recipient_zone="Asia/Bangkok")
    assert "2569" in page
    assert "2026" in mail and "2569" not in mail
