"""Time zones: a US daylight-saving switch in the middle of an online day, dates that differ between Seoul and
San Francisco, and a zone without DST. Every invite goes through both parsers, which must land on the same
UTC instant, and the description must name the right local times."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from test_calendar_checks import EN, KO, NOW, check_invite, meeting

from matchmaker.calendar import build_request

LA = ZoneInfo("America/Los_Angeles")
SEOUL = ZoneInfo("Asia/Seoul")


def plain(text: str) -> str:
    """Babel puts a narrow no-break space before AM/PM; compare with ordinary spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


# 2027-03-14: at 02:00 PST clocks in Los Angeles jump to 03:00 PDT (10:00 UTC). An online day for US
# investors runs 30-minute slots from 00:30 to 04:30 local time (all times from the wall clock, via zoneinfo).
DST_DAY_SLOTS = [
    (datetime(2027, 3, 14, 0, 30, tzinfo=LA), "08:30", "12:30 AM – 1:00 AM (Pacific Standard Time)"),
    (datetime(2027, 3, 14, 1, 0, tzinfo=LA), "09:00", "1:00 AM – 1:30 AM (Pacific Standard Time)"),
    # The last standard-time slot ends on the first daylight-time minute.
    (datetime(2027, 3, 14, 1, 30, tzinfo=LA), "09:30",
     "1:30 AM (Pacific Standard Time) – 3:00 AM (Pacific Daylight Time)"),
    (datetime(2027, 3, 14, 3, 0, tzinfo=LA), "10:00", "3:00 AM – 3:30 AM (Pacific Daylight Time)"),
    (datetime(2027, 3, 14, 3, 30, tzinfo=LA), "10:30", "3:30 AM – 4:00 AM (Pacific Daylight Time)"),
    (datetime(2027, 3, 14, 4, 0, tzinfo=LA), "11:00", "4:00 AM – 4:30 AM (Pacific Daylight Time)"),
]


@pytest.mark.parametrize(("start", "utc", "span"), DST_DAY_SLOTS)
def test_slots_on_either_side_of_the_us_dst_switch_parse_to_the_right_instant(start, utc, span):
    end = start.astimezone(UTC) + timedelta(minutes=30)
    m = meeting(start=start, end=end, event_timezone="America/Los_Angeles")
    for recipient_zone in ("America/Los_Angeles", "Asia/Seoul"):
        seen = check_invite(build_request(m, "en", recipient_zone, NOW, labels=EN), "REQUEST")
        assert seen.start == datetime.fromisoformat(f"2027-03-14T{utc}").replace(tzinfo=UTC)
        assert seen.end - seen.start == timedelta(minutes=30)
        assert f"Sun, Mar 14, 2027, {span}" in plain(seen.description)


def test_a_meeting_across_the_switch_is_30_minutes_and_names_both_offsets():
    start, end = datetime(2027, 3, 14, 1, 45, tzinfo=LA), datetime(2027, 3, 14, 3, 15, tzinfo=LA)
    seen = check_invite(build_request(meeting(start=start, end=end), "en", "America/Los_Angeles", NOW, labels=EN),
                        "REQUEST")
    assert (seen.start, seen.end) == (datetime(2027, 3, 14, 9, 45, tzinfo=UTC), datetime(2027, 3, 14, 10, 15,
                                                                                          tzinfo=UTC))
    assert ("When: Sun, Mar 14, 2027, 1:45 AM (Pacific Standard Time) – 3:15 AM (Pacific Daylight Time)"
            in plain(seen.description))


def test_the_autumn_switch_back_keeps_the_repeated_hour_apart():
    # 2027-11-07 01:30 happens twice in Los Angeles; fold picks the first (PDT) or the second (PST).
    first = datetime(2027, 11, 7, 1, 30, tzinfo=LA)
    second = datetime(2027, 11, 7, 1, 30, fold=1, tzinfo=LA)
    cases = (
        (first, 8, "1:30 AM (Pacific Daylight Time) – 1:00 AM (Pacific Standard Time)"),
        (second, 9, "1:30 AM – 2:00 AM (Pacific Standard Time)"),
    )
    for start, utc_hour, span in cases:
        m = meeting(start=start, end=start.astimezone(UTC) + timedelta(minutes=30))
        seen = check_invite(build_request(m, "en", "America/Los_Angeles", NOW, labels=EN), "REQUEST")
        assert seen.start == datetime(2027, 11, 7, utc_hour, 30, tzinfo=UTC)
        assert f"When: Sun, Nov 7, 2027, {span}\n" in plain(seen.description)


