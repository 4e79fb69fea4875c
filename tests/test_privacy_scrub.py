"""The sweep behind erasure finds a person's identifiers in the forms stored text takes (any case, HTML-escaped,
escaped in JSON, escaped and folded in an invite) and leaves shorter words and other people's rows alone."""

import pytest

from matchmaker.extensions import db
from matchmaker.models import AuditLog, OutboxMessage
from matchmaker.services.privacy.scrub import Replacer, sweep


@pytest.mark.parametrize(("stored", "expected"), [
    ("Mail O'Brien-Kim at obk@example.org", "Mail X at Y"),
    ("Mail O&#x27;Brien-Kim at OBK@EXAMPLE.ORG", "Mail X at Y"),  # HTML-escaped name, upper-case address
    ("CN=O'Brien-Kim\\, Seoul:mailto:obk@example.org", "CN=X\\, Seoul:mailto:Y"),
    ("Brien is someone else", "Brien is someone else"),
])
def test_the_forms_of_an_identifier_are_replaced(stored, expected):
    replacer = Replacer({"obk@example.org": "Y", "O'Brien-Kim": "X", "Al": "Z"})
    assert replacer.text(stored) == expected


def test_json_values_and_keys_are_cleaned():
    replacer = Replacer({"김민준": "Deleted participant"})
    assert replacer.value({"김민준": ["hello 김민준", 3, None]}) == {
        "Deleted participant": ["hello Deleted participant", 3, None]}


def test_an_address_folded_across_invite_lines_is_found(app):
    address = "a.rather.long.address.for.folding@example-company.co.kr"
    calendar = ("BEGIN:VCALENDAR\r\nATTENDEE;CN=Someone:mailto:a.rather.long.address.for.fol\r\n"
                " ding@example-company.co.kr\r\nEND:VCALENDAR\r\n")
    message = OutboxMessage(kind="invite", to_address="other@example.org", subject="Hi", body_text="Hello",
                            calendar=calendar, message_id="<fold@test>")
    entry = AuditLog(action="update_user", object_type="User", object_id=1, details={"email": address})
    db.session.add_all([message, entry])
    db.session.commit()
    changed = sweep(Replacer({address: "deleted-1@invalid"}))
    db.session.commit()
    assert changed == {"audit_log": 1, "outbox_messages": 1}
    assert "mailto:deleted-1@invalid" in db.session.get(OutboxMessage, message.id).calendar
    assert db.session.get(AuditLog, entry.id).details == {"email": "deleted-1@invalid"}
