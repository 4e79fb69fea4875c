"""The recommender in the browser: a company reads its suggestions and requests one with a click; staff read the
matrix, filter it, force a pair (which then tops the company's list) and send the suggestions to both sides."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.enums import RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import MeetingRequest, OutboxMessage

pytestmark = pytest.mark.browser


def cards(page):
    return page.locator("ol.recommendations > li")


def test_company_requests_a_suggestion_and_staff_force_and_send(page, sign_in, two_by_two, make_user):
    event, ai, health, ai_vc, care_vc = two_by_two
    staff = make_user(Role.STAFF, office=event.program.office)

    sign_in(page, ai.email)
    page.goto(f"/events/{event.id}/recommended")  # computed on the first visit
    expect(cards(page).first.locator("h2")).to_contain_text("AI Capital")
    expect(cards(page).first).to_contain_text("인공지능")  # the reason, in the company's language
    cards(page).first.get_by_role("button").click()
    page.wait_for_url("**/requests/*")
    item = db.session.scalars(select(MeetingRequest)).one()
    assert (item.from_org_id, item.to_org_id, item.status) == (
        ai.organization_id, ai_vc.organization_id, RequestStatus.REQUESTED)
    page.goto(f"/events/{event.id}/recommended")
    expect(cards(page).first.get_by_role("button")).to_have_count(0)  # requested: a link to it, not a button
    page.click("form[action='/logout'] button")

    sign_in(page, staff.email)
    page.goto(f"/staff/events/{event.id}/matrix")
    matrix = page.locator("table.matrix")
    row = matrix.locator("tbody tr", has_text="주식회사 에이아이")
    expect(row.locator("td").first).to_contain_text("%")  # AI Capital's column: the score
    expect(row.locator("td").first.locator("strong")).to_have_text("R")
    page.select_option("#sector", "digital-health")
    page.get_by_role("button", name="Filter").click()
    expect(matrix.locator("tbody tr")).to_have_count(1)
    expect(matrix).to_contain_text("Health Co")

    page.get_by_role("link", name="Force or forbid a pair").click()
    page.select_option("#company_id", label="주식회사 에이아이")
    page.select_option("#partner_id", label="Care Ventures")
    page.select_option("#kind", "forced")
    page.get_by_role("button", name="Save rule").click()
    expect(page.locator(".flash.success")).to_contain_text("The rule is saved.")
    page.goto(f"/staff/events/{event.id}/matrix")
    care_cell = page.locator("table.matrix tbody tr", has_text="주식회사 에이아이").locator("td").nth(1)
    expect(care_cell.locator("strong")).to_have_text(["A", "F"])  # a forced pair is an accepted meeting to place

    page.get_by_role("link", name="Send suggested pairs to both sides…").click()  # who gets what, first
    expect(page.locator("main")).to_contain_text("4 e-mails in all.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text("Suggestions sent: 4 e-mails.")
    db.session.expire_all()
    sent_to = {m.to_address for m in db.session.scalars(select(OutboxMessage)) if m.kind == "suggestions"}
    assert sent_to == {ai.email, health.email, ai_vc.email, care_vc.email}
    page.click("form[action='/logout'] button")

    sign_in(page, ai.email)
    page.goto(f"/events/{event.id}/recommended")
    expect(cards(page).first.locator("h2")).to_contain_text("Care Ventures")  # forced pairs come first
