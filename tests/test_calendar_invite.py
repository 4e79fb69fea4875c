"""iTIP invites: required properties, both parsers agree, the meeting's life keeps one UID, Korean survives."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_calendar_checks import EN, KO, NOW, check_invite, check_raw, meeting, props, unfold, value

from matchmaker.calendar import MeetingInfo, Person, build_cancel, build_request

PACKAGE = Path(__file__).resolve().parent.parent / "matchmaker"


def test_request_has_every_required_property_and_both_parsers_agree():
    m = meeting()
    text = build_request(m, "en", "Asia/Seoul", NOW, labels=EN)
    seen = check_invite(text, "REQUEST")
    assert (seen.uid, seen.sequence, seen.status) == (m.uid, 0, "CONFIRMED")
    assert (seen.start, seen.end) == (m.start, m.end)
    assert seen.organizer == "office@matchmaker.test"
    assert seen.attendees == (
        ("jane@ggv.test", "Jane O'Neil, CFA", "REQ-PARTICIPANT", "NEEDS-ACTION", True),
        ("minji@hanbit.test", "김민지", "REQ-PARTICIPANT", "NEEDS-ACTION", True),
    )
    event = props(text, "VEVENT")
    assert event["DTSTAMP"] == ["DTSTAMP:20270201T093000Z"]
    assert event["TRANSP"] == ["TRANSP:OPAQUE"]
    assert 'CN="K-ICT 매칭 사무국"' in event["ORGANIZER"][0]
    assert props(text, "VCALENDAR")["PRODID"] == ["PRODID:-//Matchmaker//Meeting invites 1.0//EN"]


def test_online_meeting_puts_the_link_in_location_url_and_conference():
    text = build_request(meeting(url=None), "en", "Asia/Seoul", NOW, labels=EN)
    seen = check_invite(text, "REQUEST")
    link = "https://meet.example.test/k-ict-42"
    assert (seen.location, seen.url, seen.conferences) == (link, link, (link,))
    (conference,) = props(text, "VEVENT")["CONFERENCE"]
    assert conference.startswith("CONFERENCE;") and ";VALUE=URI" in conference.split(":")[0]
    assert f"Join online: {link}" in seen.description


def test_in_person_meeting_names_table_and_venue_and_has_no_conference():
    m = meeting(location="Table 12 · COEX Hall B, Seoul", conference_url=None)
    text = build_request(m, "en", "Asia/Seoul", NOW, labels=EN)
    seen = check_invite(text, "REQUEST")
    assert seen.location == "Table 12 · COEX Hall B, Seoul"
    assert seen.conferences == () and seen.url == "https://matchmaker.test/meetings/42"
    assert "Where: Table 12 · COEX Hall B, Seoul" in seen.description
    assert "CONFERENCE" not in text


def test_summary_and_description_are_in_the_recipients_language():
    seen = check_invite(build_request(meeting(), "ko", "Asia/Seoul", NOW, labels=KO), "REQUEST")
    assert seen.summary == "미팅: 주식회사 한빛소프트, Golden Gate Ventures (K-ICT 글로벌 투자 상담회 2027)"
    assert seen.description.splitlines()[0].startswith("일시: 2027년 3월 11일 (목) 오전 9:00")
    assert "공통 관심사: 클라우드 보안, B2B SaaS" in seen.description
    assert "자세히: https://matchmaker.test/meetings/42" in seen.description
    text = build_request(meeting(), "ko", "Asia/Seoul", NOW, labels=KO)
    assert props(text, "VEVENT")["SUMMARY"][0].startswith("SUMMARY;LANGUAGE=ko:")
    english = build_request(meeting(), "en_US", "Asia/Seoul", NOW, labels=EN)
    assert props(english, "VEVENT")["DESCRIPTION"][0].startswith("DESCRIPTION;LANGUAGE=en-US:")


def test_long_korean_lines_fold_at_75_octets_between_characters():
    long_name = "주식회사 " + "가나다라마바사아자차카타파하" * 6
    reasons = tuple(f"추천 이유 {i}: " + "인공지능 기반 클라우드 보안 솔루션의 북미 시장 진출 " * 3 for i in range(3))
    m = meeting(counterparts=(long_name, "Golden Gate Ventures"), description=reasons)
    text = build_request(m, "ko", "Asia/Seoul", NOW, labels=KO)
    check_raw(text, "REQUEST")  # every physical line <= 75 octets and valid UTF-8 on its own
    folded = [line for line in text.split("\r\n") if line.startswith(" ")]
    assert len(folded) > 10
    seen = check_invite(text, "REQUEST")
    assert long_name in seen.summary
    assert all(reason in seen.description for reason in reasons)


def test_names_with_commas_quotes_and_hangul_survive_in_parameters():
    people = (Person('Robert "Bob" Lee, PhD', "bob@ggv.test"), Person("이서연; 대표", "seoyeon@hanbit.test"))
    seen = check_invite(build_request(meeting(attendees=people), "en", "UTC", NOW, labels=EN), "REQUEST")
    assert [a[1] for a in seen.attendees] == ["Robert 'Bob' Lee, PhD", "이서연; 대표"]


def test_same_input_gives_byte_identical_output():
    # No random UID or clock reading anywhere: a resend is the same text.
    first = build_request(meeting(), "en", "Asia/Seoul", NOW, labels=EN)
    assert build_request(meeting(), "en", "Asia/Seoul", NOW, labels=EN) == first
    assert [line for line in unfold(first) if line.startswith("UID")] == ["UID:meeting-42-7f3a@matchmaker.test"]


def test_cancel_keeps_the_uid_and_marks_the_event_cancelled():
    m = meeting(sequence=3)
    text = build_cancel(m, "en", "Asia/Seoul", NOW, labels=EN)
    seen = check_invite(text, "CANCEL")
    assert (seen.uid, seen.sequence, seen.status) == (m.uid, 3, "CANCELLED")
    assert seen.summary.startswith("Cancelled: Meeting:")
    assert seen.description.startswith("This meeting has been cancelled.")
    assert props(text, "VEVENT")["TRANSP"] == ["TRANSP:TRANSPARENT"]


def test_request_cancel_lifecycle_keeps_one_uid_and_raises_sequence():
    """REQUEST -> moved REQUEST -> CANCEL, as the attendee's client receives them."""
    first = meeting()
    moved = replace(first, sequence=1, start=first.start + timedelta(hours=2), end=first.end + timedelta(hours=2))
    cancelled = replace(moved, sequence=2, status="CANCELLED")
    seen = [
        check_invite(build_request(first, "en", "Asia/Seoul", NOW, labels=EN), "REQUEST"),
        check_invite(build_request(moved, "en", "Asia/Seoul", NOW + timedelta(days=1), labels=EN), "REQUEST"),
        check_invite(build_cancel(cancelled, "en", "Asia/Seoul", NOW + timedelta(days=2), labels=EN), "CANCEL"),
    ]
    assert {s.uid for s in seen} == {first.uid}
    assert [s.sequence for s in seen] == [0, 1, 2]
    assert [s.start.hour for s in seen] == [0, 2, 2]
    assert [s.status for s in seen] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]


