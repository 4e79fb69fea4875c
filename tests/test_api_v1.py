"""/api/v1 with tokens of each role: a staff token sees its office's objects, an admin's everything, a member's only
what the member sees in the app (the same expectations as the pages). Lists paginate with a Link header and filter
by updated_since; errors are problem details in the token owner's language; the token's rate limit answers 429."""

from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from builders.api_world import ROLES, api_world, get

from matchmaker.database import utcnow
from matchmaker.enums import Role
from matchmaker.extensions import db
from matchmaker.models import Event, Office, Program
from matchmaker.services import api_tokens


@pytest.fixture
def world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
          add_meeting):
    return api_world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
                     add_meeting)


# path -> status for (company, partner, staff of office A, staff of office B, admin), as the pages answer.
MATRIX = {
    "/api/v1/offices": (403, 403, 200, 200, 200),
    "/api/v1/offices/{office}": (403, 403, 200, 403, 200),
    "/api/v1/programs": (403, 403, 200, 200, 200),
    "/api/v1/programs/{program}": (403, 403, 200, 403, 200),
    "/api/v1/events": (200, 200, 200, 200, 200),
    "/api/v1/events/{event}": (200, 200, 200, 403, 200),
    "/api/v1/organizations": (200, 200, 200, 200, 200),
    "/api/v1/organizations/{company_org}": (200, 404, 200, 404, 200),
    "/api/v1/organizations/{other_org}": (404, 404, 200, 404, 200),
    "/api/v1/events/{event}/meetings": (200, 200, 200, 403, 200),
    "/api/v1/events/{event}/kpi": (403, 403, 200, 403, 200),
    "/api/v1/events/999999/kpi": (403, 403, 404, 404, 404),
}


@pytest.mark.parametrize("path", list(MATRIX))
def test_each_role_gets_what_the_pages_give(client, world, path):
    answers = tuple(get(client, world["tokens"][role], path.format(**world)).status_code for role in ROLES)

    assert answers == MATRIX[path]


def _ids(answer) -> list[int]:
    return sorted(item["id"] for item in answer.get_json())


def test_lists_hold_only_what_the_role_sees(client, world):
    tokens = world["tokens"]

    assert _ids(get(client, tokens["staff_a"], "/api/v1/offices")) == [world["office"]]
    assert _ids(get(client, tokens["admin"], "/api/v1/offices")) == sorted([world["office"], world["other_office"]])
    assert _ids(get(client, tokens["staff_b"], "/api/v1/events")) == [world["other_event"]]
    assert _ids(get(client, tokens["company"], "/api/v1/organizations")) == [world["company_org"]]
    # The company has no meeting; the partner sees its one; staff of the office see it too.
    meetings = "/api/v1/events/{event}/meetings".format(**world)
    assert [_ids(get(client, tokens[role], meetings)) for role in ("company", "partner", "staff_a")] == [
        [], [world["meeting"]], [world["meeting"]]]


def test_kpi_figures_are_the_reports(client, world):
    answer = get(client, world["tokens"]["staff_a"], "/api/v1/events/{event}/kpi".format(**world))

    body = answer.get_json()
    assert body["event_id"] == world["event"]
    assert (body["total"]["requests"], body["total"]["accepted"], body["total"]["scheduled"]) == (1, 1, 1)
    assert body["total"]["acceptance_rate"] == 1.0


def test_pages_follow_the_link_header(client, world, make_org):
    for _ in range(4):
        make_org()
    token = world["tokens"]["admin"]

    first = get(client, token, "/api/v1/organizations?per_page=5")
    next_url = first.headers["Link"].split(">")[0].lstrip("<")
    second = get(client, token, next_url)

    assert first.headers["X-Total-Count"] == "7" and 'rel="next"' in first.headers["Link"]
    assert len(first.get_json()) == 5 and len(second.get_json()) == 2
    assert 'rel="prev"' in second.headers["Link"] and 'rel="next"' not in second.headers["Link"]
    assert not set(_ids(first)) & set(_ids(second))


def test_updated_since_keeps_what_changed(client, world):
    token = world["tokens"]["admin"]
    later = (utcnow() + timedelta(minutes=5)).isoformat()

    answer = client.get("/api/v1/organizations", query_string={"updated_since": later},
                        headers={"Authorization": f"Bearer {token}"})

    assert answer.status_code == 200 and answer.get_json() == []


@pytest.mark.parametrize("model, path", [(Event, "/api/v1/events"), (Program, "/api/v1/programs"),
                                         (Office, "/api/v1/offices")])
def test_updated_since_sees_a_changed_day_program_or_office(client, world, model, path):
    """A CRM syncing with updated_since sees a day whose settings changed, not only days created since."""
    long_ago = utcnow() - timedelta(days=30)
    db.session.execute(sa.update(model).values(updated_dt=long_ago))
    db.session.commit()
    ids = {Event: world["event"], Program: world["program"], Office: world["office"]}
    changed = db.session.get(model, ids[model])
    if model is Office:
        changed.city = "Jakarta Selatan"
    else:
        changed.description = "Changed after the CRM's last sync"
    db.session.commit()
    since = (long_ago + timedelta(days=1)).isoformat()

    answer = get(client, world["tokens"]["admin"], f"{path}?updated_since={quote(since)}")

    assert [item["id"] for item in answer.get_json()] == [changed.id]
    assert datetime.fromisoformat(answer.get_json()[0]["updated_dt"]) > long_ago + timedelta(days=1)


