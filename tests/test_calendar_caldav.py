"""A real CalDAV server stores the invites: Radicale, in-process as a WSGI app behind werkzeug's test client.

Radicale parses with vobject and indexes events by time itself, so its calendar-query answers are a third
opinion on when a meeting happens. Each test gets its own server on its own temporary folder.
"""

import base64
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import radicale
import radicale.config
from test_calendar_checks import CHECKED, EN, KO, NOW, check_raw, meeting, parse_both
from werkzeug.test import Client

from matchmaker.calendar import build_cancel, build_feed, build_request

USER = "alice"
AUTH = {"Authorization": "Basic " + base64.b64encode(f"{USER}:any".encode()).decode()}  # auth type none
ICS = {"Content-Type": "text/calendar; charset=utf-8", **AUTH}
CALENDAR = f"/{USER}/meetings/"
DAV, CALDAV = "DAV:", "urn:ietf:params:xml:ns:caldav"


@pytest.fixture
def dav(tmp_path):
    conf = radicale.config.load()
    conf.update(
        {
            "auth": {"type": "none"},
            "rights": {"type": "owner_only"},
            "storage": {"filesystem_folder": str(tmp_path / "collections")},
        },
        "test",
        privileged=True,
    )
    client = Client(radicale.Application(conf))
    response = client.open(CALENDAR, method="MKCALENDAR", headers=AUTH)
    assert response.status_code == 201
    return client


def stored(text: str) -> bytes:
    """What a client stores on the server: the invite without METHOD (RFC 4791 4.1 forbids it there)."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("METHOD:")).encode()


def put(dav: Client, uid: str, text: str):
    CHECKED["radicale"] += 1
    return dav.put(f"{CALENDAR}{uid}.ics", data=stored(text), headers=ICS)


def get(dav: Client, uid: str):
    response = dav.get(f"{CALENDAR}{uid}.ics", headers=AUTH)
    assert response.status_code == 200
    (seen,) = parse_both(response.get_data(as_text=True))
    return seen, response.get_data(as_text=True)


def found_between(dav: Client, start: datetime, end: datetime) -> list[str]:
    """Radicale's own answer to 'which events overlap [start, end)?' (CalDAV calendar-query time-range)."""
    body = f"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="{DAV}" xmlns:C="{CALDAV}">
  <D:prop><D:getetag/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="{start:%Y%m%dT%H%M%SZ}" end="{end:%Y%m%dT%H%M%SZ}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""
    response = dav.open(CALENDAR, method="REPORT", data=body,
                        headers={"Depth": "1", "Content-Type": "application/xml", **AUTH})
    assert response.status_code == 207
    hrefs = ET.fromstring(response.get_data()).iter(f"{{{DAV}}}href")
    return sorted(h.text.rsplit("/", 1)[-1] for h in hrefs)


def test_request_put_get_move_cancel(dav):
    first = meeting()
    text = build_request(first, "ko", "Asia/Seoul", NOW, labels=KO)
    assert put(dav, "m42", text).status_code == 201
    seen, raw = get(dav, "m42")
    assert (seen.uid, seen.sequence, seen.start, seen.end) == (first.uid, 0, first.start, first.end)
    assert "주식회사 한빛소프트" in raw and seen.summary.startswith("미팅: 주식회사 한빛소프트")
    assert len(seen.attendees) == 2

    moved = replace(first, sequence=1, start=first.start + timedelta(hours=3), end=first.end + timedelta(hours=3))
    response = put(dav, "m42", build_request(moved, "ko", "Asia/Seoul", NOW + timedelta(days=1), labels=KO))
    assert response.status_code == 204  # replaced (the notes' "201" holds only for a new resource)
    seen, _ = get(dav, "m42")
    assert (seen.sequence, seen.start, seen.end) == (1, moved.start, moved.end)
    assert found_between(dav, moved.start, moved.end) == ["m42.ics"]
    assert found_between(dav, first.start, first.end) == []

    cancelled = replace(moved, sequence=2, status="CANCELLED")
    response = put(dav, "m42", build_cancel(cancelled, "ko", "Asia/Seoul", NOW + timedelta(days=2), labels=KO))
    assert response.status_code == 204
    seen, _ = get(dav, "m42")
    assert (seen.uid, seen.sequence, seen.status) == (first.uid, 2, "CANCELLED")


def test_radicale_finds_dst_day_slots_at_their_utc_instants(dav):
    la = ZoneInfo("America/Los_Angeles")
    starts = [datetime(2027, 3, 14, h, m, tzinfo=la) for h, m in ((1, 0), (1, 30), (3, 0), (3, 30))]
    for i, start in enumerate(starts):
        m = meeting(uid=f"dst-{i}@matchmaker.test", start=start, end=start.astimezone(UTC) + timedelta(minutes=30))
        assert put(dav, f"dst-{i}", build_request(m, "en", "America/Los_Angeles", NOW, labels=EN)).status_code == 201
    # 01:30 PST is 09:30Z and 03:00 PDT is 10:00Z: back to back in real time, an hour and a half apart on the
    # wall clock. A reader that took 03:00 as PST would put dst-2 at 11:00Z.
    assert found_between(dav, datetime(2027, 3, 14, 9, 30, tzinfo=UTC),
                         datetime(2027, 3, 14, 10, 30, tzinfo=UTC)) == ["dst-1.ics", "dst-2.ics"]
    assert found_between(dav, datetime(2027, 3, 14, 10, 30, tzinfo=UTC),
                         datetime(2027, 3, 14, 11, 0, tzinfo=UTC)) == ["dst-3.ics"]
    assert found_between(dav, datetime(2027, 3, 14, 11, 0, tzinfo=UTC),
                         datetime(2027, 3, 14, 12, 0, tzinfo=UTC)) == []


def test_the_feed_uploads_as_a_whole_calendar(dav):
    day = [meeting(uid=f"f-{i}@matchmaker.test", start=meeting().start + timedelta(hours=i),
                   end=meeting().end + timedelta(hours=i), status="CANCELLED" if i == 2 else "CONFIRMED")
           for i in range(3)]
    text = build_feed(day, "K-ICT 2027", labels=KO, locale="ko", zone="Asia/Seoul", now=NOW)
    check_raw(text, None)
    CHECKED["radicale"] += 1
    response = dav.put(f"/{USER}/feed/", data=text.encode(), headers=ICS)  # PUT of a whole collection
    assert response.status_code == 201
    response = dav.get(f"/{USER}/feed/", headers=AUTH)
    assert response.status_code == 200
    seen = parse_both(response.get_data(as_text=True))
    assert sorted((s.uid, s.status) for s in seen) == [
        ("f-0@matchmaker.test", "CONFIRMED"), ("f-1@matchmaker.test", "CONFIRMED"),
        ("f-2@matchmaker.test", "CANCELLED")]


@pytest.mark.parametrize(
    "broken",
    [
        "BEGIN:VCALENDAR\r\nthis is not a content line\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nDTSTART:20270311T000000Z\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",  # no UID
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x@t\r\n"
        "DTSTART:2027-03-11 09:00\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",  # not an iCalendar date-time
    ],
    ids=["garbage line", "no UID", "bad DTSTART"],
)
def test_a_malformed_calendar_is_refused_with_400(dav, broken):
    response = dav.put(f"{CALENDAR}broken.ics", data=broken.encode(), headers=ICS)
    assert response.status_code == 400
