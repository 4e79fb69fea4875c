"""Profiles in several languages in the browser: a Korean company writes its description in Korean and English side
by side on its profile page; the English-speaking investor reads the English one in the recommendations and on the
request page."""

import pytest
from playwright.sync_api import expect

from matchmaker.extensions import db

pytestmark = pytest.mark.browser

KOREAN = "창고용 자율주행 로봇을 만듭니다. 인공지능으로 물류를 바꿉니다."
ENGLISH = "We build autonomous warehouse robots; AI that changes logistics."


def test_english_speaking_investor_reads_the_english_description(page, sign_in, two_by_two):
    event, ai, _health, ai_vc, _care_vc = two_by_two  # ai: a Korean company whose member reads Korean

    sign_in(page, ai.email)
    page.goto("/profile")
    boxes = page.locator("fieldset.profile-texts textarea")
    expect(boxes).to_have_count(2)  # Korean and English, side by side
    expect(page.locator("label[for=description_ko]")).to_have_text("한국어")
    expect(page.locator("label[for=description_en]")).to_have_text("영어")
    korean_box, english_box = page.locator("#description_ko").bounding_box(), page.locator(
        "#description_en").bounding_box()
    assert korean_box["y"] == english_box["y"] and korean_box["x"] < english_box["x"]  # one row, two columns
    page.fill("#description_ko", KOREAN)
    page.fill("#description_en", ENGLISH)
    page.click("form[method=post] #submit")
    expect(page.locator(".flash.success")).to_be_visible()
    db.session.expire_all()
    assert (ai.organization.description, ai.organization.description_lang) == (KOREAN, "ko")
    expect(page.locator("#description_en")).to_have_value(ENGLISH)
    page.click("form[action='/logout'] button")

    sign_in(page, ai_vc.email)  # an investor who reads English
    page.goto(f"/events/{event.id}/recommended")
    card = page.locator("ol.recommendations > li", has_text="주식회사 에이아이")
    expect(card.locator(".profile-text")).to_have_text(ENGLISH)
    expect(card.locator(".profile-text")).to_have_attribute("lang", "en")
    page.goto(f"/events/{event.id}/request/{ai.organization_id}")
    expect(page.locator("main .profile-text")).to_have_text(ENGLISH)
    expect(page.locator("main")).not_to_contain_text(KOREAN)