@pytest.mark.parametrize("query, field", [
    ({"page": "0"}, "page"), ({"per_page": "1000"}, "per_page"), ({"page": "x"}, "page"),
    ({"updated_since": "yesterday"}, "updated_since"), ({"updated_since": "2027-03-01T10:00:00"}, "updated_since"),
])
def test_bad_arguments_are_422_problem_details(client, world, query, field):
    answer = client.get("/api/v1/events", query_string=query,
                        headers={"Authorization": f"Bearer {world['tokens']['admin']}"})

    body = answer.get_json()
    assert (answer.status_code, answer.mimetype) == (422, "application/problem+json")
    assert (body["type"], body["title"], body["status"]) == ("about:blank", "Invalid input", 422)
    assert field in body["errors"]["query"]


def test_problems_are_in_the_token_owners_language(client, world):
    answer = get(client, world["tokens"]["company"], "/api/v1/offices")  # the company's user reads Korean

    body = answer.get_json()
    assert (answer.status_code, answer.mimetype) == (403, "application/problem+json")
    assert (body["title"], body["detail"]) == ("허용되지 않음", "이 계정으로는 이 항목을 보거나 변경할 수 없습니다.")


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer mm_nope", "Basic dXNlcjpwdw==", "Bearer \u00e9\u00e9"])
def test_missing_or_wrong_tokens_are_401(client, world, header):
    answer = client.get("/api/v1/events", headers={"Authorization": header} if header else {})

    assert (answer.status_code, answer.mimetype) == (401, "application/problem+json")
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.get_json()["title"] == "Not signed in"


def test_a_session_cookie_does_not_open_the_api(client, auth, world, make_user):
    auth.login(make_user(Role.ADMIN).email)

    assert client.get("/api/v1/offices").status_code == 401


def test_a_revoked_token_stops_at_once(client, world):
    token = world["tokens"]["admin"]
    row = api_tokens.authenticate(token)
    api_tokens.revoke(row.user, row.id)
    db.session.commit()

    assert get(client, token, "/api/v1/events").status_code == 401


def test_unknown_api_paths_are_404_problems(client, world):
    answer = get(client, world["tokens"]["admin"], "/api/v1/nothing-here")

    assert (answer.status_code, answer.mimetype, answer.get_json()["title"]) == (
        404, "application/problem+json", "Not found")


def test_the_token_rate_limit_answers_429(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    token, other = world["tokens"]["admin"], world["tokens"]["staff_a"]

    answers = [get(client, token, "/api/v1/events").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    body = get(client, token, "/api/v1/events").get_json()
    assert (body["status"], body["title"]) == (429, "Too many requests")
    assert get(client, other, "/api/v1/events").status_code == 200  # another token has its own budget


def test_document_and_docs_page_need_no_token(client):
    document = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert document.status_code == 200 and document.get_json()["openapi"].startswith("3.")
    assert "/api/v1/events/{event_id}/kpi" in document.get_json()["paths"]
    assert docs.status_code == 200 and "GET /api/v1/events/{event_id}/kpi" in docs.get_data(as_text=True)


def test_the_docs_page_shows_each_operations_body_and_answer_fields_from_the_document(client):
    """Every field of every request body and 2xx answer in the document is on the docs page, in its operation's
    section (the page reads the document, so a new field cannot be missing from it)."""
    spec = client.get("/api/v1/openapi.json").get_json()
    page = client.get("/api/v1/docs").get_data(as_text=True)
    sections = {part.split("</code>", 1)[0]: part for part in page.split('<h3><code>')[1:]}
    checked = 0
    for path, item in spec["paths"].items():
        for method, operation in ((m, o) for m, o in item.items() if m in ("get", "post", "put", "patch", "delete")):
            section = sections[f"{method.upper()} {path}"]
            holders = [operation.get("requestBody")] + [a for c, a in operation["responses"].items() if c[0] == "2"]
            for holder in filter(None, holders):
                schema = holder.get("content", {}).get("application/json", {}).get("schema", {})
                ref = (schema.get("items") or schema).get("$ref", "")
                for field in spec["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}).get("properties", {}):
                    assert f"<code>{field}</code>" in section, (method, path, field)
                    checked += 1
    assert len(sections) == 46 and checked > 300


def test_a_method_the_api_lacks_is_a_problem_even_with_csrf_on(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    answer = client.post("/api/v1/events", headers={"Authorization": f"Bearer {world['tokens']['admin']}"})

    assert (answer.status_code, answer.mimetype) == (405, "application/problem+json")
    assert answer.get_json()["title"] == "Method not allowed"
    assert set(answer.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_a_member_without_consent_gets_a_problem_not_the_consent_page(client, auth, world, make_user):
    """The consent page is for browsers: the API, signed in or not by cookie, answers in JSON."""
    auth.login(make_user(Role.COMPANY, consented=False).email)

    answer = client.get("/api/v1/offices")

    assert (answer.status_code, answer.mimetype) == (401, "application/problem+json")
