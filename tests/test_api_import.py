"""/api/v1 participant import as JSON: the rows are previewed by the import page's own service (each row's problems
worded as the page words them, nothing written), confirmed all or nothing, or discarded; staff of the day's office
and admins only; a body of the wrong shape, too long a text or too many rows is a 422 (a body past the size limit
413), never a server error, and writes nothing."""

import json

import pytest
from builders.api_world import ROLES, api_world, get, post
from builders.import_desk import upload
from builders.workbooks import jsonl_bytes
from sqlalchemy import func, select

from matchmaker.enums import ImportStatus, OrgKind, ParticipationStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Event, ImportBatch, Organization, OutboxMessage, Participation, User
from matchmaker.services import api_tokens

GOOD = [
    {"id": "KR-1", "kind": "company", "name": "한빛 로보틱스", "email": "ceo@hanbit.example", "contact_name": "김민준",
     "languages": ["ko", "en"], "sectors": {"robotics": 1, "ai": 0.5}, "timezone": "Asia/Seoul", "country": "KR"},
    {"id": "US-7", "kind": "investor", "name": "Sand Hill Partners", "email": "gp@sandhill.example",
     "contact_name": "Pat Lee", "locale": "en", "languages": ["en"], "sectors": ["ai"],
     "timezone": "America/Los_Angeles", "country": "US", "ticket_min_usd": 500000, "ticket_max_usd": 2000000},
]
BAD_ROW = {"id": "KR-2", "kind": "company", "name": "Quantum Co", "email": "x@", "sectors": ["quantum"],
           "timezone": "Mars/Base"}


@pytest.fixture
def world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
          add_meeting):
    return api_world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
                     add_meeting)


def _counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Organization, User, Participation, OutboxMessage, ImportBatch))


def _preview(client, world, rows, role="staff_a"):
    return post(client, world["tokens"][role], "/api/v1/events/{event}/imports".format(**world), {"rows": rows})


# path -> status for (company, partner, staff of office A, staff of office B, admin), each on a fresh batch of
# office A's day, as the import pages answer.
MATRIX = [
    ("POST", "/api/v1/events/{event}/imports", (403, 403, 201, 403, 201)),
    ("POST", "/api/v1/events/999999/imports", (403, 403, 404, 404, 404)),
    ("GET", "/api/v1/imports/{batch}", (403, 403, 200, 403, 200)),
    ("GET", "/api/v1/imports/999999", (403, 403, 404, 404, 404)),
    ("POST", "/api/v1/imports/{batch}/confirm", (403, 403, 200, 403, 200)),
    ("POST", "/api/v1/imports/{batch}/discard", (403, 403, 200, 403, 200)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, path, statuses", MATRIX)
def test_each_role_gets_what_the_import_pages_give(client, world, role, method, path, statuses):
    batch = _preview(client, world, GOOD[:1]).get_json()["id"]
    token, path = world["tokens"][role], path.format(batch=batch, **world)

    if method == "GET":
        answer = get(client, token, path)
    else:
        answer = post(client, token, path, {"rows": GOOD[1:]} if path.endswith("/imports") else None)

    assert answer.status_code == statuses[ROLES.index(role)]


def test_a_bad_row_is_shown_and_the_batch_cannot_be_confirmed(client, world):
    before = _counts()

    answer = _preview(client, world, [GOOD[0], BAD_ROW, {**GOOD[1], "email": "CEO@hanbit.example"}])
    body = answer.get_json()
    confirmed = post(client, world["tokens"]["staff_a"], f"/api/v1/imports/{body['id']}/confirm")

    assert answer.status_code == 201
    assert (body["status"], body["ready"], body["counts"]) == ("preview", False, {
        "rows": 3, "with_problems": 2, "new": 1, "updated": 0, "unchanged": 0})
    assert [(row["line"], row["status"]) for row in body["rows"]] == [(1, "new"), (2, None), (3, None)]
    assert [p["message"] for p in body["rows"][1]["problems"]] == [
        "E-mail: Not a valid e-mail address", "Sectors: Unknown sector: quantum",
        "Time zone: Unknown time zone: Mars/Base"]
    assert [(p["code"], p["message"]) for p in body["rows"][2]["problems"]] == [
        ("duplicate", "E-mail: Duplicate of line 1")]
    assert (confirmed.status_code, confirmed.get_json()["detail"]) == (
        409, "Nothing was imported: the file has problems. Fix them and upload it again.")
    db.session.expire_all()
    assert _counts() == (*before[:4], before[4] + 1)  # the batch held for preview, nothing else
    assert db.session.get(ImportBatch, body["id"]).status == ImportStatus.PREVIEW


def _outcome(emails: list[str], event_id: int) -> list[tuple]:
    """What an import wrote for these e-mails: account, organization, participation, invitation."""
    db.session.expire_all()
    written = []
    for email in emails:
        user = db.session.scalars(select(User).where(User.email == email)).one()
        org = user.organization
        statuses = db.session.scalars(select(Participation.status).where(
            Participation.organization_id == org.id, Participation.event_id == event_id)).all()
        mails = db.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.to_address == email)).all()
        written.append((user.name, user.role, user.locale, user.verified, org.kind, org.name, org.sectors,
                        org.ticket_min_usd, statuses, mails))
    return written


