"""Erasing a person (issue #16): after it, neither their e-mail address, nor their name in either script, nor their
phone is anywhere in the database (every column of every table cast to text, and on PostgreSQL each row as the
server prints it), while the day's report counts the same meetings and feedback. Also: what the preview says, a
second erasure refused, sessions ended, and an organization erased once it has no members left."""

import json

import pytest
import sqlalchemy as sa
from builders.privacy import EMAIL, IDENTIFIERS, LATIN, NAME, PHONE, build_person

from matchmaker.enums import OutboxStatus
from matchmaker.extensions import db
from matchmaker.models import Feedback, Meeting, Message, Organization, OutboxMessage, User
from matchmaker.services import ServiceError
from matchmaker.services.privacy import erase
from matchmaker.services.reports import report_for


@pytest.fixture
def person(make_user, make_org, make_event, make_participation, make_request, add_meeting):
    return build_person(make_user, make_org, make_event, make_participation, make_request, add_meeting)


def full_dump() -> str:
    """Every table's every column as text; on PostgreSQL also every row of every table in the schema as text."""
    parts = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            columns = [sa.cast(c, sa.Text) for c in table.columns]
            for row in connection.execute(sa.select(*columns)):
                parts.extend(str(value) for value in row if value is not None)
        if connection.dialect.name == "postgresql":
            names = connection.scalars(sa.text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"))
            for name in list(names):
                parts.extend(connection.scalars(sa.text(f'SELECT t::text FROM "{name}" t')))
    return "\n".join(parts)


def forms(identifier: str) -> list[str]:
    """The identifier as typed and as JSON escapes it (how a Korean name sits in a JSON column)."""
    return [identifier.lower(), json.dumps(identifier)[1:-1].lower()]


def test_erasure_leaves_no_trace_of_the_person_and_keeps_the_counts(person):
    dump = full_dump().lower()
    for identifier in IDENTIFIERS:  # the builder put each of them in many places: the check can see them
        assert any(form in dump for form in forms(identifier)), identifier
    before = report_for([person.event]).total
    meetings = db.session.scalar(sa.select(sa.func.count(Meeting.id)).where(Meeting.event_id == person.event.id))

    erase.erase_person(None, person.user)
    db.session.commit()

    dump = full_dump().lower()
    found = [identifier for identifier in IDENTIFIERS for form in forms(identifier) if form in dump]
    assert found == []
    assert "minjun" not in dump and "5555-1234" not in dump
    after = report_for([person.event]).total
    assert after == before and after.held == 1 and after.ratings == 2
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id)).where(
        Meeting.event_id == person.event.id)) == meetings == 1
    assert db.session.scalar(sa.select(sa.func.count(Feedback.id))) == 2


def test_erasure_anonymises_the_account_and_keeps_the_partner(person):
    version = person.user.session_version
    erase.erase_person(person.staff, person.user, why="staff")
    db.session.commit()
    user = db.session.get(User, person.user.id)
    assert (user.email, user.name, user.name_latin) == (f"deleted-{user.id}@invalid", "Deleted participant", None)
    assert not user.check_password("password") and not user.active and user.calendar_token is None
    assert user.session_version == version + 1
    bodies = {m.author_id: m.body for m in db.session.scalars(sa.select(Message))}
    assert bodies[user.id] == erase.REMOVED_MESSAGE
    assert bodies[person.partner.id] == "Thanks Deleted participant, see you."
    partner = db.session.get(User, person.partner.id)
    assert (partner.email, partner.name) == ("dana@vc.example", "Dana Partner")
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.to_address == "dana@vc.example")) == 1
    mine = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to_address == user.email)).one()
    assert (mine.status, mine.body_text, mine.calendar) == (OutboxStatus.DISCARDED, "", None)  # never sent now
    assert db.session.get(Organization, user.organization_id).phone is None


def test_erasing_twice_is_refused(person):
    erase.erase_person(None, person.user)
    with pytest.raises(ServiceError):
        erase.erase_person(None, person.user)


def test_the_plan_counts_what_erasure_changes(person):
    plan = erase.plan_person(person.user)
    table = db.metadata.tables["consents"]
    consents = db.session.scalar(sa.select(sa.func.count()).where(table.c.user_id == person.user.id))
    assert consents >= 1  # the builder's own, and any that registering records
    assert (plan.messages, plan.feedback, plan.emails, plan.consents, plan.sign_ins, plan.phone) == (
        1, 1, 1, consents, 1, True)


def test_an_organization_is_erased_only_without_members_left(person):
    org = person.user.organization
    with pytest.raises(ServiceError):
        erase.erase_organization(None, org)
    erase.erase_person(None, person.user)
    erase.erase_organization(None, org)
    db.session.commit()
    org = db.session.get(Organization, org.id)
    assert (org.name, org.description, org.phone) == ("Deleted organization", None, None)
    assert "주식회사 테스트" not in full_dump()


def test_identifiers_short_or_missing_do_not_wipe_other_text(make_user):
    user = make_user(name="Al", name_latin=None)
    other = make_user(name="Alice Alvarez")
    erase.erase_person(None, user)
    db.session.commit()
    assert db.session.get(User, other.id).name == "Alice Alvarez"
    assert NAME and LATIN and EMAIL and PHONE  # the builder's identifiers are long enough to be swept
