"""The live table board page: current and next slot in the event's zone, a row per table, late and absent
participants named in words, and its own refreshing."""

import re

import pytest
from builders.dayops import build_day

from matchmaker.enums import NoShowReason
from matchmaker.extensions import db
from matchmaker.services import checkin, dayops


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    """Jakarta, 9:00–12:00, 30-minute slots, a break 10:00–10:30 (slots 0, 1, 2=10:30, 3, 4)."""
    day = build_day(make_office, make_program, make_event, make_user, make_participation,
                    breaks=[{"start": "10:00", "end": "10:30"}])
    day.meet("c1", "i1", 0, "T2")
    day.meet("c2", "i2", 0, "T10")
    day.meet("c3", "i3", 0, "T1")
    day.meet("c1", "i2", 1, "T1")
    day.meet("c3", "i1", 2, "T1")
    for key in ("c1", "i1", "c3", "i2"):
        checkin.check_in(day.staff, day.participations[key])
    db.session.commit()
    dayops.mark_absent(day.staff, day.participations["i3"], NoShowReason.ILLNESS, now=day.event.slots()[0].start)
    db.session.commit()
    return day


def at(day, clock: str) -> str:
    return f"{day.event.date.isoformat()}T{clock}"


def board(client, day, clock: str, fragment=False) -> str:
    path = f"/staff/events/{day.event.id}/live{'/rows' if fragment else ''}?at={at(day, clock)}"
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rows_of(html: str, section: str) -> list[str]:
    """The text of each table row of a board section ("live-current" or "live-next")."""
    part = html[html.index(section):]
    part = part[:part.index("</section>")]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", part, re.S)[1:]]


def test_current_and_next_slot_with_rows_by_table(client, auth, day):
    auth.login(day.staff)
    html = board(client, day, "09:10")
    assert "Now: 9:00\u202fAM–9:30\u202fAM" in html or "Now: 9:00 AM–9:30 AM" in html
    assert "Next: 9:30" in html
    current = rows_of(html, "live-current")
    assert [r.split(" ")[0] for r in current] == ["T1", "T2", "T10"]
    assert current[1] == "T2 Org c1 Org i1"
    assert current[2] == "T10 Org c2 late: not checked in Org i2"  # c2 has not checked in
    assert current[0] == "T1 Org c3 Org i3 absent"
    assert rows_of(html, "live-next") == ["T1 Org c1 Org i2"]


def test_late_participants_listed_in_words(client, auth, day):
    auth.login(day.staff)
    html = board(client, day, "09:10")
    assert "1 participant late:" in html and "Org c2" in html[html.index("late-summary"):]
    assert 'class="flagged"' in html  # colour too, but never colour alone


def test_the_board_moves_on_at_the_slot_boundary(client, auth, day):
    auth.login(day.staff)
    html = board(client, day, "09:30")
    assert "Now: 9:30" in html and "Next: 10:30" in html
    assert rows_of(html, "live-current") == ["T1 Org c1 Org i2"]


def test_break_shows_the_slot_after_it(client, auth, day):
    auth.login(day.staff)
    html = board(client, day, "10:05")
    assert "Break" in html and "Now:" not in html
    assert "Next: 10:30" in html
    assert rows_of(html, "live-next") == ["T1 Org c3 Org i1"]


def test_before_and_after_the_day(client, auth, day):
    auth.login(day.staff)
    assert "The meetings have not started yet." in board(client, day, "08:00")
    assert "The meetings of this day are over." in board(client, day, "12:00")


def test_times_name_the_event_zone(client, auth, day):
    auth.login(day.staff)
    html = board(client, day, "09:10")
    assert "Asia/Jakarta" in html and "Western Indonesia Time" in html


def test_page_refreshes_itself_with_script_and_without(client, auth, day):
    auth.login(day.staff)
    html = board(client, day, "09:10")
    assert re.search(r'<noscript><meta http-equiv="refresh" content="30"></noscript>', html)
    assert "js/live-board.js" in html
    url = re.search(r'data-url="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert url.startswith(f"/staff/events/{day.event.id}/live/rows?at=")
    fragment = client.get(url).get_data(as_text=True)
    assert "<html" not in fragment and "Org c2" in fragment and "late: not checked in" in fragment


def test_rows_fragment_follows_check_ins(client, auth, day):
    auth.login(day.staff)
    assert "late: not checked in" in board(client, day, "09:10", fragment=True)
    checkin.check_in(day.staff, day.participations["c2"])
    db.session.commit()
    assert "late: not checked in" not in board(client, day, "09:10", fragment=True)


def test_time_zone_offset_in_at_is_honoured(client, auth, day):
    auth.login(day.staff)
    response = client.get(f"/staff/events/{day.event.id}/live?at={at(day, '02:10')}%2B00:00")  # 9:10 WIB
    assert "Now: 9:00" in response.get_data(as_text=True)


def test_bad_at_is_a_400(client, auth, day):
    auth.login(day.staff)
    assert client.get(f"/staff/events/{day.event.id}/live?at=yesterday").status_code == 400


def test_members_cannot_open_the_board(client, auth, day):
    auth.login(day.users["c1"])
    assert client.get(f"/staff/events/{day.event.id}/live").status_code == 403
    assert client.get(f"/staff/events/{day.event.id}/live/rows").status_code == 403