def test_a_good_batch_imports_what_the_page_imports(client, auth, world, make_user, make_event, make_program):
    """The same rows through the page (JSON Lines, as a file) into another day of the office, with other e-mails
    and ids, write the same accounts, organizations, participations, invitations and audit entries."""
    staff = make_user(Role.STAFF, office_id=world["office"])
    page_event = make_event(db.session.get(Event, world["event"]).program)
    page_rows = [{**row, "id": row["id"] + "-p", "email": "page." + row["email"]} for row in GOOD]
    columns = sorted({key for row in page_rows for key in row})
    auth.login(staff)
    upload(client, page_event, jsonl_bytes([columns, *[[row.get(key) for key in columns] for row in page_rows]]),
           "page.jsonl")
    page_batch = db.session.scalars(select(ImportBatch)).one()
    client.post(f"/staff/imports/{page_batch.id}/confirm")

    preview = _preview(client, world, GOOD).get_json()
    confirmed = post(client, world["tokens"]["staff_a"], f"/api/v1/imports/{preview['id']}/confirm")

    assert (preview["ready"], preview["counts"]["new"]) == (True, 2)
    body = confirmed.get_json()
    assert (confirmed.status_code, body["status"], body["ready"]) == (200, "imported", False)
    assert body["imported"] == {"organizations": 2, "users": 2, "participations": 2, "invitations": 2}
    api_side = _outcome([row["email"] for row in GOOD], world["event"])
    assert api_side == _outcome([row["email"] for row in page_rows], page_event.id)
    assert api_side[1] == ("Pat Lee", Role.PARTNER, "en", False, OrgKind.INVESTOR, "Sand Hill Partners",
                           {"ai": 1.0}, 500000, [ParticipationStatus.APPROVED], ["account_invitation"])
    trail = [db.session.scalars(select(AuditLog.action).where(AuditLog.details["batch_id"].as_integer() == batch)
                                .order_by(AuditLog.id)).all() for batch in (page_batch.id, preview["id"])]
    assert trail[0] == trail[1] == ["import_member", "import_member"]


def test_a_confirmed_or_discarded_batch_is_done(client, world):
    token = world["tokens"]["admin"]
    first, second = (_preview(client, world, [row], "admin").get_json()["id"] for row in GOOD)

    post(client, token, f"/api/v1/imports/{first}/confirm")
    again = post(client, token, f"/api/v1/imports/{first}/confirm")
    not_discarded = post(client, token, f"/api/v1/imports/{first}/discard")
    discarded = post(client, token, f"/api/v1/imports/{second}/discard")
    twice = post(client, token, f"/api/v1/imports/{second}/discard")
    late = post(client, token, f"/api/v1/imports/{second}/confirm")

    assert (again.status_code, again.get_json()["detail"]) == (409, "This import is already done or discarded.")
    assert (not_discarded.status_code, not_discarded.get_json()["detail"]) == (
        409, "This file is imported already; it cannot be discarded.")
    assert [(a.status_code, a.get_json().get("status")) for a in (discarded, twice)] == [
        (200, "discarded"), (200, "discarded")]
    assert late.status_code == 409
    assert db.session.scalars(select(User.email).where(User.email.in_([r["email"] for r in GOOD]))).all() == [
        GOOD[0]["email"]]


