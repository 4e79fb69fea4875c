"""Times in the reader's zone with the zone named, and the other party's time beside them: across the US
daylight-saving switch, on different dates in the two zones, and in zones without daylight saving."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from matchmaker.domain.timefmt import format_instant, other_date, their_time
from matchmaker.enums import EventMode, OrgKind, RequestStatus, Role
from matchmaker.extensions import db

NNBSP = "\u202f"  # CLDR puts a narrow no-break space before AM/PM
LA, SEOUL = "America/Los_Angeles", "Asia/Seoul"

# 2026-03-08 is the second Sunday of March: Los Angeles goes from PST (-08) to PDT (-07) at 02:00.
BEFORE = datetime(2026, 3, 7, 18, 0, tzinfo=UTC)  # Saturday 10:00 PST
AFTER = datetime(2026, 3, 8, 17, 0, tzinfo=UTC)  # Sunday 10:00 PDT


def test_los_angeles_ten_oclock_before_and_after_the_switch():
    assert their_time(BEFORE, LA, "en", SEOUL) == f"10:00{NNBSP}AM (Los Angeles, PST), Sat, Mar 7"
    assert their_time(AFTER, LA, "en", SEOUL) == f"10:00{NNBSP}AM (Los Angeles, PDT), Sun, Mar 8"
    # Seoul is 17 h ahead in US winter, 16 h in US summer.
    assert format_instant(BEFORE, "Asia/Seoul", "en") == f"Sun, Mar 8, 2026, 3:00{NNBSP}AM (Korean Standard Time)"
    assert format_instant(AFTER, "Asia/Seoul", "en") == f"Mon, Mar 9, 2026, 2:00{NNBSP}AM (Korean Standard Time)"


def test_a_meeting_on_different_dates_shows_the_other_date():
    assert other_date(AFTER, "America/Los_Angeles", "Asia/Seoul")
    assert their_time(AFTER, SEOUL, "en", LA) == f"2:00{NNBSP}AM (Seoul, GMT+09:00), Mon, Mar 9"
    # Same date in both zones: no date in the hint.
    noon = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)
    assert not other_date(noon, "Asia/Jakarta", "Asia/Seoul")
    assert their_time(noon, "Asia/Jakarta", "en", "Asia/Seoul") == f"10:00{NNBSP}AM (Jakarta, GMT+07:00)"


@pytest.mark.parametrize("instant", [
    datetime(2026, 1, 15, 2, 0, tzinfo=UTC), BEFORE, AFTER, datetime(2026, 7, 1, 2, 0, tzinfo=UTC),
    datetime(2026, 11, 1, 9, 30, tzinfo=UTC),  # the US fall-back day
])
def test_zones_without_daylight_saving_keep_their_distance(instant):
    seoul = instant.astimezone(ZoneInfo("Asia/Seoul"))
    jakarta = instant.astimezone(ZoneInfo("Asia/Jakarta"))
    assert seoul.utcoffset().total_seconds() == 9 * 3600
    assert jakarta.utcoffset().total_seconds() == 7 * 3600
    assert "GMT+09:00" in their_time(instant, "Asia/Seoul", "en", "UTC")
    assert "GMT+07:00" in their_time(instant, "Asia/Jakarta", "en", "UTC")


def test_thai_reader_sees_the_other_date_in_thai():
    assert their_time(AFTER, "Asia/Seoul", "th", "America/Los_Angeles")== "02:00 น. (โซล, GMT+09:00), จันทร์ 9 มี.ค."


@pytest.fixture
def online_meeting(make_office, make_program, make_event, make_org, make_user, make_participation, make_request,
                   add_meeting):
    """An online day in Los Angeles on the switch day; a Seoul company meets a San Francisco investor at 10:00."""
    program = make_program(make_office(), start_date=date(2026, 3, 1), end_date=date(2026, 3, 31))
    event = make_event(program, mode=EventMode.ONLINE, timezone="America/Los_Angeles", date=date(2026, 3, 8),
                       day_start=time(10), day_end=time(11), published=True)
    company = make_user(Role.COMPANY, timezone="Asia/Seoul",
                        organization=make_org(OrgKind.COMPANY, timezone="Asia/Seoul"))
    investor = make_user(Role.PARTNER, timezone="America/Los_Angeles",
                         organization=make_org(OrgKind.INVESTOR, timezone="America/Los_Angeles"))
    for user in (company, investor):
        make_participation(event, user.organization)
    item = make_request(event, company.organization, investor.organization, status=RequestStatus.ACCEPTED)
    meeting = add_meeting(item)
    assert meeting.start_dt == AFTER
    return company, investor, meeting, item


def test_agenda_and_meeting_page_show_their_time_with_the_other_date(client, auth, online_meeting):
    company, investor, meeting, item = online_meeting
    auth.login(company)
    for url in ("/agenda", f"/meetings/{meeting.id}", f"/requests/{item.id}"):
        page = client.get(url).get_data(as_text=True)
        assert f"Mon, Mar 9, 2026, 2:00{NNBSP}AM (Korean Standard Time)" in page, url
        assert f"Their time: 10:00{NNBSP}AM (Los Angeles, PDT), Sun, Mar 8" in page, url
        assert "Event time:" not in page  # the event's zone is the investor's: said once


def test_the_other_side_sees_seoul_time(client, auth, online_meeting):
    company, investor, meeting, item = online_meeting
    auth.login(investor)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"Sun, Mar 8, 2026, 10:00{NNBSP}AM (Pacific Daylight Time)" in page
    assert f"Their time: 2:00{NNBSP}AM (Seoul, GMT+09:00), Mon, Mar 9" in page


def test_in_person_day_shows_the_venue_time_first_then_the_readers(client, auth, online_meeting):
    company, investor, meeting, item = online_meeting
    meeting.event.mode = EventMode.IN_PERSON
    db.session.commit()
    auth.login(company)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Their time:" not in page
    venue = page.index(f"Sun, Mar 8, 2026, 10:00{NNBSP}AM (Pacific Daylight Time)")
    assert page.index(f"Your time: 2:00{NNBSP}AM (Korean Standard Time), Mon, Mar 9") > venue


def test_buddhist_calendar_reader_sees_thai_years_on_pages(client, auth, online_meeting):
    company, investor, meeting, item = online_meeting
    company.calendar = "buddhist"
    db.session.commit()
    auth.login(company)
    page = client.get("/agenda").get_data(as_text=True)
    assert f"Mon, Mar 9, 2569, 2:00{NNBSP}AM (Korean Standard Time)" in page
