"""Schemathesis against the live OpenAPI document: the app served by a real server (werkzeug, in a thread), the
document read over HTTP, and for every operation a bounded, seeded set of generated requests (valid and invalid
arguments, in the path, the query and the body) sent with an admin's read token, an admin's write token (the staff
writes: decisions, moves, imports, cancellations, resends) and a company member's write token (its requests sent,
accepted, declined, its application, its feedback). Half of the generated requests name objects that exist (the
day, its participations, a request, a meeting, an e-mail…), so the answers are not only 404s. No answer may be a
server error, and every answer must match the document (the problem details included)."""

from datetime import date

import pytest
import schemathesis
from builders.served import serving
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.generation import GenerationMode

from matchmaker.enums import RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import OutboxMessage
from matchmaker.services import api_tokens, invites

OPERATIONS = 46  # every operation of the document is found (a new one raises this number)
EXAMPLES = 6  # per operation, generation mode and token


@pytest.fixture
def served(app):
    with serving(app) as base_url:
        yield base_url


@pytest.fixture
def known(two_by_two, make_user, make_request, add_meeting):
    """The objects generated requests may name: a day with a waiting request for the company to answer and an
    accepted, scheduled meeting with its invitations queued."""
    event, ai, health, ai_vc, health_vc = two_by_two
    waiting = make_request(event, health.organization, ai.organization)
    meeting = add_meeting(make_request(event, ai.organization, ai_vc.organization, status=RequestStatus.ACCEPTED))
    event.published = True
    invites.queue_invites(meeting)
    db.session.commit()
    participation = next(p for p in event.participations if p.organization_id == ai.organization_id)
    return {
        "users": {"admin": make_user(Role.ADMIN), "company": ai},
        "ids": {
            "event_id": event.id, "program_id": event.program_id, "office_id": event.program.office_id,
            "org_id": ai.organization_id, "participation_id": participation.id, "request_id": waiting.id,
            "meeting_id": meeting.id, "message_id": db.session.scalar(db.select(OutboxMessage.id)),
            "year": date.today().year,
        },
    }


@pytest.mark.parametrize("who, scope", [("admin", "read"), ("admin", "write"), ("company", "write")])
def test_no_server_error_and_every_answer_matches_the_document(served, known, who, scope):
    token = api_tokens.create(known["users"][who], "schemathesis", scope)[1]
    db.session.commit()
    schema = schemathesis.openapi.from_url(f"{served}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == OPERATIONS
    seen = set()

    def check(operation, mode):
        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode), name_known=st.booleans())
        def run(case, name_known):
            if name_known and case.path_parameters:
                case.path_parameters = {name: known["ids"].get(name, value)
                                        for name, value in case.path_parameters.items()}
            response = case.call_and_validate(
                base_url=served, headers={"Authorization": f"Bearer {token}"},
                checks=[not_a_server_error, response_schema_conformance],
            )
            seen.add(response.status_code)

        run()

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            check(operation, mode)
    assert {200, 404, 422} <= seen  # answers, missing objects and refusals were all checked
