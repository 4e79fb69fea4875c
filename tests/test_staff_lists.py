"""The organization list and the audit log: each office's staff see their office's (admins see all), 50 a page,
filtered, exported to Excel with the same filters and scope; the search box takes any text as text."""

import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from matchmaker.enums import OrgKind, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, ImportBatch, OutboxMessage, Participation
from matchmaker.services import audit


@pytest.fixture
def offices(make_office, make_program, make_event, make_user, make_org):
    """Offices A and B, each with a day, a staff member and an organization that applied to its day; an
    organization A imported for no day; one that only registered; an admin."""
    made = {}
    for name in ("A", "B"):
        office = make_office(name=f"Office {name}", timezone="Asia/Jakarta")
        event = make_event(make_program(office), title=f"Day {name}")
        staff = make_user(Role.STAFF, office_id=office.id, email=f"staff.{name.lower()}@example.com",
                          timezone="Asia/Jakarta")
        org = make_org(OrgKind.COMPANY, name=f"Applicant {name}")
        db.session.add(Participation(event=event, organization=org))
        made[name] = dict(office=office, event=event, staff=staff, org=org)
    imported = make_org(OrgKind.BUYER, name="Imported Buyer")
    batch = ImportBatch(office_id=made["A"]["office"].id, created_by_id=made["A"]["staff"].id, filename="x.xlsx")
    db.session.add(batch)
    db.session.flush()
    audit.record(made["A"]["staff"], "import_update", imported, batch_id=batch.id)
    made["imported"] = imported
    made["lonely"] = make_org(OrgKind.INVESTOR, name="Lonely Capital")
    made["admin"] = make_user(Role.ADMIN, office_id=None)
    db.session.commit()
    return made


def org_names(html: str) -> set[str]:
    return set(re.findall(r'href="/staff/organizations/\d+">([^<]+)</a>', html))


def test_office_staff_see_their_offices_organizations_admins_all(client, auth, offices):
    auth.login(offices["A"]["staff"])
    assert org_names(client.get("/staff/organizations").text) == {"Applicant A", "Imported Buyer"}
    assert client.get(f"/staff/organizations/{offices['B']['org'].id}").status_code == 404
    assert client.get(f"/staff/organizations/{offices['imported'].id}").status_code == 200
    auth.logout()
    auth.login(offices["B"]["staff"])
    assert org_names(client.get("/staff/organizations").text) == {"Applicant B"}
    auth.logout()
    auth.login(offices["admin"])
    assert org_names(client.get("/staff/organizations").text) == {
        "Applicant A", "Applicant B", "Imported Buyer", "Lonely Capital"}


def test_organizations_are_paginated_by_fifty(client, auth, offices, make_org):
    event = offices["A"]["event"]
    for n in range(118):  # with the two A already has: 120, three pages
        db.session.add(Participation(event=event, organization=make_org(name=f"Member {n:03d}")))
    db.session.commit()
    auth.login(offices["A"]["staff"])
    first, third = client.get("/staff/organizations").text, client.get("/staff/organizations?page=3").text
    assert len(org_names(first)) == 50 and len(org_names(third)) == 20
    assert 'href="/staff/organizations?page=2"' in first and "120 in all." in first
    assert org_names(client.get("/staff/organizations?page=2").text).isdisjoint(org_names(first))
    beyond = client.get("/staff/organizations?page=99999999999999999999999")
    assert beyond.status_code == 200 and not org_names(beyond.text)
    assert client.get("/staff/organizations?page=abc").status_code == 200


