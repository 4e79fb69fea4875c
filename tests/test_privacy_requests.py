"""Download and erase from Settings, and staff's queue (issue #16): a member downloads their data as JSON and Excel
(audited), asks for erasure and gets a link by e-mail (from BASE_URL, hidden from staff on the Outbox page), confirms
it from the link; staff of the person's office see the request with a preview of what is removed, erase it or
reject it with a reason (required; the person is told), and export a person's data on request (audited). Staff of
another office, and other people's links, get 404."""

import io
import json
import re

import pytest
import sqlalchemy as sa
from builders.clients import sign_in
from builders.privacy import EMAIL, build_person
from openpyxl import load_workbook

from matchmaker.enums import ErasureStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, ErasureRequest, OutboxMessage, User
from matchmaker.services.mail import staff_view_of_body


@pytest.fixture
def person(make_user, make_org, make_event, make_participation, make_request, add_meeting):
    return build_person(make_user, make_org, make_event, make_participation, make_request, add_meeting)


def audit_actions(prefix="privacy.") -> list[str]:
    return list(db.session.scalars(sa.select(AuditLog.action).where(AuditLog.action.like(prefix + "%"))
                                   .order_by(AuditLog.id)))


def confirmation_link(app) -> str:
    message = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "erasure_confirm")).one()
    return re.search(re.escape(app.config["BASE_URL"]) + r"(/settings/erase/\S+)", message.body_text).group(1)


def test_a_member_downloads_their_data_from_settings(client, person):
    sign_in(client, person.user)
    page = client.get("/settings").get_data(as_text=True)
    for action in ("/settings/data.json", "/settings/data.xlsx", "/settings/erase"):  # the page is in Korean
        assert f'action="{action}"' in page
    answer = client.post("/settings/data.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert "attachment" in answer.headers["Content-Disposition"]
    assert json.loads(answer.data)["profile"]["email"] == EMAIL
    book = load_workbook(io.BytesIO(client.post("/settings/data.xlsx").data))
    assert "messages" in book.sheetnames
    assert audit_actions() == ["privacy.export", "privacy.export"]


def test_asking_sends_a_link_that_confirms_the_request(app, client, person):
    sign_in(client, person.user)
    assert client.post("/settings/erase").headers["Location"] == "/settings"
    client.post("/settings/erase")  # a second click: one e-mail
    link = confirmation_link(app)
    message = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "erasure_confirm")).one()
    assert "/settings/erase/" not in staff_view_of_body(message)  # staff cannot confirm it for them
    assert db.session.scalar(sa.select(sa.func.count(ErasureRequest.id))) == 0  # not before the link
    client.post("/logout")
    assert "Confirm: erase my data" in client.get(link).get_data(as_text=True)  # the link alone is enough
    assert client.post(link).status_code == 200
    item = db.session.scalars(sa.select(ErasureRequest)).one()
    assert (item.user_id, item.status) == (person.user.id, ErasureStatus.REQUESTED)
    assert "with our staff already" in client.post(link, follow_redirects=True).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ErasureRequest.id))) == 1
    assert audit_actions() == ["privacy.erase_asked", "privacy.erase_confirmed"]


def test_a_forged_link_is_404(client, person):
    assert client.get("/settings/erase/not-a-token").status_code == 404


def confirmed(person) -> ErasureRequest:
    item = ErasureRequest(user_id=person.user.id)
    db.session.add(item)
    db.session.commit()
    return item


def test_staff_see_the_preview_and_erase(client, person):
    item = confirmed(person)
    sign_in(client, person.staff)
    queue = client.get("/staff/privacy").get_data(as_text=True)
    assert EMAIL in queue
    preview = client.get(f"/staff/privacy/{item.id}").get_data(as_text=True)
    assert "1 message they wrote is replaced by a note." in preview
    answer = client.post(f"/staff/privacy/{item.id}/erase")
    assert answer.headers["Location"] == "/staff/privacy"
    db.session.expire_all()
    assert db.session.get(User, person.user.id).email == f"deleted-{person.user.id}@invalid"
    assert db.session.get(ErasureRequest, item.id).status == ErasureStatus.ERASED
    assert client.post(f"/staff/privacy/{item.id}/erase").headers["Location"] == f"/staff/privacy/{item.id}"


def test_rejecting_needs_a_reason_and_tells_the_person(client, person):
    item = confirmed(person)
    sign_in(client, person.staff)
    answer = client.post(f"/staff/privacy/{item.id}/reject", data={"reason": "  "})
    assert answer.status_code == 400 and "Say why: the person is told." in answer.get_data(as_text=True)
    answer = client.post(f"/staff/privacy/{item.id}/reject", data={"reason": "Invoices are kept 5 years by law."})
    assert answer.headers["Location"] == "/staff/privacy"
    told = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "erasure_rejected")).one()
    assert told.to_address == EMAIL and "Invoices are kept 5 years by law." in told.body_text
    assert db.session.get(User, person.user.id).email == EMAIL


def test_staff_export_a_persons_data_on_request(client, person):
    sign_in(client, person.staff)
    assert "Data of 김민준" in client.get(f"/staff/organizations/{person.user.organization_id}").get_data(as_text=True)
    answer = client.post(f"/staff/people/{person.user.id}/data.json")
    assert json.loads(answer.data)["profile"]["email"] == EMAIL
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "privacy.export")).one()
    assert (entry.actor_id, entry.object_id) == (person.staff.id, person.user.id)


def test_staff_of_another_office_see_nothing(client, person, make_office, make_user):
    item = confirmed(person)
    stranger = make_user(Role.STAFF, office=make_office())
    sign_in(client, stranger)
    assert EMAIL not in client.get("/staff/privacy").get_data(as_text=True)
    for url in (f"/staff/privacy/{item.id}", f"/staff/people/{person.user.id}/data"):
        assert client.get(url).status_code == 404
    assert client.post(f"/staff/privacy/{item.id}/erase").status_code == 404


def test_an_organization_is_erased_by_staff_once_empty(client, person):
    org_id = person.user.organization_id
    sign_in(client, person.staff)
    assert "member whose data is not erased" in client.get(f"/staff/organizations/{org_id}/erase").get_data(
        as_text=True)
    client.post(f"/staff/organizations/{org_id}/erase")
    assert db.session.get(User, person.user.id).organization.name != "Deleted organization"  # refused
    item = confirmed(person)
    client.post(f"/staff/privacy/{item.id}/erase")
    answer = client.post(f"/staff/organizations/{org_id}/erase")
    assert answer.headers["Location"] == f"/staff/organizations/{org_id}"
    db.session.expire_all()
    assert db.session.get(User, person.user.id).organization.name == "Deleted organization"
