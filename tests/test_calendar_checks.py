"""Independent checkers for the calendar text, shared by the test_calendar_* modules, and tests of the checkers.

Each invite is read by two parsers that share no code: `ical` (strict RFC 5545, pydantic models) and
`vobject` (what Radicale uses). `ical` silently invents a missing UID, DTSTAMP, VERSION or PRODID, so the
raw text is checked here as well. CHECKED counts the invites each checker has seen (for reports).
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from matchmaker.calendar import Labels, MeetingInfo, Person

CHECKED: Counter[str] = Counter()

EN = Labels(
    summary="Meeting: %(counterparts)s (%(event)s)",
    cancelled_summary="Cancelled: %(summary)s",
    when="When",
    where="Where",
    join="Join online",
    details="Details",
    cancelled="This meeting has been cancelled.",
)
KO = Labels(
    summary="미팅: %(counterparts)s (%(event)s)",
    cancelled_summary="취소됨: %(summary)s",
    when="일시",
    where="장소",
    join="온라인 참가",
    details="자세히",
    cancelled="이 미팅은 취소되었습니다.",
    your_time="내 시간: %(when)s",
    their_time="상대 시간: %(when)s",
    event_time="행사 시간: %(when)s",
)
NOW = datetime(2027, 2, 1, 9, 30, tzinfo=UTC)


def meeting(**changes) -> MeetingInfo:
    """An online meeting between a Korean company and a US investor; `changes` override any field."""
    base = MeetingInfo(
        uid="meeting-42-7f3a@matchmaker.test",
        sequence=0,
        start=datetime(2027, 3, 11, 0, 0, tzinfo=UTC),
        end=datetime(2027, 3, 11, 0, 30, tzinfo=UTC),
        event_title="K-ICT 글로벌 투자 상담회 2027",
        event_timezone="America/Los_Angeles",
        counterparts=("주식회사 한빛소프트", "Golden Gate Ventures"),
        organizer=Person("K-ICT 매칭 사무국", "office@matchmaker.test"),
        attendees=(Person("김민지", "minji@hanbit.test"), Person("Jane O'Neil, CFA", "jane@ggv.test")),
        conference_url="https://meet.example.test/k-ict-42",
        url="https://matchmaker.test/meetings/42",
        description=("공통 관심사: 클라우드 보안, B2B SaaS", "Both target US enterprise buyers"),
    )
    return replace(base, **changes)


# --- raw text ---------------------------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    """Content lines, unfolded (RFC 5545 3.1)."""
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def props(text: str, component: str) -> dict[str, list[str]]:
    """Property name -> raw lines (with parameters) directly inside the first `component`."""
    found: dict[str, list[str]] = {}
    depth = None
    for line in unfold(text):
        if line == f"BEGIN:{component}" and depth is None:
            depth = 0
        elif depth is not None and line.startswith("BEGIN:"):
            depth += 1
        elif depth is not None and line.startswith("END:"):
            if depth == 0:
                break
            depth -= 1
        elif depth == 0:
            name = line.split(":", 1)[0].split(";", 1)[0]
            found.setdefault(name, []).append(line)
    return found


def value(line: str) -> str:
    """The value part of a content line (property values here never hold a quoted colon before it)."""
    head, _, rest = line.partition(":")
    while head.count('"') % 2:  # a colon inside a quoted parameter (CN="a:b") is not the separator
        more, _, rest = rest.partition(":")
        head += ":" + more
    return rest


def check_raw(text: str | bytes, method: str | None) -> None:
    """What the parsers would forgive: line breaks, folding, required properties, UTC times.

    Bytes are what goes over the wire; a str is checked as its UTF-8 encoding."""
    CHECKED["raw"] += 1
    data = text.encode("utf-8") if isinstance(text, str) else text
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b""), "CRLF line endings only"
    for physical in data.split(b"\r\n"):
        assert len(physical) <= 75, f"line longer than 75 octets: {physical!r}"
        physical.decode("utf-8")  # a fold inside a multibyte character would raise here
    text = data.decode("utf-8")
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    calendar = props(text, "VCALENDAR")
    assert calendar["VERSION"] == ["VERSION:2.0"]
    assert len(calendar["PRODID"]) == 1
    assert calendar.get("METHOD") == ([f"METHOD:{method}"] if method else None)
    assert "VTIMEZONE" not in text and "TZID" not in text, "times go out in UTC, no zone definitions"
    events = lines.count("BEGIN:VEVENT")
    assert events == lines.count("END:VEVENT")
    if method:
        assert events == 1, "an iTIP message carries one meeting"
    for chunk in text.split("BEGIN:VEVENT")[1:]:
        event = props("BEGIN:VEVENT" + chunk, "VEVENT")
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "STATUS"):
            assert len(event.get(name, [])) == 1, f"{name} once in every VEVENT"
        for name in ("DTSTAMP", "DTSTART", "DTEND"):
            assert event[name][0].startswith(f"{name}:") and event[name][0].endswith("Z"), f"{name} in UTC"
        if method:
            assert len(event["ORGANIZER"]) == 1 and value(event["ORGANIZER"][0]).startswith("mailto:")
            assert event["ATTENDEE"], "iTIP REQUEST and CANCEL need ATTENDEEs"
            for attendee in event["ATTENDEE"]:
                head = attendee.split(":mailto:")[0]
                for param in ("CN=", "ROLE=REQ-PARTICIPANT", "PARTSTAT=NEEDS-ACTION", "RSVP=TRUE"):
                    assert param in head, f"{param} on {attendee}"
        if method == "CANCEL":
            assert event["STATUS"] == ["STATUS:CANCELLED"]


# --- the two parsers --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """What a parser understood of one VEVENT, in plain types, so two parsers can be compared."""

    method: str | None
    uid: str
    sequence: int
    start: datetime
    end: datetime
    status: str
    organizer: str | None
    attendees: tuple[tuple[str, str, str, str, bool], ...]
    summary: str
    description: str
    location: str | None
    url: str | None
    conferences: tuple[str, ...]


def _mail(uri: str) -> str:
    assert uri.lower().startswith("mailto:")
    return uri[len("mailto:"):].lower()


def read_ical(text: str) -> list[Seen]:
    CHECKED["ical"] += 1
    calendar = IcsCalendarStream.calendar_from_ics(text)
    return [
        Seen(
            method=calendar.method,
            uid=e.uid,
            sequence=e.sequence,
            start=e.dtstart.astimezone(UTC),
            end=e.dtend.astimezone(UTC),
            status=str(e.status.value) if e.status else "",
            organizer=_mail(e.organizer.uri) if e.organizer else None,
            attendees=tuple(
                sorted((_mail(a.uri), a.common_name, a.role, a.status, bool(a.rsvp)) for a in e.attendees)
            ),
            summary=e.summary,
            description=e.description,
            location=e.location,
            url=e.url,
            conferences=tuple(c.uri for c in e.conference),
        )
        for e in calendar.events
    ]


def read_vobject(text: str) -> list[Seen]:
    CHECKED["vobject"] += 1
    calendar = vobject.readOne(text)
    seen = []
    for e in calendar.contents.get("vevent", []):
        c = e.contents

        def one(name, c=c):
            return c[name][0].value if name in c else None

        attendees = tuple(
            sorted(
                (
                    _mail(a.value),
                    a.params["CN"][0],
                    a.params["ROLE"][0],
                    a.params["PARTSTAT"][0],
                    a.params["RSVP"][0] == "TRUE",
                )
                for a in c.get("attendee", [])
            )
        )
        seen.append(
            Seen(
                method=calendar.method.value if "method" in calendar.contents else None,
                uid=one("uid"),
                sequence=int(one("sequence")),
                start=one("dtstart").astimezone(UTC),
                end=one("dtend").astimezone(UTC),
                status=one("status"),
                organizer=_mail(one("organizer")) if "organizer" in c else None,
                attendees=attendees,
                summary=one("summary"),
                description=one("description"),
                location=one("location"),
                url=one("url"),
                conferences=tuple(p.value for p in c.get("conference", [])),
            )
        )
    return seen


def parse_both(text: str) -> list[Seen]:
    """Both parsers, which must agree on everything compared; returns their common reading."""
    by_ical, by_vobject = read_ical(text), read_vobject(text)
    assert by_ical == by_vobject
    return by_ical


def check_invite(text: str, method: str) -> Seen:
    check_raw(text, method)
    (seen,) = parse_both(text)
    assert seen.method == method
    return seen


# --- the checkers themselves ------------------------------------------------------------------------------

GOOD = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
    "UID:u@t\r\nDTSTAMP:20270201T000000Z\r\nDTSTART:20270311T000000Z\r\nDTEND:20270311T003000Z\r\n"
    "SEQUENCE:0\r\nSUMMARY:회의\r\nSTATUS:CONFIRMED\r\nORGANIZER;CN=O:mailto:o@t\r\n"
    "ATTENDEE;CN=A;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:\r\n a@t\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_the_raw_check_passes_a_minimal_valid_request():
    check_raw(GOOD, "REQUEST")
    (seen,) = parse_both(GOOD)
    assert (seen.uid, seen.start) == ("u@t", datetime(2027, 3, 11, tzinfo=UTC))


@pytest.mark.parametrize("missing", ["UID:u@t\r\n", "DTSTAMP:20270201T000000Z\r\n", "PRODID:-//t//t//EN\r\n"])
def test_ical_invents_missing_required_properties_so_the_raw_check_must_catch_them(missing):
    broken = GOOD.replace(missing, "")
    (event,) = IcsCalendarStream.calendar_from_ics(broken).events  # accepted, with made-up values
    assert event.uid and event.dtstamp
    with pytest.raises((AssertionError, KeyError)):
        check_raw(broken, "REQUEST")


@pytest.mark.parametrize(
    "broken",
    [
        GOOD.replace("\r\n", "\n"),  # bare LF
        GOOD.replace("SUMMARY:회의", "SUMMARY:" + "회의" * 40),  # unfolded long line
        GOOD.replace("DTSTART:20270311T000000Z", "DTSTART:20270311T000000"),  # floating time
        GOOD.replace("DTSTART:20270311T000000Z", "DTSTART;TZID=Asia/Seoul:20270311T090000"),  # TZID
        GOOD.replace(";RSVP=TRUE", ""),
        GOOD.replace("\r\nSEQUENCE:0", ""),
    ],
)
def test_the_raw_check_rejects_what_clients_choke_on(broken):
    with pytest.raises(AssertionError):
        check_raw(broken, "REQUEST")


def test_a_fold_inside_a_korean_character_is_caught():
    line = "SUMMARY:" + "가" * 22  # 8 + 66 = 74 octets
    split = line.encode() + "나".encode()[:1] + b"\r\n " + "나".encode()[1:]
    data = GOOD.encode().replace("SUMMARY:회의".encode(), split)
    with pytest.raises(UnicodeDecodeError):
        check_raw(data, "REQUEST")
