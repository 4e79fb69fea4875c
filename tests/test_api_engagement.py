"""/api/v1 recommendations and feedback: a member reads its own 'Recommended for you' list (the page's order, scores
and reasons in its language) and gives feedback through the feedback form's service (rules, audit, webhook); staff of
the office read any participant's list and both sides' feedback; each role gets what the pages give it."""

from datetime import timedelta

import pytest
from builders.api_pages import page_statuses
from builders.api_world import ROLES, api_world, get, post
from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.enums import MeetingStatus, Outcome, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Event, Feedback, Meeting, Organization, User, WebhookDelivery
from matchmaker.services import recommendations, webhooks
from matchmaker.services.shortlist import set_shortlisted


@pytest.fixture
def world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
          add_meeting):
    return api_world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
                     add_meeting)


def _user(org_id: int) -> User:
    return db.session.scalars(select(User).where(User.organization_id == org_id)).one()


@pytest.fixture
def started(world, monkeypatch):
    """The world's meeting has taken place (the feedback service's clock is an hour past its end)."""
    later = db.session.get(Meeting, world["meeting"]).end_dt + timedelta(hours=1)
    monkeypatch.setattr("matchmaker.services.feedback.utcnow", lambda: later)
    return later


# path -> status for (company, partner, staff of office A, staff of office B, admin), as the pages answer.
MATRIX = {
    "/api/v1/events/{event}/recommendations": (200, 200, 403, 403, 403),
    "/api/v1/events/{other_event}/recommendations": (403, 403, 403, 403, 403),
    "/api/v1/events/999999/recommendations": (404, 404, 403, 403, 403),
    "/api/v1/events/{event}/organizations/{company_org}/recommendations": (403, 403, 200, 403, 200),
    "/api/v1/events/{event}/organizations/{partner_org}/recommendations": (403, 403, 200, 403, 200),
    "/api/v1/events/{event}/organizations/999999/recommendations": (403, 403, 404, 403, 404),
    "/api/v1/events/{other_event}/organizations/{company_org}/recommendations": (403, 403, 403, 404, 404),
    "/api/v1/meetings/{meeting}/feedback": (404, 200, 200, 403, 200),
    "/api/v1/meetings/999999/feedback": (404, 404, 404, 404, 404),
    "/api/v1/events/{event}/feedback": (403, 403, 200, 403, 200),
    "/api/v1/events/{other_event}/feedback": (403, 403, 403, 200, 200),
    "/api/v1/events/999999/feedback": (403, 403, 404, 404, 404),
}


@pytest.mark.parametrize("path", list(MATRIX))
def test_engagement_each_role_gets_what_the_pages_give(client, world, path):
    answers = tuple(get(client, world["tokens"][role], path.format(**world)).status_code for role in ROLES)

    assert answers == MATRIX[path]


@pytest.mark.parametrize("started_yet, expected", [(False, (404, 409, 403, 403, 403)),
                                                   (True, (404, 200, 403, 403, 403))])
def test_giving_feedback_each_role_gets_what_the_pages_give(client, world, monkeypatch, started_yet, expected):
    if started_yet:
        later = db.session.get(Meeting, world["meeting"]).end_dt + timedelta(hours=1)
        monkeypatch.setattr("matchmaker.services.feedback.utcnow", lambda: later)
    path = "/api/v1/meetings/{meeting}/feedback".format(**world)

    answers = tuple(post(client, world["tokens"][role], path, {"rating": 4}).status_code for role in ROLES)

    assert answers == expected


def test_feedback_before_the_meeting_is_a_409_with_the_forms_message(client, world):
    answer = post(client, world["tokens"]["partner"], "/api/v1/meetings/{meeting}/feedback".format(**world),
                  {"rating": 4})

    assert (answer.status_code, answer.mimetype) == (409, "application/problem+json")
    assert answer.get_json()["detail"] == "You can give feedback once the meeting has started."
    assert db.session.scalars(select(Feedback)).all() == []


