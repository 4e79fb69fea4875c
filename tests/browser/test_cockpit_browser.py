"""Staff of the Jakarta office, on the demo data: the staff home lists the office's day with its next step, the
event cockpit's counts lead to the lists they count, and both pages pass axe-core."""

import re

import pytest
from builders.accessibility import assert_accessible
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from matchmaker.demo.loader import load_demo
from matchmaker.enums import RequestStatus
from matchmaker.extensions import db
from matchmaker.models import Event, MeetingRequest

pytestmark = pytest.mark.browser


@pytest.fixture
def jakarta(app, monkeypatch):
    monkeypatch.setattr(  # scrypt takes most of a load's time; the sign-in checks the password the same way
        "matchmaker.demo.loader.generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )
    load_demo(db.session)
    db.session.commit()
    return next(e for e in db.session.scalars(select(Event)) if "Jakarta" in e.title)


def test_staff_home_and_cockpit_lead_to_the_lists_and_pass_axe(page, jakarta):
    page.goto("/login")
    page.fill("#email", "staff.jkt@matchmaker.example")
    page.fill("#password", "demo-staff-2027")
    page.click("#submit")
    page.goto("/staff/")
    days = page.locator("table.days")
    expect(days).to_contain_text(jakarta.title)
    expect(days.get_by_role("row").filter(has_text=jakarta.title)).to_contain_text("Review the applications")
    assert_accessible(page)

    days.get_by_role("link", name=jakarta.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(jakarta.title)
    expect(page.locator(".next-step")).to_contain_text("Next step: Review the applications")
    expect(page.locator("ol.checklist li[aria-current=step]")).to_contain_text("Review the applications")
    assert_accessible(page)

    waiting = db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.event_id == jakarta.id, MeetingRequest.status == RequestStatus.REQUESTED)).all()
    link = page.locator("ul.counts a").filter(has_text="Waiting for an answer")
    expect(link.locator(".count")).to_have_text(str(len(waiting)))
    link.click()
    expect(page).to_have_url(re.compile(rf"/staff/events/{jakarta.id}/requests\?status=requested#requests$"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(len(waiting))
    expect(page.locator("nav.filters [aria-current=page]")).to_have_text("Waiting for an answer")
