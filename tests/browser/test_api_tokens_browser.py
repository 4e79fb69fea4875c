"""API tokens in the browser: from Settings a staff member opens API tokens, creates one (shown once), uses it
against the live server's API, revokes it; the token page and the API docs page pass axe-core and the strict CSP
(the `page` fixture fails on anything the policy blocks)."""

import json
import urllib.error
import urllib.request

import pytest
from builders.accessibility import assert_accessible
from playwright.sync_api import expect

from matchmaker.enums import Role

pytestmark = pytest.mark.browser


def api_status(base: str, token: str) -> int:
    request = urllib.request.Request(f"{base}/api/v1/events", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            json.load(answer)
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_create_use_and_revoke_a_token(page, sign_in, live_server, make_user, make_office):
    staff = make_user(Role.STAFF, office=make_office())
    sign_in(page, staff.email)
    page.goto("/settings")
    page.get_by_role("link", name="Manage API tokens").click()
    assert_accessible(page)

    page.get_by_label("Name").fill("Office CRM")
    page.get_by_label("Scope").select_option("read")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".flash.success")).to_contain_text("shown only this once")
    token = page.locator("#new-token").inner_text()
    assert api_status(live_server, token) == 200

    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.get_by_role("row", name="Office CRM")).to_be_visible()
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator(".flash.success")).to_contain_text("The token is revoked")
    assert api_status(live_server, token) == 401


def test_docs_page_lists_the_operations(page):
    page.goto("/api/v1/docs")

    expect(page.get_by_role("heading", name="GET /api/v1/events/{event_id}/kpi")).to_be_visible()
    assert_accessible(page)