def test_a_meeting_on_different_dates_in_seoul_and_san_francisco_shows_both_dates():
    # 09:00 Thursday in Seoul is 16:00 Wednesday in San Francisco.
    start = datetime(2027, 3, 11, 9, 0, tzinfo=SEOUL)
    m = meeting(start=start, end=start + timedelta(minutes=30), event_timezone="America/Los_Angeles")
    seen = check_invite(build_request(m, "en", "Asia/Seoul", NOW, labels=EN), "REQUEST")
    assert seen.start == datetime(2027, 3, 11, 0, 0, tzinfo=UTC)
    assert plain(seen.description).splitlines()[0] == (
        "When: Thu, Mar 11, 2027, 9:00 AM – 9:30 AM (Korean Standard Time)"
        " / Event time: Wed, Mar 10, 2027, 4:00 PM – 4:30 PM (Pacific Standard Time)"
    )
    # For a day held in Seoul, an investor in San Francisco reads their own date first, in their language.
    m = meeting(start=start, end=start + timedelta(minutes=30), event_timezone="Asia/Seoul")
    seen = check_invite(build_request(m, "en", "America/Los_Angeles", NOW, labels=EN), "REQUEST")
    assert plain(seen.description).splitlines()[0] == (
        "When: Wed, Mar 10, 2027, 4:00 PM – 4:30 PM (Pacific Standard Time)"
        " / Event time: Thu, Mar 11, 2027, 9:00 AM – 9:30 AM (Korean Standard Time)"
    )
    seen = check_invite(build_request(m, "ko", "America/Los_Angeles", NOW, labels=KO), "REQUEST")
    assert seen.description.splitlines()[0] == (
        "일시: 2027년 3월 10일 (수) 오후 4:00 – 오후 4:30 (미 태평양 표준시)"
        " / 행사 시간: 2027년 3월 11일 (목) 오전 9:00 – 오전 9:30 (한국 표준시)"
    )


def test_a_meeting_over_midnight_repeats_the_date():
    start = datetime(2027, 3, 10, 23, 45, tzinfo=LA)
    m = meeting(start=start, end=start + timedelta(minutes=30))
    seen = check_invite(build_request(m, "en", "America/Los_Angeles", NOW, labels=EN), "REQUEST")
    assert ("Wed, Mar 10, 2027, 11:45 PM – Thu, Mar 11, 2027, 12:15 AM (Pacific Standard Time)"
            in plain(seen.description))


def test_a_zone_without_dst_jakarta():
    jakarta = ZoneInfo("Asia/Jakarta")
    for month in (1, 7):  # same offset (+07:00) winter and summer
        start = datetime(2027, month, 5, 10, 0, tzinfo=jakarta)
        m = meeting(start=start, end=start + timedelta(minutes=45), event_timezone="Asia/Jakarta")
        seen = check_invite(build_request(m, "en", "Asia/Jakarta", NOW, labels=EN), "REQUEST")
        assert seen.start == datetime(2027, month, 5, 3, 0, tzinfo=UTC)
        # Recipient and event share the zone: one time, not the same one twice.
        assert " / " not in seen.description.splitlines()[0]
        assert "10:00 AM – 10:45 AM (Western Indonesia Time)" in plain(seen.description)
        seen = check_invite(build_request(m, "ko", "Asia/Seoul", NOW, labels=KO), "REQUEST")
        assert "오후 12:00 – 오후 12:45 (한국 표준시) / " in seen.description
        assert "오전 10:00 – 오전 10:45 (서부 인도네시아 시간)" in seen.description


def test_the_input_zone_does_not_matter_only_the_instant():
    instant = datetime(2027, 3, 11, 0, 0, tzinfo=UTC)
    texts = {
        build_request(meeting(start=instant.astimezone(zone), end=(instant + timedelta(minutes=30)).astimezone(zone)),
                      "en", "Asia/Seoul", NOW, labels=EN)
        for zone in (UTC, SEOUL, LA, ZoneInfo("Asia/Jakarta"))
    }
    assert len(texts) == 1


def test_end_before_start_on_the_wall_clock_is_fine_when_later_in_real_time():
    # 01:30 PDT to 01:15 PST on 2027-11-07 is 45 minutes; Python's same-zone subtraction would say -15.
    start = datetime(2027, 11, 7, 1, 30, tzinfo=LA)
    end = datetime(2027, 11, 7, 1, 15, fold=1, tzinfo=LA)
    seen = check_invite(build_request(meeting(start=start, end=end), "en", "UTC", NOW, labels=EN), "REQUEST")
    assert seen.end - seen.start == timedelta(minutes=45)
