"""Schemathesis against the live OpenAPI document: the app served by a real server (werkzeug, in a thread), the
document read over HTTP, and for every operation a bounded, seeded set of generated requests (valid and invalid
arguments) sent with an admin's read token, then with a company member's write token (its requests sent,
accepted, declined). No answer may be a server error, and every answer must match the document
(the problem details included)."""

import pytest
import schemathesis
from builders.served import serving
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.generation import GenerationMode

from matchmaker.enums import Role
from matchmaker.extensions import db
from matchmaker.services import api_tokens


@pytest.fixture
def served(app):
    with serving(app) as base_url:
        yield base_url


@pytest.fixture
def users(two_by_two, make_user, make_request):
    event, ai, health, ai_vc, _health_vc = two_by_two
    make_request(event, health.organization, ai.organization)  # one for the company to answer
    return {"admin": make_user(Role.ADMIN), "company": ai}


@pytest.mark.parametrize("who, scope", [("admin", "read"), ("company", "write")])
def test_no_server_error_and_every_answer_matches_the_document(served, users, who, scope):
    token = api_tokens.create(users[who], "schemathesis", scope)[1]
    db.session.commit()
    schema = schemathesis.openapi.from_url(f"{served}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 16
    strategy = st.one_of([
        operation.as_strategy(generation_mode=mode)
        for operation in operations for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ])
    seen = set()

    @settings(max_examples=100, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case):
        response = case.call_and_validate(
            base_url=served, headers={"Authorization": f"Bearer {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )
        seen.add(response.status_code)

    check()
    assert 200 in seen and 422 in seen  # both the answers and the refusals were checked
