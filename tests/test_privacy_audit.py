"""Who looked (issue #16): exports and erasures are in the audit log, and its page filters by the person (what they
did and what was done to their account), the action and the days, and exports exactly the filtered list."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from builders.clients import sign_in
from builders.privacy import EMAIL, build_person
from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.models import AuditLog


@pytest.fixture
def person(make_user, make_org, make_event, make_participation, make_request, add_meeting):
    return build_person(make_user, make_org, make_event, make_participation, make_request, add_meeting)


def exported_rows(client, query: str) -> list[tuple]:
    book = load_workbook(io.BytesIO(client.get("/staff/audit/export.xlsx?" + query).data))
    return list(book.active.values)[1:]


def test_the_log_filters_by_person_action_and_days(client, person):
    sign_in(client, person.staff)
    client.post(f"/staff/people/{person.user.id}/data.json")
    client.post(f"/staff/people/{person.partner.id}/data.json")
    rows = exported_rows(client, "action=privacy.export&person=" + EMAIL)
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
        ("staff@office.example", "privacy.export", "User", person.user.id)]
    about_them = {r[2] for r in exported_rows(client, "person=" + EMAIL)}
    assert about_them == {"privacy.export", "login", "update_user"}  # their sign-in, a change, the export
    page = client.get("/staff/audit?person=김민준&action=privacy.export").get_data(as_text=True)
    assert page.count("<code>privacy.export</code>") == 1


def test_the_days_bound_the_list(client, person):
    sign_in(client, person.staff)
    client.post(f"/staff/people/{person.user.id}/data.json")
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "privacy.export")).one()
    entry.created_dt -= timedelta(days=40)
    db.session.commit()
    day = entry.created_dt.date()
    assert exported_rows(client, f"action=privacy.export&since={day + timedelta(days=2)}") == []
    assert len(exported_rows(client, f"action=privacy.export&since={day - timedelta(days=1)}"
                                     f"&until={day + timedelta(days=1)}")) == 1