def test_an_account_created_since_the_preview_blocks_the_confirmation(client, world, make_user):
    preview = _preview(client, world, GOOD).get_json()
    make_user(Role.COMPANY, email=GOOD[1]["email"])  # a company's account, while the row is an investor
    before = _counts()

    shown = get(client, world["tokens"]["staff_a"], f"/api/v1/imports/{preview['id']}").get_json()
    refused = post(client, world["tokens"]["staff_a"], f"/api/v1/imports/{preview['id']}/confirm")

    assert (shown["ready"], shown["rows"][1]["status"]) == (False, None)
    assert [p["message"] for p in shown["rows"][1]["problems"]] == [
        "Kind: Matches an existing organization of another kind: company"]
    assert refused.status_code == 409 and refused.get_json()["detail"].startswith("Nothing was imported")
    assert _counts() == before


def test_problems_are_worded_in_the_token_owners_language(client, world, make_user):
    korean = make_user(Role.ADMIN, locale="ko")
    token = api_tokens.create(korean, "test", "write")[1]
    db.session.commit()

    answer = post(client, token, "/api/v1/events/{event}/imports".format(**world), {"rows": [BAD_ROW]})

    assert [p["message"] for p in answer.get_json()["rows"][0]["problems"]] == [
        "이메일: 올바른 이메일 주소가 아닙니다", "분야: 알 수 없는 분야: quantum",
        "시간대: 알 수 없는 시간대: Mars/Base"]


HOSTILE = [
    ({}, "rows"),
    ({"rows": []}, "rows"),
    ({"rows": "KR-1,company"}, "rows"),
    ({"rows": [1, None]}, "rows"),
    ({"rows": [{"name": 5}]}, "rows"),
    ({"rows": [{"name": "x" * 100_000}]}, "rows"),
    ({"rows": [{"favourite_colour": "red"}]}, "rows"),
    ({"rows": [{"sectors": {"ai": "heavy"}}]}, "rows"),
    ({"rows": [{"sectors": "ai; cloud"}]}, "rows"),
    ({"rows": [{"stages": ["seed"] * 1000}]}, "rows"),
    ({"rows": [{"ticket_min_usd": 1.5}]}, "rows"),
    ({"rows": [{"ticket_min_usd": "1000"}]}, "rows"),
    ({"rows": [{"portfolio": [{"year": 2020}], "languages": [{"nested": ["deep"]}]}]}, "rows"),
]


@pytest.mark.parametrize("body, field", HOSTILE)
def test_a_body_of_the_wrong_shape_is_a_422_and_writes_nothing(client, world, body, field):
    before = _counts()

    answer = post(client, world["tokens"]["staff_a"], "/api/v1/events/{event}/imports".format(**world), body)

    assert (answer.status_code, answer.mimetype) == (422, "application/problem+json")
    assert list(answer.get_json()["errors"]["json"]) == [field]
    assert _counts() == before


def test_numbers_that_are_not_finite_are_a_422(client, world):
    body = '{"rows": [{"kind": "investor", "name": "N", "email": "n@x.example", "portfolio": [{"amount_usd": NaN}]}]}'

    answer = client.post("/api/v1/events/{event}/imports".format(**world), data=body, content_type="application/json",
                         headers={"Authorization": f"Bearer {world['tokens']['staff_a']}"})

    assert answer.status_code == 422
    assert answer.get_json()["errors"]["json"]["rows"] == {"0": {"_schema": ["Numbers must be finite."]}}


def test_too_many_rows_is_a_422_naming_the_limit(client, world):
    rows = [{"kind": "company", "name": f"Co {n}", "email": f"c{n}@x.example"} for n in range(10_000)]

    answer = _preview(client, world, rows)

    assert answer.status_code == 422
    assert answer.get_json()["errors"]["json"]["rows"] == [
        "One import takes at most 5,000 rows, and this one has 10,000: send them in several."]
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_a_body_past_the_size_limit_is_a_413(client, world, app):
    rows = [{"kind": "company", "name": "x" * 200, "description": "y" * 5000, "email": f"c{n}@x.example"}
            for n in range(app.config["MAX_CONTENT_LENGTH"] // 5000)]

    answer = client.post("/api/v1/events/{event}/imports".format(**world), data=json.dumps({"rows": rows}),
                         content_type="application/json",
                         headers={"Authorization": f"Bearer {world['tokens']['staff_a']}"})

    assert (answer.status_code, answer.mimetype) == (413, "application/problem+json")
    assert answer.get_json()["detail"] == "The request is larger than this server takes: send it in smaller parts."
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0
