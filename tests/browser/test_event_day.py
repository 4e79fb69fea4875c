"""The whole day in a real browser, as issue #7 tells it: staff import a workbook with errors (see them,
nothing is saved), fix it and import it, check a participant in, mark a no-show, see the walk-in suggestion;
a company gives feedback on its meeting; staff find it on the dashboard."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from builders.workbooks import xlsx_bytes
from playwright.sync_api import expect
from sqlalchemy import func, select

from matchmaker.enums import Attendance, EventMode, MeetingStatus, OrgKind, Outcome, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Feedback, Meeting, Organization, Participation, User
from matchmaker.services.meetings import place

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Real zones spread around the globe: whatever the hour, one of them is in its working day.
ZONES = ("Asia/Seoul", "Asia/Jakarta", "Asia/Kolkata", "Europe/Berlin", "Europe/London", "America/New_York",
         "America/Los_Angeles", "Pacific/Honolulu", "Australia/Sydney", "Pacific/Auckland")
HEADER = ["id", "kind", "name", "email", "contact_name", "languages", "sectors", "timezone", "country"]
WALK_IN = ["KR-77", "company", "Walk-in Robotics", "ceo@walkin.example", "Kim Minji", "ko; en", "robotics; ai",
           "Asia/Seoul", "KR"]


def _working_zone(now: datetime) -> str:
    return next(zone for zone in ZONES if 8 <= now.astimezone(ZoneInfo(zone)).hour <= 15)


def _sign_out(page):
    page.click("form[action='/logout'] button")


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_org, make_participation, make_request):
    """Today, in a zone where it is working time: a meeting that began an hour ago (company A with the
    investor) and one later today (company B with the investor)."""
    now = datetime.now(UTC)
    zone = _working_zone(now)
    local = now.astimezone(ZoneInfo(zone))
    office = make_office(timezone=zone)
    event = make_event(
        program=make_program(office=office, start_date=local.date(), end_date=local.date()),
        title="Seoul-Jakarta AI day", mode=EventMode.IN_PERSON, venue="Hall B", timezone=zone,
        date=local.date(), day_start=time(local.hour - 1), day_end=time(local.hour + 3), tables=3, published=True,
    )
    investor = make_user(Role.PARTNER, organization=make_org(OrgKind.INVESTOR, name="Garuda Ventures",
                                                             sectors={"robotics": 1.0}))
    a = make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, name="Alpha Vision"))
    b = make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, name="Beta Cloud"))
    for user in (investor, a, b):
        make_participation(event, user.organization)
    slots = event.slots()
    later = next(s for s in slots if s.start > now + timedelta(minutes=30))
    meetings = {}
    for company, slot, table in ((a, slots[0], "T1"), (b, later, "T2")):
        item = make_request(event, company.organization, investor.organization, status=RequestStatus.ACCEPTED)
        meetings[company.organization.name] = place(item, slot, table)
    db.session.commit()
    staff = make_user(Role.STAFF, office=office, timezone=zone)
    return event, staff, investor, a, b, meetings, later


def test_staff_run_the_day_from_import_to_dashboard(app, page, sign_in, day, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "RECOMMENDER_MODEL_PATH", str(tmp_path / "model.json"))
    event, staff, investor, a, b, meetings, later = day
    sign_in(page, staff.email)
    page.goto(f"/staff/events/{event.id}")

    # 1. A workbook with errors: every problem is shown, nothing is written.
    bad = [HEADER, WALK_IN,
           ["KR-78", "company", "Quantum Bakery", "not-an-address", "", "ko", "quantum-bakery", "Mars/Base", "KR"]]
    organizations, users = _count(Organization), _count(User)
    page.get_by_role("link", name="Import participants").click()
    page.set_input_files("#file", files=[{"name": "participants.xlsx", "mimeType": XLSX,
                                          "buffer": xlsx_bytes(bad)}])
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("p.summary")).to_have_text("2 rows, 1 with problems")
    problems = page.locator("#line-3 .errors")
    expect(problems).to_contain_text("quantum-bakery")
    expect(problems).to_contain_text("Mars/Base")
    expect(page.locator("#line-2")).to_contain_text("OK")
    expect(page.get_by_role("button", name="Import 2 rows")).to_have_count(0)
    assert (_count(Organization), _count(User)) == (organizations, users)

    # 2. The corrected workbook imports both rows at once.
    fixed = [HEADER, WALK_IN,
             ["KR-78", "company", "Quantum Bakery", "ops@quantum.example", "", "ko", "ai", "Asia/Seoul", "KR"]]
    page.get_by_role("link", name="Upload a corrected file").click()
    page.set_input_files("#file", files=[{"name": "participants-fixed.xlsx", "mimeType": XLSX,
                                          "buffer": xlsx_bytes(fixed)}])
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("p.summary")).to_have_text("2 rows, 0 with problems")
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.locator(".flash.success")).to_contain_text("2 participants imported")
    assert (_count(Organization), _count(User)) == (organizations + 2, users + 2)
    walk_in_org = db.session.scalars(select(Organization).where(Organization.external_id == "KR-77")).one()

    # 3. Check-in by name search: the imported company and the investor are here.
    page.goto(f"/staff/events/{event.id}")
    page.get_by_role("link", name="Check-in").first.click()
    for name in ("Walk-in Robotics", "Garuda Ventures"):
        page.fill("#q", name)
        page.get_by_role("button", name="Search").click()
        page.locator("tr", has_text=name).get_by_role("button", name="Check in").click()
        expect(page.locator(".flash.success")).to_contain_text(f"{name} is checked in.")
    attendance = {p.organization_id: p.attendance for p in db.session.scalars(select(Participation))}
    assert attendance[walk_in_org.id] == Attendance.CHECKED_IN

    # 4. Beta Cloud does not come: marked absent, its later meeting is freed, the investor is offered a walk-in.
    page.fill("#q", "Beta Cloud")
    page.get_by_role("button", name="Search").click()
    row = page.locator("tr", has_text="Beta Cloud")
    row.locator("summary").click()
    row.locator("select[name=reason]").select_option("travel")
    row.get_by_role("button", name="Mark absent and free their meetings").click()
    expect(page.locator(".flash.success")).to_contain_text("Beta Cloud is marked absent")
    db.session.expire_all()
    assert db.session.get(Meeting, meetings["Beta Cloud"].id).status == MeetingStatus.CANCELLED
    offer = page.locator("section.walkin", has_text="Garuda Ventures")
    expect(offer).to_contain_text("Walk-in Robotics")  # checked in, free, a company: suggested
    expect(offer).not_to_contain_text("Quantum Bakery")  # not checked in
    expect(offer).not_to_contain_text("Alpha Vision")  # not checked in
    offer.get_by_role("button", name="Place walk-in").click()
    expect(page.locator(".flash.success")).to_contain_text("Walk-in meeting placed")
    db.session.expire_all()
    walk_in = db.session.scalars(select(Meeting).where(Meeting.walk_in.is_(True))).one()
    assert walk_in.start_dt == later.start
    assert db.session.get(Meeting, meetings["Alpha Vision"].id).status == MeetingStatus.SCHEDULED
    _sign_out(page)

    # 5. Alpha Vision's meeting began an hour ago: its member gives feedback from the agenda.
    sign_in(page, a.email)
    page.goto("/agenda")
    page.get_by_role("link", name="Give feedback").click()
    page.get_by_label("5 – very useful").check()
    page.get_by_label("We want to follow up with them").check()
    page.get_by_label("Outcome so far").select_option("mou")
    page.get_by_label("Expected contract or investment amount (USD)").fill("1200000")
    page.get_by_role("button", name="Save feedback").click()
    expect(page.locator(".flash.success")).to_contain_text("your feedback is saved")
    db.session.expire_all()
    saved = db.session.scalars(select(Feedback)).one()
    assert (saved.meeting_id, saved.rating, saved.outcome) == (meetings["Alpha Vision"].id, 5, Outcome.MOU)
    _sign_out(page)

    # 6. Staff find it on the event's dashboard.
    sign_in(page, staff.email)
    page.goto(f"/staff/events/{event.id}")
    page.get_by_role("link", name="Outcomes and KPIs").click()
    expect(page.locator("#report-hq")).to_contain_text("$1.2M")
    expect(page.locator("#report-outcomes")).to_contain_text("MOU")