def test_organization_filters_and_export_apply_the_same_scope(client, auth, offices, make_org):
    db.session.add(Participation(event=offices["A"]["event"],
                                 organization=make_org(OrgKind.INVESTOR, name="Seoul Angels", country="KR")))
    db.session.commit()
    auth.login(offices["A"]["staff"])
    assert org_names(client.get("/staff/organizations?kind=investor").text) == {"Seoul Angels"}
    assert org_names(client.get("/staff/organizations?q=applicant").text) == {"Applicant A"}
    assert org_names(client.get("/staff/organizations?kind=nonsense").text) == {
        "Applicant A", "Imported Buyer", "Seoul Angels"}
    response = client.get("/staff/organizations/export.xlsx?kind=investor")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.values)
    assert rows[0][0] == "Name" and rows[0][-1] == "Created (Asia/Jakarta)"
    assert [row[0] for row in rows[1:]] == ["Seoul Angels"]
    everything = list(load_workbook(io.BytesIO(client.get("/staff/organizations/export.xlsx").data)).active.values)
    assert sorted(row[0] for row in everything[1:]) == ["Applicant A", "Imported Buyer", "Seoul Angels"]


@pytest.mark.parametrize("term, expected", [
    ("%", {"100% Robotics"}),
    ("_", {"Under_score Labs"}),
    ("'", {"O'Brien \"Quoted\" Co"}),
    ('"', {"O'Brien \"Quoted\" Co"}),
    ("<script>", {"<script>alert(1)</script> Co"}),
    ("\\", set()),
])
def test_search_takes_hostile_text_as_text(client, auth, offices, make_org, term, expected):
    for name in ("100% Robotics", "Under_score Labs", "O'Brien \"Quoted\" Co", "<script>alert(1)</script> Co",
                 "Plain Co"):
        db.session.add(Participation(event=offices["A"]["event"], organization=make_org(name=name)))
    db.session.commit()
    auth.login(offices["A"]["staff"])
    response = client.get("/staff/organizations", query_string={"q": term})
    assert response.status_code == 200
    assert "<script>alert" not in response.text  # the name and the search box both escape it
    shown = {name.replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&#34;", '"')
             for name in org_names(response.text)}
    assert shown == expected
    audit_page = client.get("/staff/audit", query_string={"q": term})
    assert audit_page.status_code == 200 and "<script>" not in audit_page.text


def entries(html: str) -> list[str]:
    return re.findall(r"<code>([^<]+)</code>", html)


@pytest.fixture
def log(offices, make_user):
    """Entries of both offices: by A's staff, about A's objects by others, by B's staff, about B's objects."""
    a, b = offices["A"], offices["B"]
    member_b = make_user(Role.COMPANY, organization=b["org"])
    a_participation = db.session.query(Participation).filter_by(event_id=a["event"].id).first()
    audit.record(a["staff"], "a_staff_edits_event", a["event"])
    audit.record(offices["admin"], "admin_on_a_participation", a_participation)
    audit.record(b["staff"], "b_staff_edits_event", b["event"])
    audit.record(member_b, "b_member_updates_profile", b["org"])
    audit.record(offices["admin"], "admin_refits", offices["admin"])
    db.session.commit()


def test_audit_log_is_scoped_to_the_office(client, auth, offices, log):
    auth.login(offices["A"]["staff"])
    shown = entries(client.get("/staff/audit").text)
    assert {"a_staff_edits_event", "admin_on_a_participation", "import_update"} <= set(shown)
    assert not {"b_staff_edits_event", "b_member_updates_profile", "admin_refits"} & set(shown)
    auth.logout()
    auth.login(offices["B"]["staff"])
    shown = set(entries(client.get("/staff/audit").text))
    assert {"b_staff_edits_event", "b_member_updates_profile"} <= shown
    assert not {"a_staff_edits_event", "admin_on_a_participation", "import_update"} & shown
    auth.logout()
    auth.login(offices["admin"])
    shown = set(entries(client.get("/staff/audit").text))
    assert {"a_staff_edits_event", "b_staff_edits_event", "admin_refits", "b_member_updates_profile"} <= shown


