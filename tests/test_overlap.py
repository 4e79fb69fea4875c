"""Working hours across time zones on an event's day (pure: no app)."""

from datetime import UTC, date, datetime, time

from matchmaker.domain.overlap import (
    chart_svg,
    event_hours,
    is_working,
    working_overlap,
)

LA, SEOUL, JAKARTA, SINGAPORE = "America/Los_Angeles", "Asia/Seoul", "Asia/Jakarta", "Asia/Singapore"


def pattern(row) -> str:
    return "".join("#" if c.working else "." for c in row.cells)


def test_event_day_has_23_or_25_hours_on_a_switch():
    assert len(event_hours(date(2026, 3, 10), LA)) == 24
    assert len(event_hours(date(2026, 3, 8), LA)) == 23  # spring forward
    assert len(event_hours(date(2026, 11, 1), LA)) == 25  # fall back
    assert len(event_hours(date(2026, 3, 8), SEOUL)) == 24


def test_rows_follow_each_zone_through_the_us_switch():
    # Tuesday 3 March (PST): San Francisco 09-18 is 17:00-02:00 UTC; Seoul works 00:00-09:00 UTC on Wednesday.
    winter = working_overlap(date(2026, 3, 3), LA, {SEOUL: 3, LA: 2})
    summer = working_overlap(date(2026, 3, 10), LA, {SEOUL: 3, LA: 2})
    la_w, seoul_w = winter.rows
    assert la_w.zone == LA and seoul_w.zone == SEOUL  # west to east
    assert pattern(la_w) == "." * 9 + "#" * 9 + "." * 6
    # Seoul is 17 h ahead in PST, 16 h in PDT: its 09:00 Wednesday is 16:00 or 17:00 Tuesday here,
    # and the end of its Tuesday (17:00-18:00) is the first hour or two of this day.
    assert pattern(seoul_w) == "#" + "." * 15 + "#" * 8
    assert pattern(summer.rows[1]) == "##" + "." * 15 + "#" * 7
    assert winter.shared == [False] * 16 + [True, True] + [False] * 6
    assert winter.shared_window() == (datetime(2026, 3, 4, 0, 0, tzinfo=UTC), datetime(2026, 3, 4, 2, 0, tzinfo=UTC))
    assert summer.shared_window() == (datetime(2026, 3, 11, 0, 0, tzinfo=UTC), datetime(2026, 3, 11, 1, 0, tzinfo=UTC))
    assert winter.people_working[16] == 5 and winter.people_working[10] == 2


def test_zones_without_daylight_saving_share_the_same_hours_all_year():
    for day in (date(2026, 1, 6), date(2026, 7, 7)):
        overlap = working_overlap(day, JAKARTA, {SEOUL: 1, SINGAPORE: 1, JAKARTA: 1})
        assert [r.zone for r in overlap.rows] == [JAKARTA, SINGAPORE, SEOUL]
        # Jakarta 09-18, Singapore 08-17, Seoul 07-16 in Jakarta hours: all three work 09:00-16:00.
        assert overlap.shared.index(True) == 9 and sum(overlap.shared) == 7
        assert overlap.rows[2].cells[9].local.hour == 11


def test_weekends_are_off_unless_the_day_itself_is_one():
    # Monday morning in Seoul is Sunday afternoon in San Francisco: not working time there.
    assert not is_working(datetime(2026, 3, 9, 0, 0, tzinfo=UTC), LA)
    assert is_working(datetime(2026, 3, 9, 0, 0, tzinfo=UTC), SEOUL)
    saturday = working_overlap(date(2026, 3, 7), SEOUL, {SEOUL: 1})
    assert sum(c.working for c in saturday.rows[0].cells) == 9


def test_no_shared_hour_and_custom_working_hours():
    overlap = working_overlap(date(2026, 3, 10), LA, {LA: 1, JAKARTA: 1})
    assert overlap.shared_window() is None
    late = working_overlap(date(2026, 3, 10), LA, {LA: 1, JAKARTA: 1}, work_start=time(7), work_end=time(22))
    assert late.shared_window() is not None


def test_chart_has_a_row_per_zone_labels_and_the_shared_window_escaped():
    overlap = working_overlap(date(2026, 3, 3), LA, {SEOUL: 3, LA: 2})
    svg = chart_svg(overlap, {SEOUL: "Seoul (3)", LA: "<San Francisco>"}, title="Working hours",
                    description="Shared: 16:00-18:00", axis_label="Hours in Los Angeles")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title id=\"overlap-title\">Working hours</title>" in svg
    assert "Seoul (3)" in svg and "&lt;San Francisco&gt;" in svg
    assert svg.count('class="shared"') == 2
    assert svg.count('class="working"') == 9 + 9
