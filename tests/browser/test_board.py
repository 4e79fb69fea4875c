"""Staff move a meeting on the schedule board and publish; the participant then sees the new time."""

from datetime import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.enums import EventMode, OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Meeting
from matchmaker.services.meetings import place

pytestmark = pytest.mark.browser


def test_staff_moves_a_meeting_and_publishes(page, sign_in, make_user, make_org, make_event, make_program, make_office,
                                              make_participation, make_request):
    office = make_office(timezone="Asia/Jakarta")
    event = make_event(program=make_program(office=office), mode=EventMode.IN_PERSON, venue="Hall",
                       timezone="Asia/Jakarta", day_start=time(9), day_end=time(11), tables=2)
    company = make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, name="주식회사 보드테스트"))
    buyer = make_user(Role.PARTNER, organization=make_org(OrgKind.BUYER, name="Board Buyer"))
    for user in (company, buyer):
        make_participation(event, user.organization)
    item = make_request(event, company.organization, buyer.organization, status=RequestStatus.ACCEPTED)
    meeting = place(item, event.slots()[0], "T1")
    db.session.commit()
    staff = make_user(Role.STAFF, office=office, timezone="Asia/Jakarta")

    sign_in(page, staff.email)
    page.goto(f"/staff/events/{event.id}/schedule")
    cell = page.locator(f"#meeting-{meeting.id}")
    expect(cell).to_contain_text("주식회사 보드테스트")
    cell.locator("summary").click()
    cell.locator(f"#slot-{meeting.id}").select_option("2")
    cell.locator(f"#table-{meeting.id}").select_option("T2")
    cell.get_by_role("button", name="Move").click()
    expect(page.locator(".flash.success")).to_contain_text("The meeting is moved.")
    page.get_by_role("link", name="Publish the schedule…").click()  # the preview first, then one button
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text("The schedule is published")

    db.session.expire_all()
    moved = db.session.scalars(select(Meeting)).one()
    assert (moved.start_dt, moved.table_label) == (event.slots()[2].start, "T2")
    assert moved.event.published

    page.click("form[action='/logout'] button")
    sign_in(page, company.email)
    page.goto("/agenda")
    expect(page.locator("table")).to_contain_text("Board Buyer")
    expect(page.locator("table")).to_contain_text("Table T2")
