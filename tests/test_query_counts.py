"""The busiest pages cost a fixed number of SQL queries, however many meetings the day has: the staff schedule
board, a company's agenda, its recommendations, the event's report and the check-in desk are each read with
10 and with 100 meetings, and both counts must be equal."""

import pytest
from builders.busy_day import build_busy_day
from builders.queries import counted_queries

from matchmaker.extensions import db

SIZES = (10, 100)


PAGES = {
    "board": lambda day: ("staff", f"/staff/events/{day.event.id}/schedule"),
    "agenda": lambda day: ("company", "/agenda"),
    "recommendations": lambda day: ("company", f"/events/{day.event.id}/recommended"),
    "reports": lambda day: ("staff", f"/staff/reports?scope=event&id={day.event.id}"),
    "checkin": lambda day: ("staff", f"/staff/events/{day.event.id}/checkin"),
}


@pytest.fixture
def busy_days(make_office, make_program, make_event, make_user, make_participation):
    return {size: build_busy_day(make_office, make_program, make_event, make_user, make_participation, size)
            for size in SIZES}


def _queries(app, day, page: str) -> tuple[list[str], bytes]:
    who, url = PAGES[page](day)
    user = day.staff if who == "staff" else day.company_user
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": "correct-horse-battery"}).status_code == 302
    client.get(url)  # once to warm per-process caches (translations, templates)
    with counted_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, response.data[:500]
    return statements, response.data


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_queries_do_not_grow_with_meetings(app, client, busy_days, page):
    # `client` sets the app's isolated client class: each request gets its own session, as in production.
    small, small_html = _queries(app, busy_days[10], page)
    large, large_html = _queries(app, busy_days[100], page)
    assert len(large_html) > len(small_html)  # the larger day really shows more
    assert len(large) == len(small), "\n".join(large)


def test_busy_day_sizes(busy_days):
    """The builder makes what the counts rely on: ten and a hundred scheduled meetings."""
    assert [len(day.event.participations) for day in busy_days.values()] == [10 + 1 + 1, 10 + 10 + 10]
    from matchmaker.models import Meeting

    counts = [db.session.query(Meeting).filter_by(event_id=day.event.id).count() for day in busy_days.values()]
    assert counts == [10, 100]
