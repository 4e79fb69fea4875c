"""The day at the desk in a real browser (CSRF on): check in by search and by the scanned code, mark a
no-show absent, place a walk-in; and the live board refreshing its rows by itself."""

import pytest
from builders.accessibility import assert_accessible, describe, violations
from builders.dayops import build_day
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.enums import Attendance, MeetingStatus
from matchmaker.extensions import db
from matchmaker.models import Meeting, Participation
from matchmaker.services import checkin

pytestmark = pytest.mark.browser


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation)
    day.meet("c1", "i1", 1, "T1")
    day.meet("c2", "i2", 1, "T2")
    return day


def _attendance(participation) -> Attendance:
    db.session.expire_all()
    return db.session.get(Participation, participation.id).attendance


def test_desk_checks_in_marks_absent_and_places_a_walk_in(page, sign_in, day):
    sign_in(page, day.staff.email)
    page.goto(f"/staff/events/{day.event.id}")
    page.get_by_role("link", name="Check-in").first.click()

    page.fill("#q", "Person c3")  # a person's name finds the organization
    page.get_by_role("button", name="Search").click()
    row = page.locator("tr", has_text="Org c3")
    row.get_by_role("button", name="Check in").click()
    expect(page.locator(".flash.success")).to_contain_text("Org c3 is checked in.")
    assert _attendance(day.participations["c3"]) == Attendance.CHECKED_IN

    # The scanned code: the GET shows the participant; only the button checks in.
    page.goto(f"/staff/checkin/{checkin.checkin_token(day.participations['i1'])}")
    expect(page.locator("h1")).to_have_text("Org i1")
    assert _attendance(day.participations["i1"]) == Attendance.EXPECTED
    page.get_by_role("button", name="Check in Org i1").click()
    expect(page.locator(".flash.success")).to_contain_text("Org i1 is checked in.")

    page.goto(f"/staff/events/{day.event.id}/checkin")
    row = page.locator("tr", has_text="Org c1")
    row.locator("summary").click()
    row.locator("select[name=reason]").select_option("travel")
    row.get_by_role("button", name="Mark absent and free their meetings").click()
    expect(page.locator(".flash.success")).to_contain_text("Org c1 is marked absent")

    offer = page.locator("section.walkin", has_text="Org i1")
    expect(offer).to_contain_text("Org c3")  # checked in and free: the one candidate
    expect(offer).not_to_contain_text("Org c2")
    offer.get_by_role("button", name="Place walk-in").click()
    expect(page.locator(".flash.success")).to_contain_text("Walk-in meeting placed")

    db.session.expire_all()
    walk_in = db.session.scalars(select(Meeting).where(Meeting.walk_in.is_(True))).one()
    assert (walk_in.start_dt, walk_in.table_label, walk_in.status) == (
        day.event.slots()[1].start, "T1", MeetingStatus.SCHEDULED
    )
    assert db.session.get(Meeting, day.meetings["c2", "i2"].id).table_label == "T2"


def test_live_board_refreshes_its_rows(page, sign_in, day):
    sign_in(page, day.staff.email)
    page.clock.install()
    page.goto(f"/staff/events/{day.event.id}/live?at={day.event.date.isoformat()}T09:40")
    rows = page.locator("#live-rows")
    expect(rows).to_contain_text("late: not checked in")
    checkin.check_in(day.staff, day.participations["c1"])
    checkin.check_in(day.staff, day.participations["i1"])
    db.session.commit()
    expect(rows.locator("tr", has_text="Org c1")).to_contain_text("late")  # not before the next refresh
    page.clock.run_for(31_000)
    expect(rows.locator("tr", has_text="Org c1")).not_to_contain_text("late")
    expect(rows.locator("tr", has_text="Org c2")).to_contain_text("late: not checked in")


def test_live_board_next_slot_is_readable(page, sign_in, day):
    """The slot after this one was faded with opacity, which took its small grey "not checked in yet" below
    axe's 4.5:1 contrast."""
    sign_in(page, day.staff.email)
    page.goto(f"/staff/events/{day.event.id}/live?at={day.event.date.isoformat()}T09:10")
    expect(page.locator("section.live-next")).to_contain_text("not checked in yet")
    assert_accessible(page)
    # On a phone a table with a long name scrolls sideways, and can be reached with the keyboard, also after the
    # rows refresh.
    day.orgs["i1"].name = "Globalventurepartnersforadvancedsemiconductors Holdings"
    db.session.commit()
    page.set_viewport_size({"width": 390, "height": 844})
    page.clock.install()
    page.reload()
    expect(page.locator("section.live-next table")).to_have_attribute("tabindex", "0")
    page.evaluate("document.querySelector('section.live-next table').dataset.before = '1'")
    page.clock.run_for(31_000)  # the rows refresh from the server
    expect(page.locator("section.live-next table:not([data-before])")).to_have_attribute("tabindex", "0")
    assert_accessible(page)


def test_check_in_on_a_phone_fits_the_screen_and_the_board_keeps_the_table_column_narrow(page, sign_in, day):
    """At the desk on a 390 px phone the check-in list is one card per participant, not a table wider
    than the screen; on the 1920 px board the table column does not take a third of the width."""
    sign_in(page, day.staff.email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/staff/events/{day.event.id}/checkin")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    button = page.locator("table.checkin button", has_text="Check in").first
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    expect(page.locator("table.checkin td[data-label]").first).to_be_visible()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"/staff/events/{day.event.id}/live?at={day.event.date.isoformat()}T09:40")
    first = page.locator("table.live thead th").first.bounding_box()
    assert first["width"] < 200


def test_every_page_of_the_day_fits_a_phone_and_passes_axe(page, sign_in, day):
    """The event page and every page of the day it links to stay within a 390 px phone (wide tables scroll inside
    the page) and have no serious axe-core violation. The participant list's hidden labels used to escape their
    scrolling table and widen the page; the live board's next slot, faded, put small grey text below 4.5:1."""
    sign_in(page, day.staff.email)
    page.set_viewport_size({"width": 390, "height": 844})
    start = f"/staff/events/{day.event.id}"
    page.goto(start)
    links = page.eval_on_selector_all(
        f"main a[href^='{start}/']", "els => els.map(e => e.getAttribute('href').split('#')[0])")
    paths = [start] + sorted({path for path in links if not path.endswith((".xlsx", ".csv", ".ics", ".pdf"))})
    assert len(paths) > 10
    wide, inaccessible = {}, {}
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
        if found := violations(page):
            inaccessible[path] = describe(found)
    assert wide == {}
    assert inaccessible == {}, "\n".join(f"{k}: {v}" for k, v in inaccessible.items())
