"""/api/v1 figures and outbox: the KPI report of a program, an office or a year is the reports page's (compared with
`services.reports` run on its own), each role gets what the pages give it, and the outbox is the staff outbox page's
(the office's messages, filtered, sign-in links hidden, resend and discard acting once)."""

from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from builders.api_pages import page_statuses
from builders.api_world import ROLES, api_world, get, post
from builders.outbox_rows import outbox_row
from sqlalchemy import select

from matchmaker.api.schemas import FiguresSchema
from matchmaker.database import utcnow
from matchmaker.enums import OrgKind, OutboxStatus, Outcome, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Event, Feedback, Office, OutboxMessage, Program, User
from matchmaker.services import api_tokens, reports


def _user(org_id: int) -> User:
    return db.session.scalars(select(User).where(User.organization_id == org_id)).one()


@pytest.fixture
def world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
          add_meeting):
    ids = api_world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
                    add_meeting)
    company, partner = _user(ids["company_org"]), _user(ids["partner_org"])
    staff_b = make_user(Role.STAFF, office_id=ids["other_office"], email="colleague@b.example")
    ids["message"] = outbox_row(company.email)
    ids["failed"] = outbox_row(partner.email, kind="invite", status=OutboxStatus.FAILED, last_error="550 no such user")
    ids["reset"] = outbox_row(company.email, kind="reset_password", status=OutboxStatus.QUEUED, attempts=0,
                          body_text="Reset: http://localhost/reset/secret-token-123")
    ids["other_message"] = outbox_row(staff_b.email)
    ids["year"] = db.session.get(Event, ids["event"]).date.year
    db.session.commit()
    return ids


# path -> status for (company, partner, staff of office A, staff of office B, admin), as the pages answer.
MATRIX = {
    "/api/v1/programs/{program}/kpi": (403, 403, 200, 403, 200),
    "/api/v1/programs/999999/kpi": (403, 403, 404, 404, 404),
    "/api/v1/offices/{office}/kpi": (403, 403, 200, 403, 200),
    "/api/v1/offices/{other_office}/kpi": (403, 403, 403, 200, 200),
    "/api/v1/offices/999999/kpi": (403, 403, 404, 404, 404),
    "/api/v1/kpi/{year}": (403, 403, 200, 200, 200),
    "/api/v1/kpi/1990": (403, 403, 200, 200, 200),
    "/api/v1/kpi/0": (403, 403, 404, 404, 404),
    "/api/v1/kpi/99999": (403, 403, 404, 404, 404),
    "/api/v1/outbox": (403, 403, 200, 200, 200),
    "/api/v1/outbox/summary": (403, 403, 200, 200, 200),
    "/api/v1/outbox/{message}": (403, 403, 200, 404, 200),
    "/api/v1/outbox/{other_message}": (403, 403, 404, 200, 200),
    "/api/v1/outbox/999999": (403, 403, 404, 404, 404),
}


@pytest.mark.parametrize("path", list(MATRIX))
def test_figures_each_role_gets_what_the_pages_give(client, world, path):
    answers = tuple(get(client, world["tokens"][role], path.format(**world)).status_code for role in ROLES)

    assert answers == MATRIX[path]


@pytest.mark.parametrize("path", ["/api/v1/outbox/{message}/resend", "/api/v1/outbox/{message}/discard"])
def test_outbox_actions_each_role_gets_what_the_pages_give(client, world, path):
    answers = tuple(post(client, world["tokens"][role], path.format(**world), {"seen": "nope:1"}).status_code
                    for role in ROLES)

    assert answers == (403, 403, 409, 404, 409)


def _figures(figures) -> dict:
    """A `reports.Figures` as the API writes it (the schema's fields), read from the service's own object."""
    return {name: getattr(figures, name) for name in FiguresSchema().fields} | {
        "consultations": figures.consultations, "ratings": figures.ratings}


@pytest.fixture
def busy_program(world, make_event, make_org, make_participation, make_request, add_meeting):
    """A second day of the same program, ten days ago: a held, rated meeting that ended in an MOU, and a declined
    request."""
    program = db.session.get(Program, world["program"])
    event = make_event(program, published=True, date=program.start_date - timedelta(days=40))  # over
    company, investor = make_org(OrgKind.COMPANY, sectors={"ai": 1.0}), make_org(OrgKind.INVESTOR, country="US")
    buyer = make_org(OrgKind.BUYER)
    for org in (company, investor, buyer):
        make_participation(event, org)
    meeting = add_meeting(make_request(event, company, investor, status=RequestStatus.ACCEPTED))
    make_request(event, buyer, company, status=RequestStatus.DECLINED)
    db.session.add(Feedback(meeting_id=meeting.id, organization_id=company.id, rating=4, follow_up=True,
                            outcome=Outcome.MOU, amount_usd=5000, expected_amount_usd=90000))
    db.session.commit()
    return event