def test_a_cancelled_meeting_cannot_go_out_as_a_request():
    with pytest.raises(ValueError, match="build_cancel"):
        build_request(meeting(status="CANCELLED"), "en", "UTC", NOW, labels=EN)


def test_an_invite_without_attendees_is_refused():
    with pytest.raises(ValueError, match="ATTENDEE"):
        build_request(meeting(attendees=()), "en", "UTC", NOW, labels=EN)


@pytest.mark.parametrize(
    "changes",
    [
        {"start": datetime(2027, 3, 11, 9, 0)},  # naive: would become a floating time
        {"end": datetime(2027, 3, 10, 0, 0, tzinfo=UTC)},  # before the start
        {"sequence": -1},
        {"uid": "two words"},
        {"event_timezone": "Mars/Olympus_Mons"},
        {"status": "TENTATIVE"},
    ],
)
def test_meeting_info_refuses_what_would_make_a_broken_invite(changes):
    with pytest.raises(Exception):  # noqa: B017 - ValueError or ZoneInfoNotFoundError (a KeyError)
        meeting(**changes)


def test_a_bad_email_address_is_refused():
    with pytest.raises(ValueError, match="e-mail"):
        build_request(meeting(attendees=[("Kim", "not an address")]), "en", "UTC", NOW, labels=EN)


def test_dtstamp_is_written_in_utc_whatever_zone_now_has():
    from zoneinfo import ZoneInfo

    now = datetime(2027, 2, 1, 18, 30, tzinfo=ZoneInfo("Asia/Seoul"))
    text = build_request(meeting(), "en", "UTC", now, labels=EN)
    assert value(props(text, "VEVENT")["DTSTAMP"][0]) == "20270201T093000Z"


def test_meeting_info_is_plain_data():
    m = meeting(counterparts=["A", "B"], attendees=[("Kim", "kim@a.test")], description=["x"])
    assert isinstance(m, MeetingInfo) and m.counterparts == ("A", "B") and m.attendees[0].email == "kim@a.test"
    assert hash(m)  # frozen and built from tuples: usable as a key