def test_feedback_is_saved_audited_and_announced_as_through_the_form(client, world, started):
    staff = db.session.scalars(select(User).where(User.role == Role.STAFF, User.office_id == world["office"])).one()
    webhooks.create(staff, world["office"], "http://127.0.0.1:9/hooks", ["feedback.submitted"])
    db.session.commit()
    body = {"rating": 5, "follow_up": True, "outcome": "mou", "amount_usd": 1200, "expected_amount_usd": 50000,
            "comment": "  Good fit  "}

    answer = post(client, world["tokens"]["partner"], "/api/v1/meetings/{meeting}/feedback".format(**world), body)

    saved = db.session.scalars(select(Feedback)).one()
    assert answer.status_code == 200
    assert {key: answer.get_json()[key] for key in ("id", "meeting_id", "organization_id", "rating", "comment")} == {
        "id": saved.id, "meeting_id": world["meeting"], "organization_id": world["partner_org"], "rating": 5,
        "comment": "Good fit"}
    assert (saved.outcome, saved.follow_up, saved.amount_usd, saved.expected_amount_usd) == (
        Outcome.MOU, True, 1200, 50000)
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "give_feedback")).one()
    assert (audit.object_id, audit.details) == (saved.id, {"meeting_id": world["meeting"], "rating": 5,
                                                           "follow_up": True, "outcome": "mou"})
    delivery = db.session.scalars(select(WebhookDelivery)).one()
    assert (delivery.event_type, delivery.payload["feedback"]["rating"]) == ("feedback.submitted", 5)


def test_feedback_given_again_updates_it(client, world, started):
    path = "/api/v1/meetings/{meeting}/feedback".format(**world)
    token = world["tokens"]["partner"]

    first = post(client, token, path, {"rating": 2})
    second = post(client, token, path, {"rating": 4, "outcome": "nda"})

    assert first.get_json()["id"] == second.get_json()["id"]
    assert (second.get_json()["rating"], second.get_json()["outcome"]) == (4, "nda")
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("%_feedback"))
                                 .order_by(AuditLog.id)).all()
    assert actions == ["give_feedback", "update_feedback"]


def test_feedback_on_a_cancelled_meeting_is_not_found(client, world, started):
    db.session.get(Meeting, world["meeting"]).status = MeetingStatus.CANCELLED
    db.session.commit()

    answer = post(client, world["tokens"]["partner"], "/api/v1/meetings/{meeting}/feedback".format(**world),
                  {"rating": 4})

    assert answer.status_code == 404


@pytest.fixture
def both_sides(world):
    """Feedback of both sides of the world's meeting."""
    meeting = db.session.get(Meeting, world["meeting"])
    rows = {org: Feedback(meeting_id=meeting.id, organization_id=world[org], rating=rating, comment=f"From {org}")
            for org, rating in (("other_org", 3), ("partner_org", 5))}
    db.session.add_all(rows.values())
    db.session.commit()
    return {org: row.id for org, row in rows.items()}


def test_a_member_reads_its_own_feedback_and_staff_both_sides(client, world, both_sides):
    path = "/api/v1/meetings/{meeting}/feedback".format(**world)

    mine = get(client, world["tokens"]["partner"], path).get_json()
    staff = get(client, world["tokens"]["staff_a"], path).get_json()

    assert [(f["id"], f["organization_id"], f["comment"]) for f in mine] == [
        (both_sides["partner_org"], world["partner_org"], "From partner_org")]
    assert [f["id"] for f in staff] == [both_sides["other_org"], both_sides["partner_org"]]


def test_the_days_feedback_list_pages_and_filters_by_updated_since(client, world, both_sides):
    token = world["tokens"]["admin"]
    later = (utcnow() + timedelta(minutes=5)).isoformat()

    first = get(client, token, "/api/v1/events/{event}/feedback?per_page=1".format(**world))
    none = client.get("/api/v1/events/{event}/feedback".format(**world), query_string={"updated_since": later},
                      headers={"Authorization": f"Bearer {token}"})

    assert [f["id"] for f in first.get_json()] == [both_sides["other_org"]]
    assert first.headers["X-Total-Count"] == "2" and 'rel="next"' in first.headers["Link"]
    assert none.get_json() == []


def test_a_members_recommendations_are_its_pages(client, auth, world):
    recommendations.compute(db.session.get(Event, world["event"]))
    db.session.commit()
    company = _user(world["company_org"])
    expected = recommendations.for_company(db.session.get(Event, world["event"]), company.organization)

    answer = get(client, world["tokens"]["company"], "/api/v1/events/{event}/recommendations".format(**world))
    auth.login(company)
    page = client.get("/events/{event}/recommended".format(**world)).get_data(as_text=True)

    items = answer.get_json()
    assert [(i["organization_id"], i["score"], [r["code"] for r in i["reasons"]]) for i in items] == [
        (r.partner_id, r.score, [code for code, _params in r.reasons]) for r in expected]
    assert [i["organization_id"] for i in items] == [world["partner_org"]]
    languages = next(r for r in items[0]["reasons"] if r["code"] == "common_language")
    assert (languages["params"], languages["text"]) == ({"languages": ["en"]}, "공통 언어: 영어")  # it reads Korean
    assert all(reason["text"] in page for reason in items[0]["reasons"])
    assert (items[0]["shortlisted"], items[0]["request_id"]) == (False, None)