def test_audit_filters_dates_in_the_viewers_zone_and_keep_a_bad_date(client, auth, offices):
    staff = offices["A"]["staff"]  # Asia/Jakarta, UTC+7
    for action, when in (("early", datetime(2027, 3, 9, 16, 59, tzinfo=UTC)),  # 23:59 on the 9th in Jakarta
                         ("on_the_day", datetime(2027, 3, 9, 17, 0, tzinfo=UTC)),  # 00:00 on the 10th
                         ("late", datetime(2027, 3, 10, 17, 0, tzinfo=UTC))):  # 00:00 on the 11th
        db.session.add(AuditLog(actor_id=staff.id, action=action, object_type="Event",
                                object_id=offices["A"]["event"].id, created_dt=when, details={}))
    db.session.commit()
    auth.login(staff)
    page = client.get("/staff/audit?since=2027-03-10&until=2027-03-10").text
    assert entries(page) == ["on_the_day"]
    assert "Times in Indonesia (Jakarta) Time." in page
    assert entries(client.get("/staff/audit?action=late").text) == ["late"]
    assert set(entries(client.get("/staff/audit?kind=Event&since=2027-03-10").text)) == {"on_the_day", "late"}
    bad = client.get("/staff/audit?since=10/03/2027")
    assert bad.status_code == 200
    assert "Give a date as 2027-03-10." in bad.text and 'value="10/03/2027"' in bad.text
    assert client.get("/staff/audit?since=0001-01-01&until=9999-12-31").status_code == 200


def test_audit_export_applies_filters_and_scope_with_the_zone(client, auth, offices, log):
    auth.login(offices["A"]["staff"])
    response = client.get("/staff/audit/export.xlsx?kind=Event")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.values)
    assert rows[0][0] == "When (Asia/Jakarta)"
    assert [row[2] for row in rows[1:]] == ["a_staff_edits_event"]
    assert rows[1][1] == "staff.a@example.com" and isinstance(rows[1][0], datetime)


def test_audit_log_is_paginated(client, auth, offices):
    staff = offices["A"]["staff"]
    for n in range(60):
        audit.record(staff, f"step_{n:02d}", offices["A"]["event"])
    db.session.commit()
    auth.login(staff)
    first = client.get("/staff/audit?kind=Event").text
    assert len(entries(first)) == 50 and entries(first)[0] == "step_59"
    assert entries(client.get("/staff/audit?kind=Event&page=2").text) == [f"step_{n:02d}" for n in range(9, -1, -1)]
    assert 'href="/staff/audit?page=2&amp;kind=Event"' in first


def test_lists_are_for_staff_only(client, auth, offices, make_user):
    auth.login(make_user(Role.COMPANY))
    for url in ("/staff/organizations", "/staff/organizations/export.xlsx", "/staff/audit",
                "/staff/audit/export.xlsx"):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("page", ["/staff/organizations", "/staff/audit", "/staff/outbox"])
def test_list_says_when_its_export_holds_only_part_of_it(client, auth, make_user, monkeypatch, page):
    """An export holds EXPORT_ROWS rows at most: past that, the page says so instead of a silently short file."""
    admin = make_user(Role.ADMIN)
    auth.login(admin)
    make_user(Role.COMPANY)
    make_user(Role.COMPANY)
    for n in range(3):
        audit.record(admin, "test", admin, n=n)
    for n in range(3):
        db.session.add(OutboxMessage(kind="test", to_address=f"n{n}@example.com", subject="s", body_text="b",
                                     message_id=f"<limit-{n}@test>"))
    db.session.commit()
    for module in ("matchmaker.staff.views.audit", "matchmaker.staff.views.organizations",
                   "matchmaker.services.outbox"):
        monkeypatch.setattr(f"{module}.EXPORT_ROWS", 10_000)
    assert "The export holds the first" not in client.get(page).get_data(as_text=True)

    for module in ("matchmaker.staff.views.audit", "matchmaker.staff.views.organizations",
                   "matchmaker.services.outbox"):
        monkeypatch.setattr(f"{module}.EXPORT_ROWS", 1)
    html = client.get(page).get_data(as_text=True)
    assert "The export holds the first 1 of these" in html
