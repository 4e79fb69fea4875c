"""A member gives feedback from the agenda after a meeting; staff then see it in the KPIs and refit the
recommender with the button."""

from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.enums import OrgKind, Outcome, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Feedback
from matchmaker.services.meetings import place

pytestmark = pytest.mark.browser


def test_member_gives_feedback_and_staff_see_it(app, page, sign_in, make_user, make_org, make_event, make_program,
                                                 make_office, make_participation, make_request, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "RECOMMENDER_MODEL_PATH", str(tmp_path / "model.json"))
    office = make_office()
    day = date.today() - timedelta(days=1)
    event = make_event(program=make_program(office=office, start_date=day, end_date=day), date=day,
                       published=True, timezone="UTC", day_start=time(9), day_end=time(11))
    company = make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, name="Feedback Robotics"))
    buyer = make_user(Role.PARTNER, organization=make_org(OrgKind.BUYER, name="Feedback Buyer"))
    for user in (company, buyer):
        make_participation(event, user.organization)
    item = make_request(event, company.organization, buyer.organization, status=RequestStatus.ACCEPTED)
    meeting = place(item, event.slots()[0], None)
    db.session.commit()

    sign_in(page, company.email)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Feedback")).to_contain_text("1")
    page.goto("/agenda")
    page.get_by_role("link", name="Give feedback").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Feedback Buyer")
    page.get_by_role("button", name="Save feedback").click()  # no rating: refused, nothing saved
    expect(page.locator(".flash.error")).to_be_visible()
    page.get_by_label("5 – very useful").check()
    page.get_by_label("We want to follow up with them").check()
    page.get_by_label("Outcome so far").select_option("mou")
    page.get_by_label("Expected contract or investment amount (USD)").fill("750000")
    page.get_by_role("button", name="Save feedback").click()
    expect(page.locator(".flash.success")).to_contain_text("your feedback is saved")
    page.goto("/agenda")
    expect(page.get_by_role("link", name="Update feedback")).to_be_visible()
    db.session.expire_all()
    saved = db.session.scalars(select(Feedback)).one()
    assert (saved.meeting_id, saved.rating, saved.outcome, saved.expected_amount_usd) == (
        meeting.id, 5, Outcome.MOU, 750_000)
    page.click("form[action='/logout'] button")

    staff = make_user(Role.ADMIN)  # sees every office's reports, and may refit the shared model
    sign_in(page, staff.email)
    page.goto(f"/staff/events/{event.id}")
    page.get_by_role("link", name="Outcomes and KPIs").click()
    hq = page.locator("#report-hq")
    expect(hq).to_contain_text("$750K")
    expect(page.locator("#report-outcomes svg title").first).to_have_text("Meetings held by outcome")
    # printed on A4 (about 680 px between the margins) every column of every table is on the paper
    page.set_viewport_size({"width": 680, "height": 900})
    page.emulate_media(media="print")
    rights = page.evaluate("[...document.querySelectorAll('main table')].map(t => t.getBoundingClientRect().right)")
    assert rights and max(rights) <= 680, rights
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every table (Excel)").click()
    assert download.value.suggested_filename == f"matchmaker-report-event-{event.id}.xlsx"
    page.get_by_role("button", name="Refit the recommender from outcomes").click()
    expect(page.locator(".flash.success")).to_contain_text("refitted")