@pytest.mark.parametrize("scope", ["program", "office", "year"])
def test_kpi_figures_are_the_reports_pages(client, world, busy_program, scope):
    staff = db.session.scalars(select(User).where(User.role == Role.STAFF, User.office_id == world["office"])).one()
    obj = {"program": db.session.get(Program, world["program"]), "office": db.session.get(Office, world["office"]),
           "year": None}[scope]
    path = {"program": "/api/v1/programs/{program}/kpi", "office": "/api/v1/offices/{office}/kpi",
            "year": f"/api/v1/kpi/{busy_program.date.year}"}[scope].format(**world)
    events = reports.events_in_scope(staff, scope, obj, busy_program.date.year)
    report = reports.report_for(events)

    body = get(client, world["tokens"]["staff_a"], path).get_json()

    assert (body["scope"], body["id"]) == (scope, obj.id if obj is not None else None)
    assert body["total"] == _figures(report.total)
    assert body["total"]["held"] == 1 and body["total"]["mous"] == 1 and body["total"]["amount_usd"] == 5000
    assert [(row["event_id"], row["figures"]) for row in body["events"]] == [
        (e.id, _figures(report.by["event"][str(e.id)])) for e in events]
    assert body["breakdowns"]["sector"] == [
        {"key": key or None, "figures": _figures(f)} for key, f in report.by["sector"].items()]
    assert body["months"] == [{"month": key, "figures": _figures(f)} for key, f in report.months.items()]


def test_kpi_of_a_program_lists_each_of_its_days(client, world, busy_program):
    body = get(client, world["tokens"]["admin"], "/api/v1/programs/{program}/kpi".format(**world)).get_json()

    assert [row["event_id"] for row in body["events"]] == [busy_program.id, world["event"]]
    assert body["events"][0]["figures"]["declined"] == 1 and body["events"][1]["figures"]["scheduled"] == 1


def test_kpi_of_a_year_without_days_is_zeros(client, world):
    body = get(client, world["tokens"]["staff_a"], "/api/v1/kpi/1990").get_json()

    assert (body["scope"], body["id"], body["year"], body["events"], body["months"]) == ("year", None, 1990, [], [])
    assert body["total"]["requests"] == 0 and body["total"]["held"] == 0
    assert body["total"]["acceptance_rate"] is None and body["total"]["satisfaction"] is None
    assert body["breakdowns"] == {"sector": [], "stage": [], "country": [], "partner_kind": []}


def test_kpi_of_a_year_keeps_to_the_staff_members_office(client, world):
    mine = get(client, world["tokens"]["staff_a"], "/api/v1/kpi/{year}".format(**world)).get_json()
    theirs = get(client, world["tokens"]["staff_b"], "/api/v1/kpi/{year}".format(**world)).get_json()

    assert [row["event_id"] for row in mine["events"]] == [world["event"]]
    assert world["event"] not in [row["event_id"] for row in theirs["events"]]
    assert (mine["total"]["requests"], theirs["total"]["requests"]) == (1, 0)


def _ids(answer) -> list[int]:
    return [item["id"] for item in answer.get_json()]


def test_outbox_lists_the_offices_messages_newest_first(client, world):
    answer = get(client, world["tokens"]["staff_a"], "/api/v1/outbox")

    assert _ids(answer) == [world["reset"], world["failed"], world["message"]]
    assert answer.headers["X-Total-Count"] == "3"
    failed = answer.get_json()[1]
    assert (failed["status"], failed["kind"], failed["last_error"], failed["state"]) == (
        "failed", "invite", "550 no such user", "failed:1")
    assert "body" not in failed


@pytest.mark.parametrize("query, expected", [
    ("status=failed", ["failed"]), ("kind=reset_password", ["reset"]), ("status=sent&kind=invite", []),
    ("q=user", ["reset", "failed", "message"]),
])
def test_outbox_filters_as_the_page(client, world, query, expected):
    answer = get(client, world["tokens"]["staff_a"], f"/api/v1/outbox?{query}")

    assert _ids(answer) == [world[key] for key in expected]


def test_outbox_event_filter_keeps_the_days_invitations(client, world):
    invite = outbox_row(_user(world["partner_org"]).email, kind="invite", dedupe_key=f"invite-{world['meeting']}-1")
    db.session.commit()

    answer = get(client, world["tokens"]["staff_a"], "/api/v1/outbox?event={event}".format(**world))

    assert _ids(answer) == [invite]