def test_recommendations_are_computed_on_the_first_call(client, world):
    answer = get(client, world["tokens"]["partner"], "/api/v1/events/{event}/recommendations".format(**world))

    event = db.session.get(Event, world["event"])
    partner = db.session.get(Organization, world["partner_org"])
    assert [i["organization_id"] for i in answer.get_json()] == [
        r.company_id for r in recommendations.for_partner(event, partner)]
    assert {i["organization_id"] for i in answer.get_json()} == {world["company_org"], world["other_org"]}
    other = next(i for i in answer.get_json() if i["organization_id"] == world["other_org"])
    assert other["request_status"] == "accepted"  # the world's meeting


def test_a_members_shortlist_is_marked(client, world):
    event = db.session.get(Event, world["event"])
    recommendations.compute(event)
    set_shortlisted(_user(world["company_org"]), event, db.session.get(Organization, world["partner_org"]), True)
    db.session.commit()

    items = get(client, world["tokens"]["company"], "/api/v1/events/{event}/recommendations".format(**world))

    assert [(i["organization_id"], i["shortlisted"]) for i in items.get_json()] == [(world["partner_org"], True)]


def test_staff_read_a_participants_list_as_stored(client, world):
    event = db.session.get(Event, world["event"])
    recommendations.compute(event)
    db.session.commit()
    path = "/api/v1/events/{event}/organizations/{partner_org}/recommendations".format(**world)

    items = get(client, world["tokens"]["staff_a"], path).get_json()

    partner = db.session.get(Organization, world["partner_org"])
    assert [(i["organization_id"], i["score"]) for i in items] == [
        (r.company_id, r.score) for r in recommendations.for_partner(event, partner)]
    assert all(i["shortlisted"] is False for i in items) and len(items) == 2


@pytest.mark.parametrize("body", [
    {}, {"rating": 0}, {"rating": 6}, {"rating": "4"}, {"rating": 4.5}, {"rating": None},
    {"rating": 4, "outcome": "great"}, {"rating": 4, "amount_usd": -1}, {"rating": 4, "amount_usd": 10**11},
    {"rating": 4, "expected_amount_usd": "lots"}, {"rating": 4, "comment": "x" * 2001},
    {"rating": 4, "follow_up": "perhaps"}, [], "4",
])
def test_engagement_hostile_input_is_422(client, world, started, body):
    answer = post(client, world["tokens"]["partner"], "/api/v1/meetings/{meeting}/feedback".format(**world), body)

    assert (answer.status_code, answer.mimetype) == (422, "application/problem+json")
    assert db.session.scalars(select(Feedback)).all() == []


@pytest.mark.parametrize("query", ["page=0", "per_page=500", "updated_since=tomorrow"])
def test_the_days_feedback_list_refuses_bad_arguments(client, world, query):
    answer = get(client, world["tokens"]["admin"], "/api/v1/events/{event}/feedback?{query}".format(**world,
                                                                                                   query=query))

    assert answer.status_code == 422


# API path -> the member's page of the same thing (staff are refused a member's page, as its API)
PAGES = {
    "/api/v1/events/{event}/recommendations": "/events/{event}/recommended",
    "/api/v1/events/{other_event}/recommendations": "/events/{other_event}/recommended",
    "/api/v1/events/999999/recommendations": "/events/999999/recommended",
}


@pytest.mark.parametrize("api_path", list(PAGES))
def test_recommendations_answer_each_role_as_the_page_does(app, client, world, api_path):
    pages = page_statuses(app, world, PAGES[api_path])

    answers = [get(client, world["tokens"][role], api_path.format(**world)).status_code for role in ROLES]

    assert answers == pages


def test_a_members_feedback_answers_as_the_feedback_page_does(app, client, world, started):
    path = "/meetings/{meeting}/feedback".format(**world)
    pages = page_statuses(app, world, path, ("company", "partner"))

    answers = [get(client, world["tokens"][role], "/api/v1" + path).status_code for role in ("company", "partner")]

    assert answers == pages == [404, 200]
