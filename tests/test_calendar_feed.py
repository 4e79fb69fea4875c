"""The subscription feed: no METHOD, the invites' UIDs, cancelled meetings marked, nobody's address exposed."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from test_calendar_checks import EN, KO, NOW, check_invite, check_raw, meeting, parse_both, props, unfold

from matchmaker.calendar import build_feed, build_request


def _day():
    first = meeting(uid="m-1@matchmaker.test")
    second = replace(first, uid="m-2@matchmaker.test", sequence=4, start=first.start + timedelta(hours=1),
                     end=first.end + timedelta(hours=1), counterparts=("Seoul Robotics",))
    dropped = replace(first, uid="m-3@matchmaker.test", sequence=2, status="CANCELLED",
                      start=first.start + timedelta(hours=2), end=first.end + timedelta(hours=2))
    return [dropped, second, first]  # out of order on purpose


def test_feed_has_no_method_and_every_meeting_in_time_order():
    text = build_feed(_day(), "내 미팅 — K-ICT 2027", labels=KO, locale="ko", zone="Asia/Seoul", now=NOW)
    check_raw(text, None)
    seen = parse_both(text)
    assert [s.uid for s in seen] == ["m-1@matchmaker.test", "m-2@matchmaker.test", "m-3@matchmaker.test"]
    assert [s.method for s in seen] == [None] * 3
    assert [s.sequence for s in seen] == [0, 4, 2]
    assert [s.status for s in seen] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert seen[2].summary.startswith("취소됨: 미팅:")
    calendar = props(text, "VCALENDAR")
    assert calendar["NAME"] == ["NAME:내 미팅 — K-ICT 2027"]
    assert calendar["X-WR-CALNAME"] == ["X-WR-CALNAME:내 미팅 — K-ICT 2027"]
    assert calendar["REFRESH-INTERVAL"] == ["REFRESH-INTERVAL;VALUE=DURATION:PT1H"]
    assert calendar["X-PUBLISHED-TTL"] == ["X-PUBLISHED-TTL:PT1H"]


def test_feed_uses_the_same_uid_sequence_and_times_as_the_invites():
    day = _day()
    feed = {s.uid: s for s in parse_both(build_feed(day, "x", labels=EN, locale="en", zone="UTC", now=NOW))}
    for m in day:
        if m.cancelled:
            continue
        invite = check_invite(build_request(m, "en", "UTC", NOW, labels=EN), "REQUEST")
        same = feed[m.uid]
        assert (same.sequence, same.start, same.end, same.summary) == (
            invite.sequence, invite.start, invite.end, invite.summary)


def test_feed_exposes_no_email_addresses():
    text = build_feed(_day(), "x", labels=EN, locale="en", zone="UTC", now=NOW)
    assert "mailto:" not in text and "ATTENDEE" not in text and "ORGANIZER" not in text
    assert all(s.attendees == () and s.organizer is None for s in parse_both(text))


def test_cancelled_meeting_stops_blocking_time_in_the_feed():
    text = build_feed(_day(), "x", labels=EN, locale="en", zone="UTC", now=NOW)
    transp = [line for line in unfold(text) if line.startswith("TRANSP")]
    assert transp == ["TRANSP:OPAQUE", "TRANSP:OPAQUE", "TRANSP:TRANSPARENT"]


def test_an_empty_feed_still_parses():
    # RFC 5545 asks for at least one component; clients and both parsers accept an empty calendar, which is
    # what a person with no meetings yet should see rather than an error.
    text = build_feed([], "x", labels=EN, locale="en", zone="UTC", now=NOW)
    check_raw(text, None)
    assert parse_both(text) == []


def test_duplicate_uids_are_refused():
    with pytest.raises(ValueError, match="UID"):
        build_feed([meeting(), meeting()], "x", labels=EN, locale="en", zone="UTC", now=NOW)


def test_feed_times_are_utc_instants():
    start = datetime(2027, 3, 14, 10, 0, tzinfo=UTC)  # the first PDT minute in Los Angeles
    text = build_feed([meeting(start=start, end=start + timedelta(minutes=30))], "x", labels=EN, locale="en",
                      zone="America/Los_Angeles", now=NOW)
    (seen,) = parse_both(text)
    assert seen.start == start
    assert "3:00\u202fAM – 3:30\u202fAM (Pacific Daylight Time)" in seen.description
