"""A person's data in the browser: from Settings (accessible), a member downloads their data as JSON (the file holds
their profile), asks for erasure, opens the link the e-mail gives and confirms; Settings then says the request is
with staff."""

import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from builders.accessibility import assert_accessible
from playwright.sync_api import expect

from matchmaker.enums import OrgKind, Role
from matchmaker.extensions import db
from matchmaker.models import ErasureRequest, OutboxMessage

pytestmark = pytest.mark.browser


def test_download_and_ask_for_erasure_from_settings(page, sign_in, make_user, make_org):
    kim = make_user(Role.COMPANY, name="김민준", name_latin="Kim Minjun",
                    organization=make_org(OrgKind.COMPANY, name="Seoul Robotics"))
    sign_in(page, kim.email)
    page.goto("/settings")
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download as JSON").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert (data["profile"]["email"], data["organization"]["name"]) == (kim.email, "Seoul Robotics")

    page.get_by_role("button", name="Ask for my data to be erased").click()
    expect(page.locator(".flash.success")).to_contain_text("open its link to confirm")
    db.session.expire_all()
    mail = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "erasure_confirm")).one()
    path = re.search(r"https?://[^/\s]+(/settings/erase/\S+)", mail.body_text).group(1)

    page.goto(path)
    page.get_by_role("button", name="Confirm: erase my data").click()
    expect(page.locator(".flash.success")).to_contain_text("Your request is confirmed")
    assert db.session.scalar(sa.select(sa.func.count(ErasureRequest.id)).where(ErasureRequest.user_id == kim.id)) == 1
    page.goto("/settings")
    expect(page.locator("section.privacy")).to_contain_text("with our staff since")
    expect(page.get_by_role("button", name="Ask for my data to be erased")).to_have_count(0)


def test_staff_erase_from_the_queue_after_the_preview(page, sign_in, make_user, make_org, make_event,
                                                      make_participation):
    event = make_event()
    kim = make_user(Role.COMPANY, name="김민준", organization=make_org(OrgKind.COMPANY, name="Seoul Robotics"))
    make_participation(event, kim.organization)
    staff = make_user(Role.STAFF, office_id=event.program.office_id)
    db.session.add(ErasureRequest(user_id=kim.id))
    db.session.commit()

    sign_in(page, staff.email)
    page.goto("/staff/privacy")
    page.get_by_role("link", name="Open").click()
    expect(page.locator("ul.plan")).to_contain_text("Meetings, requests and feedback stay")
    assert_accessible(page)
    page.get_by_role("button", name="Erase their data").click()
    expect(page.locator(".flash.success")).to_contain_text("The person's data is erased.")
    expect(page.locator("table").first).to_contain_text("No request is waiting.")
    expect(page.locator("main")).not_to_contain_text(kim.email)
