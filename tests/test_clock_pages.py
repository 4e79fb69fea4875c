"""The right clock first on the pages a member reads: on the Jakarta ballroom day a Seoul company reads Western
Indonesia Time first and its own Korean time after it (agenda, meeting page, dashboard, printed agenda); on an online
day its own time first, then the other party's; a hybrid day's meeting follows its table."""

from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from builders.dayops import build_day

from matchmaker.enums import EventMode
from matchmaker.extensions import db

NNBSP = "\u202f"


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    """c1 (Seoul) meets i1 (an investor whose organization is in Los Angeles) at 9:00 in Jakarta, table T1."""
    day = build_day(make_office, make_program, make_event, make_user, make_participation)
    day.users["c1"].locale = "en"
    day.users["c1"].timezone = "Asia/Seoul"
    db.session.commit()
    day.meet("c1", "i1", 0, "T1")
    return day


def _page(client, auth, day, url: str) -> str:
    auth.login(day.users["c1"])
    return client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("url", ["/agenda", "meeting", "/dashboard"])
def test_in_person_the_venue_time_first_then_the_readers(client, auth, day, url):
    meeting = day.meetings["c1", "i1"]
    page = _page(client, auth, day, f"/meetings/{meeting.id}" if url == "meeting" else url)
    venue = page.index(f"9:00{NNBSP}AM (Western Indonesia Time)")
    if url != "/dashboard":  # the dashboard's list shows the first time only
        assert page.index(f"Your time: 11:00{NNBSP}AM (Korean Standard Time)") > venue
    assert f"11:00{NNBSP}AM (Korean Standard Time)" not in page[:venue]
    assert "Their time" not in page


def test_online_the_readers_time_first_then_the_other_partys(client, auth, day):
    day.event.mode = EventMode.ONLINE
    db.session.commit()
    page = _page(client, auth, day, "/agenda")
    own = page.index(f"11:00{NNBSP}AM (Korean Standard Time)")
    assert page.index("Their time:") > own and "Los Angeles" in page[own:]
    assert "Western Indonesia Time" not in page[:own]


@pytest.mark.parametrize("table, first", [("T1", "Western Indonesia Time"), (None, "Korean Standard Time")])
def test_a_hybrid_days_meeting_follows_its_table(client, auth, day, table, first):
    day.event.mode = EventMode.HYBRID
    day.meetings["c1", "i1"].table_label = table
    db.session.commit()
    page = _page(client, auth, day, f"/meetings/{day.meetings['c1', 'i1'].id}")
    found = [name for name in ("Western Indonesia Time", "Korean Standard Time") if name in page]
    assert min(found, key=page.index) == first


def test_the_printed_agenda_puts_the_venue_column_first(client, auth, day):
    page = _page(client, auth, day, "/agenda/print")
    venue = page.index("Venue time (Western Indonesia Time)")
    assert page.index("Your time (Korean Standard Time)") > venue
    row = page[page.index("<tbody>"):]
    assert row.index(f"9:00{NNBSP}AM") < row.index(f"11:00{NNBSP}AM")


def test_the_printed_agenda_online_names_their_time(client, auth, day):
    day.event.mode = EventMode.ONLINE
    db.session.commit()
    page = _page(client, auth, day, "/agenda/print")
    assert page.index("Your time (Korean Standard Time)") < page.index("Their time")
    assert "Los Angeles" in page[page.index("<tbody>"):]


def test_the_printed_agenda_online_heads_with_the_readers_own_date(client, auth, day):
    """Online the reader's clock leads, so the page's date is theirs: 9:00 in Jakarta is the evening before in Los
    Angeles, and a page dated the venue's day above '6:00 PM' would send them a day late."""
    day.event.mode = EventMode.ONLINE
    day.users["c1"].timezone = "America/Los_Angeles"
    db.session.commit()
    page = _page(client, auth, day, "/agenda/print")
    start = day.meetings["c1", "i1"].start_dt
    own_date = start.astimezone(ZoneInfo("America/Los_Angeles")).date()
    assert own_date != day.event.date
    at = page.index('class="print-head"')
    head = page[at:page.index("</header>", at)]
    assert format_date(own_date, "full", locale="en") in head
    assert format_date(day.event.date, "full", locale="en") not in head


def test_an_anonymous_visitor_gets_the_event_zone_named_and_a_slot_for_their_own(client, day):
    for url in ("/", f"/events/{day.event.id}"):
        page = client.get(url).get_data(as_text=True)
        assert f"9:00{NNBSP}AM (Western Indonesia Time)" in page, url
        assert "Coordinated Universal Time" not in page and "(UTC)" not in page, url
        assert 'data-local-time data-event-zone="Asia/Jakarta" hidden' in page, url
        assert f'<time datetime="{day.event.starts_at.isoformat()}"' in page, url
        assert "js/local-time.js" in page, url


def test_a_signed_in_reader_of_an_online_day_reads_their_own_time_first(client, auth, day):
    day.event.mode = EventMode.ONLINE
    db.session.commit()
    page = _page(client, auth, day, f"/events/{day.event.id}")
    assert page.index("Korean Standard Time") < page.index("Event time:") < page.index("Western Indonesia Time")
    assert "data-local-time" not in page


def test_a_member_without_a_zone_reads_the_venue_clock_not_utc(client, auth, day):
    day.users["c1"].timezone = None
    db.session.commit()
    page = _page(client, auth, day, "/agenda")
    assert f"9:00{NNBSP}AM (Western Indonesia Time)" in page
    assert "Coordinated Universal Time" not in page and "Your time:" not in page