def test_outbox_updated_since_keeps_newer_messages(client, world):
    later = (utcnow() + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")

    answer = client.get("/api/v1/outbox", query_string={"updated_since": later},
                        headers={"Authorization": f"Bearer {world['tokens']['admin']}"})

    assert answer.status_code == 200 and answer.get_json() == []


def test_outbox_updated_since_sees_a_message_resent_since(client, world):
    """A system syncing with updated_since learns that an old, failed invitation was sent again (not only new
    messages): the resend and its delivery move the message's updated_dt."""
    long_ago = utcnow() - timedelta(days=30)
    db.session.execute(sa.update(OutboxMessage).values(updated_dt=long_ago))
    db.session.commit()
    since = (long_ago + timedelta(days=1)).isoformat()
    token = world["tokens"]["staff_a"]
    before = get(client, token, f"/api/v1/outbox?updated_since={quote(since)}").get_json()

    post(client, token, "/api/v1/outbox/{failed}/resend".format(**world), {"seen": "failed:1"})
    after = get(client, token, f"/api/v1/outbox?updated_since={quote(since)}").get_json()

    # the resend's delivery run also sent the queued message: both changed, the one sent long ago did not
    every = get(client, token, "/api/v1/outbox").get_json()
    assert before == []
    assert sorted((m["id"], m["status"]) for m in after) == sorted([(world["failed"], "sent"),
                                                                    (world["reset"], "sent")])
    assert len(every) == 3 and all(datetime.fromisoformat(m["updated_dt"]) > long_ago + timedelta(days=1)
                                   for m in after)


def test_outbox_summary_counts_per_kind_for_the_office(client, world):
    mine = get(client, world["tokens"]["staff_a"], "/api/v1/outbox/summary").get_json()
    every = get(client, world["tokens"]["admin"], "/api/v1/outbox/summary").get_json()

    assert mine == {"failed": 1, "kinds": [
        {"kind": "invite", "queued": 0, "sent": 0, "failed": 1, "discarded": 0},
        {"kind": "request_received", "queued": 0, "sent": 1, "failed": 0, "discarded": 0},
        {"kind": "reset_password", "queued": 1, "sent": 0, "failed": 0, "discarded": 0},
    ]}
    assert every["kinds"][1] == {"kind": "request_received", "queued": 0, "sent": 2, "failed": 0, "discarded": 0}


def test_outbox_message_hides_sign_in_links(client, world):
    body = get(client, world["tokens"]["staff_a"], "/api/v1/outbox/{reset}".format(**world)).get_json()

    assert "secret-token-123" not in body["body"] and "[private link hidden]" in body["body"]
    assert (body["id"], body["state"]) == (world["reset"], "queued:0")


def test_outbox_resend_acts_once_and_is_audited(client, world):
    path = "/api/v1/outbox/{failed}/resend".format(**world)
    token = world["tokens"]["staff_a"]

    first = post(client, token, path, {"seen": "failed:1"})
    second = post(client, token, path, {"seen": "failed:1"})

    # queued again, then sent at once by the tests' mail delivery (as through the page)
    assert (first.status_code, first.get_json()["status"], first.get_json()["state"]) == (200, "sent", "sent:2")
    assert (second.status_code, second.get_json()["detail"]) == (409, "Nothing was done: this message is now Sent.")
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "resend_email")).one()
    assert (audit.actor.role, audit.object_id, audit.details["kind"]) == (Role.STAFF, world["failed"], "invite")


def test_outbox_discard_stops_a_queued_message(client, world):
    answer = post(client, world["tokens"]["staff_a"], "/api/v1/outbox/{reset}/discard".format(**world),
                  {"seen": "queued:0"})

    assert (answer.status_code, answer.get_json()["status"]) == (200, "discarded")


def test_outbox_actions_need_a_write_token(client, world):
    staff = api_tokens.authenticate(world["tokens"]["staff_a"]).user
    token = api_tokens.create(staff, "read only")[1]
    db.session.commit()

    answer = post(client, token, "/api/v1/outbox/{failed}/resend".format(**world), {"seen": "failed:1"})

    assert answer.status_code == 403


@pytest.mark.parametrize("path, body", [
    ("/api/v1/outbox?status=lost", None), ("/api/v1/outbox?event=0", None), ("/api/v1/outbox?kind=", None),
    ("/api/v1/outbox?per_page=0", None), ("/api/v1/outbox?updated_since=2027-01-01T00:00:00", None),
    ("/api/v1/outbox?q=" + "x" * 300, None),
    ("/api/v1/outbox/{failed}/resend", {}), ("/api/v1/outbox/{failed}/resend", {"seen": 5}),
    ("/api/v1/outbox/{failed}/resend", {"seen": "x" * 41}), ("/api/v1/outbox/{failed}/discard", []),
])
def test_figures_hostile_input_is_422(client, world, path, body):
    token = world["tokens"]["admin"]
    url = path.format(**world)

    answer = post(client, token, url, body) if "{failed}" in path else get(client, token, url)

    assert (answer.status_code, answer.mimetype) == (422, "application/problem+json")



# API path -> the staff page of the same thing (members open the same staff page, and are refused there too)
PAGES = {
    "/api/v1/kpi/{year}": "/staff/reports?scope=year&year={year}",
    "/api/v1/outbox": "/staff/outbox",
    "/api/v1/outbox?status=failed&kind=invite": "/staff/outbox?status=failed&kind=invite",
    "/api/v1/outbox/{message}": "/staff/outbox/{message}",
    "/api/v1/outbox/{other_message}": "/staff/outbox/{other_message}",
    "/api/v1/outbox/999999": "/staff/outbox/999999",
}


@pytest.mark.parametrize("api_path", list(PAGES))
def test_figures_answer_each_role_as_the_staff_pages_do(app, client, world, api_path):
    pages = page_statuses(app, world, PAGES[api_path])

    answers = [get(client, world["tokens"][role], api_path.format(**world)).status_code for role in ROLES]

    assert answers == pages
