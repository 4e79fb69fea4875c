"""Download my data (issue #16): the export of a person holds a record of every kind kept about them (profile,
organization, participations, requests, meetings, messages, feedback, consents, sign-ins, e-mails, actions), leaves
the account's secrets out, and the workbook has a sheet per kind with the same records."""

import io
import json

import pytest
from builders.privacy import EMAIL, LATIN, NAME, build_person
from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.models import AuditLog
from matchmaker.services.privacy import export


@pytest.fixture
def person(make_user, make_org, make_event, make_participation, make_request, add_meeting):
    return build_person(make_user, make_org, make_event, make_participation, make_request, add_meeting)


def test_the_export_holds_every_kind_of_record(person):
    data = json.loads(export.as_json(export.collect(person.user)))
    assert (data["profile"]["email"], data["profile"]["name"], data["profile"]["name_latin"]) == (EMAIL, NAME, LATIN)
    assert data["organization"]["name"] == "주식회사 테스트"
    assert [p["event"] for p in data["participations"]] == [person.event.title]
    assert [(r["asked_by_you"], r["to_organization"]) for r in data["requests"]] == [
        (True, person.partner.organization.name)]
    assert [m["id"] for m in data["meetings"]] == [person.meeting.id]
    assert sorted(m["written_by_you"] for m in data["messages"]) == [False, True]
    assert [f["rating"] for f in data["feedback"]] == [5]  # their organization's; the partner's word is theirs
    assert any(c["kind"] == "collection" and c["version"] == "1" for c in data["consents"])
    assert len(data["sign_ins"]) == 1
    assert [e["kind"] for e in data["emails"]] == ["invite"]
    assert data["actions"] == []  # the builder's person did nothing else that is audited


def test_the_export_leaves_the_secrets_out(person):
    person.user.calendar_token = "secret-feed-token"
    text = export.as_json(export.collect(person.user))
    assert "secret-feed-token" not in text and person.user.password_hash not in text
    assert json.loads(text)["profile"]["calendar_feed_link"] is True


def test_the_workbook_has_a_sheet_per_kind(person):
    book = load_workbook(io.BytesIO(export.as_workbook(export.collect(person.user))))
    assert [s for s in export.KINDS if s != "other_records"] == book.sheetnames[:len(export.KINDS) - 1]
    messages = list(book["messages"].values)
    assert len(messages) == 3 and "body" in messages[0]
    profile = dict(list(book["profile"].values)[1:])
    assert profile["email"] == EMAIL


def test_an_export_is_audited(person):
    export.record_export(person.staff, person.user, "json")
    entry = db.session.query(AuditLog).filter_by(action="privacy.export").one()
    assert (entry.actor_id, entry.object_id, entry.details) == (
        person.staff.id, person.user.id, {"format": "json", "by_self": False})
