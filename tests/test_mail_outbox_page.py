"""The Outbox page: each office sees the mail of its own people, in pages, filtered, exported to Excel."""

import io

import pytest
from builders.clients import switch_user
from builders.outbox_rows import outbox_row
from openpyxl import load_workbook

from matchmaker.enums import OrgKind, OutboxStatus, Role
from matchmaker.extensions import db


@pytest.fixture
def offices(make_office, make_program, make_event, make_user, make_org, make_participation):
    """Two offices, each with a day and an applicant; a staff member of the first; a member nowhere yet."""
    people = {}
    for key in ("sv", "jkt"):
        office = make_office(name=f"Office {key}")
        event = make_event(program=make_program(office=office))
        member = make_user(Role.COMPANY, email=f"member@{key}.example", organization=make_org(OrgKind.COMPANY))
        make_participation(event, member.organization)
        people[key] = office, member
    staff = make_user(Role.STAFF, email="staff@sv.example", office_id=people["sv"][0].id)
    loner = make_user(Role.COMPANY, email="new@nowhere.example")
    ids = {
        "sv": outbox_row("member@sv.example"), "jkt": outbox_row("member@jkt.example"),
        "staff": outbox_row("staff@sv.example", kind="reset_password"), "loner": outbox_row("new@nowhere.example"),
        "no_account": outbox_row("deleted@gone.example"),
    }
    db.session.commit()
    return staff, loner, ids


def test_staff_see_their_offices_mail_only_and_admins_see_all(client, offices, make_user):
    staff, _, ids = offices
    switch_user(client, staff)
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert "member@sv.example" in page and "staff@sv.example" in page
    for other in ("member@jkt.example", "new@nowhere.example", "deleted@gone.example"):
        assert other not in page
    assert client.get(f"/staff/outbox/{ids['jkt']}").status_code == 404
    assert client.post(f"/staff/outbox/{ids['jkt']}/resend", data={"seen": "sent:1"}).status_code == 404
    assert client.post(f"/staff/outbox/{ids['jkt']}/discard", data={"seen": "sent:1"}).status_code == 404
    assert client.get(f"/staff/outbox/{ids['sv']}").status_code == 200

    switch_user(client, make_user(Role.ADMIN))
    page = client.get("/staff/outbox").get_data(as_text=True)
    for address in ("member@sv.example", "member@jkt.example", "new@nowhere.example", "deleted@gone.example"):
        assert address in page


def test_outbox_pages_and_filters(client, offices):
    staff, _, _ = offices
    for n in range(60):
        outbox_row("member@sv.example", subject=f"Numbered {n:02d}")
    outbox_row("member@sv.example", status=OutboxStatus.FAILED, kind="invite", last_error="SMTPDataError: 552 too big")
    db.session.commit()
    switch_user(client, staff)

    first = client.get("/staff/outbox").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert first.count("<tr><td>") == 50
    second = client.get("/staff/outbox?page=2").get_data(as_text=True)
    assert second.count("<tr><td>") == 63 - 50
    assert "Numbered 00" in second and "Numbered 00" not in first  # newest first

    failed = client.get("/staff/outbox?status=failed").get_data(as_text=True)
    assert failed.count("<tr><td>") == 1
    assert "SMTPDataError: 552 too big" in failed  # the error shows in the list
    assert client.get("/staff/outbox?kind=reset_password").get_data(as_text=True).count("<tr><td>") == 1
    assert client.get("/staff/outbox?q=STAFF@sv").get_data(as_text=True).count("<tr><td>") == 1
    assert client.get("/staff/outbox?q=%25").get_data(as_text=True).count("<tr><td>") == 0  # % is a character
    assert client.get("/staff/outbox?status=nonsense&page=99").status_code == 200


def test_outbox_export_has_the_filtered_messages_with_times_in_the_viewers_zone(client, offices):
    staff, _, ids = offices
    outbox_row("member@sv.example", status=OutboxStatus.FAILED, last_error="ValueError: bad header")
    db.session.commit()
    switch_user(client, staff)
    response = client.get("/staff/outbox/export.xlsx?status=failed")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == f"Created ({staff.timezone})"
    assert [(r[2], r[5], r[8]) for r in rows[1:]] == [("member@sv.example", "Failed", "ValueError: bad header")]
    everything = load_workbook(io.BytesIO(client.get("/staff/outbox/export.xlsx").data)).active
    assert sorted(r[2] for r in list(everything.iter_rows(values_only=True))[1:]) == [
        "member@sv.example", "member@sv.example", "staff@sv.example"]
    page = client.get("/staff/outbox?status=failed").get_data(as_text=True)
    assert "/staff/outbox/export.xlsx?status=failed" in page  # the export link keeps the filters


def test_staff_home_counts_failed_mail_of_their_office_only(client, offices):
    staff, _, _ = offices
    outbox_row("member@sv.example", status=OutboxStatus.FAILED)
    for _ in range(2):
        outbox_row("member@jkt.example", status=OutboxStatus.FAILED)
    db.session.commit()
    switch_user(client, staff)
    page = client.get("/staff/").get_data(as_text=True)
    assert "1 e-mail could not be sent." in page
