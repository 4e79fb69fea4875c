"""Messages in the browser: a company writes twice in its request's thread (an empty message is refused first), the
batching job runs once, and the investor gets one e-mail listing both messages, then reads and answers in the
thread."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.enums import OrgKind, Role
from matchmaker.extensions import db
from matchmaker.models import OutboxMessage
from matchmaker.services import messages

pytestmark = pytest.mark.browser


def test_thread_with_its_batched_email(page, sign_in, make_event, make_user, make_org, make_participation,
                                       make_request):
    event = make_event()
    kim = make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, name="Seoul Robotics"))
    vc = make_user(Role.PARTNER, organization=make_org(OrgKind.INVESTOR, name="Valley Capital"))
    for user in (kim, vc):
        make_participation(event, user.organization)
    item = make_request(event, kim.organization, vc.organization)

    sign_in(page, kim.email)
    page.goto(f"/requests/{item.id}")
    thread = page.locator("#messages")
    expect(thread).to_contain_text("No message yet.")
    thread.get_by_role("button", name="Send message").click()  # nothing typed
    expect(page.locator("#message-body-errors")).to_have_text("Write a message first.")

    page.fill("#message-body", "Hello from Seoul.\nWe build warehouse robots.")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator(".flash.success")).to_contain_text("Your message is sent")
    page.fill("#message-body", "Our deck is ready <b>now</b>.")
    page.get_by_role("button", name="Send message").click()
    bodies = page.locator("#messages ol.messages .body")
    expect(bodies).to_have_count(2)
    expect(bodies.nth(1)).to_have_text("Our deck is ready <b>now</b>.")  # shown as typed, not as HTML

    db.session.expire_all()
    assert messages.notify_thread(item.id) == 2  # the job, as the timer would run it a minute later
    db.session.commit()
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "thread_messages")).all()
    assert [m.to_address for m in mails] == [vc.email]
    assert "Hello from Seoul." in mails[0].body_text and "Our deck is ready <b>now</b>." in mails[0].body_text
    assert f"/requests/{item.id}#messages" in mails[0].body_text

    page.click("form[action='/logout'] button")
    sign_in(page, vc.email)
    page.goto(f"/requests/{item.id}#messages")
    expect(page.locator("#messages ol.messages .meta").first).to_contain_text("Seoul Robotics")
    expect(page.locator("#messages")).not_to_contain_text(kim.email)
    page.fill("#message-body", "Glad to meet you.")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#messages ol.messages li.mine .body")).to_have_text("Glad to meet you.")
