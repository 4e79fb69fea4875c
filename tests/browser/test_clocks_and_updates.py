"""In Chromium: the Seoul company's agenda for the Jakarta ballroom day reads Western Indonesia Time first and its own
Korean time after it; a visitor who is not signed in reads the day's hours in the event's zone and their own browser's
beside them; staff move a meeting, publish the change, and the outbox holds an e-mail that says from and to."""

from datetime import time

import pytest
from playwright.sync_api import expect

from matchmaker.enums import EventMode, OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.services.meetings import place
from matchmaker.services.scheduling import publish

pytestmark = pytest.mark.browser


@pytest.fixture
def jakarta_day(make_user, make_org, make_event, make_program, make_office, make_participation, make_request):
    office = make_office(timezone="Asia/Jakarta")
    event = make_event(program=make_program(office=office), mode=EventMode.IN_PERSON, venue="Ballroom",
                       timezone="Asia/Jakarta", day_start=time(9), day_end=time(11), tables=2)
    company = make_user(Role.COMPANY, locale="en", timezone="Asia/Seoul",
                        organization=make_org(OrgKind.COMPANY, name="Seoul Robotics", timezone="Asia/Seoul"))
    buyer = make_user(Role.PARTNER, locale="en", timezone="Asia/Jakarta",
                      organization=make_org(OrgKind.BUYER, name="Jakarta Buyer", timezone="Asia/Jakarta"))
    for user in (company, buyer):
        make_participation(event, user.organization)
    item = make_request(event, company.organization, buyer.organization, status=RequestStatus.ACCEPTED)
    meeting = place(item, event.slots()[0], "T1")
    staff = make_user(Role.STAFF, office=office, timezone="Asia/Jakarta")
    publish(staff, event)
    db.session.commit()
    return event, meeting, company, staff


def test_the_seoul_companys_jakarta_agenda_reads_the_venue_time_first(page, sign_in, jakarta_day):
    event, meeting, company, _ = jakarta_day
    sign_in(page, company.email)
    page.goto("/agenda")
    cell = page.locator("td").filter(has=page.locator(f"a[href='/meetings/{meeting.id}']"))
    expect(cell.locator("a")).to_contain_text("9:00")
    expect(cell.locator("a")).to_contain_text("Western Indonesia Time")
    expect(cell.locator(".their-time")).to_contain_text("Your time: 11:00")
    expect(cell.locator(".their-time")).to_contain_text("Korean Standard Time")
    text = cell.inner_text()
    assert text.index("Western Indonesia Time") < text.index("Korean Standard Time")


def test_a_visitor_reads_the_event_zone_and_their_browsers(page, jakarta_day):
    event, *_ = jakarta_day
    page.goto(f"/events/{event.id}")  # the browser is in Los Angeles (see conftest)
    expect(page.locator("dd").first).to_contain_text("Western Indonesia Time")
    local = page.locator("[data-local-time]").first
    expect(local).to_be_visible()
    expect(local).to_contain_text("Your time:")
    expect(local).to_contain_text("Pacific")
    assert "Coordinated Universal Time" not in page.content()


def test_a_moved_meetings_email_says_from_and_to(page, sign_in, jakarta_day):
    event, meeting, company, staff = jakarta_day
    sign_in(page, staff.email)
    page.goto(f"/staff/events/{event.id}/schedule")
    cell = page.locator(f"#meeting-{meeting.id}")
    cell.locator("summary").click()
    cell.locator(f"#slot-{meeting.id}").select_option("2")
    cell.locator(f"#table-{meeting.id}").select_option("T2")
    cell.get_by_role("button", name="Move").click()
    expect(page.locator(".flash.success")).to_contain_text("The meeting is moved.")
    page.get_by_role("link", name="Publish the changes…").click()  # the preview first, then one button
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text("The schedule is published")

    page.goto("/staff/outbox")
    link = page.get_by_role("link", name="Moved: meeting with Jakarta Buyer")
    expect(link).to_have_count(1)
    expect(link).to_contain_text("9:00")
    expect(link).to_contain_text("Table T1 → 10:00")
    link.click()
    body = page.locator("pre.mail")
    expect(body).to_contain_text("Your meeting with Jakarta Buyer at")
    expect(body).to_contain_text("has moved from")
    text = body.inner_text()
    moved = text[text.index("has moved from"):]
    assert moved.index("9:00") < moved.index("Table T1") < moved.index(" to ") < moved.index("10:00") \
        < moved.index("Table T2")
