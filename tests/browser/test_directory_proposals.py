"""The participants directory and a proposed new time in the browser: a company filters the directory by
language and searches a Vietnamese name without its accents, stars an organization and finds it first in its
recommendations; on a pick-your-slot day the company proposes another time and the investor accepts it."""

from datetime import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.enums import EventMode, OrgKind, RequestStatus, Role, SchedulingMode
from matchmaker.extensions import db
from matchmaker.models import Meeting, OutboxMessage, Recommendation

pytestmark = pytest.mark.browser


def test_directory_filter_search_and_shortlist(page, sign_in, make_event, make_user, make_org, make_participation):
    event = make_event()
    company = make_user(Role.COMPANY)
    make_participation(event, company.organization)
    orgs = [
        make_org(OrgKind.INVESTOR, name="AI Capital", languages=["en"], country="US"),
        make_org(OrgKind.BUYER, name="Nguyễn Retail", languages=["vi", "en"], country="VN"),
        make_org(OrgKind.BUYER, name="서울 바이어", name_latin="Seoul Buyer", languages=["ko"], country="KR"),
    ]
    for org in orgs:
        make_participation(event, org)
    db.session.add(Recommendation(event_id=event.id, company_id=company.organization_id, partner_id=orgs[0].id,
                                  rank=1, score=0.9, reasons=[]))
    db.session.commit()
    sign_in(page, company.email)
    page.goto(f"/events/{event.id}/participants")
    rows = page.locator("table.directory tbody tr")
    expect(rows).to_have_count(3)

    page.select_option("#language", "ko")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("서울 바이어")
    expect(page.locator("#language")).to_have_value("ko")  # the form keeps what was chosen
    expect(page.locator(".result-count")).to_contain_text("1 of 3 organizations")

    page.select_option("#language", "")
    page.fill("#q", "nguyen")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nguyễn Retail")

    rows.first.get_by_role("button", name="Add Nguyễn Retail to my shortlist").click()
    expect(page.locator(".flash.success")).to_contain_text("Nguyễn Retail is on your shortlist.")
    expect(page.locator("#q")).to_have_value("nguyen")  # back on the same filtered list
    expect(rows.first.locator("button.star")).to_have_attribute("aria-pressed", "true")

    page.fill("#q", "zzz")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".empty-state")).to_contain_text("No organization matches all these filters.")

    page.goto(f"/events/{event.id}/recommended")
    first = page.locator("ol.recommendations > li").first
    expect(first.locator("h2")).to_contain_text("Nguyễn Retail")
    expect(first).to_contain_text("On your shortlist")


def test_proposed_new_time_accepted(page, sign_in, make_event, make_user, make_participation, make_request,
                                    add_meeting):
    event = make_event(mode=EventMode.IN_PERSON, venue="Hall", scheduling=SchedulingMode.PICK, tables=2,
                       published=True, day_start=time(9), day_end=time(11))
    company, investor = make_user(Role.COMPANY), make_user(Role.PARTNER)
    for user in (company, investor):
        make_participation(event, user.organization)
    item = make_request(event, company.organization, investor.organization, status=RequestStatus.ACCEPTED)
    meeting = add_meeting(item, slot=0)
    meeting.table_label = "T1"
    db.session.commit()
    target = event.slots()[2]

    sign_in(page, company.email)
    page.goto(f"/meetings/{meeting.id}")
    page.select_option("#propose-slot", str(target.index))
    page.get_by_role("button", name="Propose", exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text("Your proposal is sent")
    expect(page.locator("#change-time")).to_contain_text("waiting for their answer")
    page.click("form[action='/logout'] button")

    sign_in(page, investor.email)
    page.goto(f"/meetings/{meeting.id}")
    expect(page.locator("#change-time")).to_contain_text("proposes to move the meeting")
    page.get_by_role("button", name="Accept the new time").click()
    expect(page.locator(".flash.success")).to_contain_text("The meeting is moved to the new time.")
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).start_dt == target.start
    kinds = {(m.kind, m.to_address) for m in db.session.scalars(select(OutboxMessage))}
    assert ("time_proposed", investor.email) in kinds and ("time_accepted", company.email) in kinds
    assert {("invite", company.email), ("invite", investor.email)} <= kinds
