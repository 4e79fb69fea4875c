"""The rule of which clock comes first (domain/clocks.py): the venue's in person, the reader's own online, one time
when both read the same; and its texts."""

from datetime import UTC, datetime

import pytest

from matchmaker.domain.clocks import THEIRS, VENUE, YOURS, Clock, clocks, meets_in_person, one_line, shown_times

NNBSP = "\u202f"
JAKARTA, SEOUL, LA, TOKYO = "Asia/Jakarta", "Asia/Seoul", "America/Los_Angeles", "Asia/Tokyo"
AT = datetime(2027, 3, 10, 7, 0, tzinfo=UTC)  # 2:00 PM in Jakarta, 4:00 PM in Seoul


@pytest.mark.parametrize("mode, table, expected", [
    ("in_person", "T1", True), ("in_person", None, True), ("online", None, False), ("online", "T1", False),
    ("hybrid", "T3", True), ("hybrid", None, False), ("hybrid", "", False),
])
def test_meets_in_person(mode, table, expected):
    assert meets_in_person(mode, table) is expected


def test_in_person_venue_first_then_the_reader():
    assert clocks(True, JAKARTA, SEOUL, LA, at=AT) == (Clock(JAKARTA, VENUE), Clock(SEOUL, YOURS))


def test_online_reader_first_then_the_other_party():
    assert clocks(False, JAKARTA, SEOUL, LA, at=AT) == (Clock(SEOUL, YOURS), Clock(LA, THEIRS))


@pytest.mark.parametrize("mode, table, first", [("hybrid", "T2", JAKARTA), ("hybrid", None, SEOUL)])
def test_hybrid_follows_the_table(mode, table, first):
    assert clocks(meets_in_person(mode, table), JAKARTA, SEOUL, LA, at=AT)[0].zone == first


@pytest.mark.parametrize("in_person, venue, reader, their", [
    (True, JAKARTA, JAKARTA, None), (False, LA, SEOUL, SEOUL), (False, LA, SEOUL, TOKYO), (True, SEOUL, TOKYO, None),
])
def test_a_clock_reading_the_same_is_shown_once(in_person, venue, reader, their):
    assert len(clocks(in_person, venue, reader, their, at=AT)) == 1


def test_same_offset_other_zone_at_the_venue_is_one_time():
    assert clocks(True, SEOUL, TOKYO, at=AT) == (Clock(SEOUL, VENUE),)


def test_anonymous_reader_sees_the_venue_clock():
    assert clocks(False, JAKARTA, None, LA, at=AT) == (Clock(JAKARTA, VENUE), Clock(LA, THEIRS))
    assert clocks(True, JAKARTA, "Not/AZone", at=AT) == (Clock(JAKARTA, VENUE),)


def test_texts_full_first_then_hints():
    shown = shown_times(AT, clocks(True, JAKARTA, SEOUL, at=AT), "en")
    assert shown[0].text == f"Wed, Mar 10, 2027, 2:00{NNBSP}PM (Western Indonesia Time)"
    assert shown[1].text == f"4:00{NNBSP}PM (Korean Standard Time)"
    line = one_line(shown, {YOURS: "Your time: %(when)s"})
    assert line == (f"Wed, Mar 10, 2027, 2:00{NNBSP}PM (Western Indonesia Time)"
                    f" · Your time: 4:00{NNBSP}PM (Korean Standard Time)")


def test_hint_on_another_date_names_it():
    late = datetime(2027, 3, 10, 16, 0, tzinfo=UTC)  # 11 PM in Jakarta, 1 AM next day in Seoul
    shown = shown_times(late, clocks(True, JAKARTA, SEOUL, at=late), "en")
    assert shown[1].text == f"1:00{NNBSP}AM (Korean Standard Time), Thu, Mar 11"
    korean = shown_times(AT, clocks(True, JAKARTA, SEOUL, at=AT), "ko")
    assert korean[0].text != shown[0].text and "4:00" in korean[1].text
