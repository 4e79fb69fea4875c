"""Honest states in Chromium: an accepted request waits for the schedule; staff run the scheduler on a day where
the buyer has no free time left, and the board, the company's pages and the buyer's pages all say "Accepted, not
scheduled" with the same reason and what would help."""

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from matchmaker.enums import EventMode, OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.services.availability import slots_to_windows

pytestmark = pytest.mark.browser

WHY = "At every time both sides are available, Jakarta Buyer already has another meeting."
HELP = "Jakarta Buyer can add available times, or the office can decide which meeting to keep."


def test_unscheduled_state_and_reason_on_both_sides(page, sign_in, make_user, make_org, make_event, make_program,
                                                    make_office, make_participation, make_request, add_meeting):
    office = make_office(timezone="Asia/Jakarta")
    event = make_event(program=make_program(office=office), mode=EventMode.IN_PERSON, venue="Hall",
                       timezone="Asia/Jakarta", day_start=time(9), day_end=time(11), tables=2)
    first = make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, name="Busan Co"))
    company = make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, name="주식회사 서울"))
    buyer = make_user(Role.PARTNER, organization=make_org(OrgKind.BUYER, name="Jakarta Buyer"))
    for user in (first, company):
        make_participation(event, user.organization)
    # The buyer is available in the first slot only, and its meeting with Busan Co is locked there.
    make_participation(event, buyer.organization).availability = slots_to_windows(event.slots()[:1])
    booked = make_request(event, first.organization, buyer.organization, status=RequestStatus.ACCEPTED)
    item = make_request(event, company.organization, buyer.organization, status=RequestStatus.ACCEPTED)
    add_meeting(booked, slot=0).locked = True
    db.session.commit()
    staff = make_user(Role.STAFF, office=office, timezone="Asia/Jakarta")

    sign_in(page, company.email)
    page.goto(f"/requests/{item.id}")
    expect(page.locator(".badge")).to_have_text("Accepted, waiting for the schedule")
    page.click("form[action='/logout'] button")

    sign_in(page, staff.email)
    page.goto(f"/staff/events/{event.id}/schedule")
    page.get_by_role("button", name="Run the scheduler").click()
    unplaced = page.locator("ul.unplaced li")
    expect(unplaced).to_have_count(1)
    expect(unplaced).to_contain_text("주식회사 서울")
    expect(unplaced.locator(".badge")).to_have_text("Accepted, not scheduled")
    expect(unplaced.locator(".unplaced-reason .why")).to_have_text(WHY)
    expect(unplaced.locator(".unplaced-reason .help")).to_contain_text(HELP)
    page.click("form[action='/logout'] button")

    for user in (company, buyer):
        sign_in(page, user.email)
        page.goto(f"/requests/{item.id}")
        expect(page.locator("dl.facts .badge")).to_have_text("Accepted, not scheduled")
        expect(page.locator("dl.facts .unplaced-reason .why")).to_have_text(WHY)
        expect(page.locator("dl.facts .unplaced-reason .help")).to_contain_text(HELP)
        page.goto("/agenda")
        section = page.locator("#unscheduled")
        expect(section).to_contain_text("Accepted, not scheduled")
        expect(section.locator(".unplaced-reason .why")).to_have_text(WHY)
        page.goto("/requests")
        expect(page.locator(f"tr:has(a[href='/requests/{item.id}']) .unplaced-reason .why")).to_have_text(WHY)
        page.click("form[action='/logout'] button")

    # What would help is a link for the buyer, whose availability it is.
    sign_in(page, buyer.email)
    page.goto(f"/requests/{item.id}")
    page.locator(".unplaced-reason .help").get_by_role("link", name="My availability").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.id}/availability$"))
