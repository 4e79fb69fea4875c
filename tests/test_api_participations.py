"""/api/v1 participations: each role sees and changes what the pages let it (staff of the day's office and admins
every participation, a member its own); applying, approving and rejecting go through the pages' services, so the
audit entries, e-mails and webhook deliveries are the pages' own; rejecting an approved participant with meetings
needs its preview's token, as the page first shows what it cancels."""

from datetime import date, timedelta

import pytest
from builders.api_world import ROLES, api_world, get, post
from sqlalchemy import select

from matchmaker.enums import MeetingStatus, ParticipationStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Meeting, OutboxMessage, Participation, WebhookDelivery
from matchmaker.services import api_tokens, webhooks


@pytest.fixture
def world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
          add_meeting):
    world = api_world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
                      add_meeting)
    of = {p.organization_id: p.id for p in db.session.scalars(
        select(Participation).where(Participation.event_id == world["event"]))}
    applicant = make_user(Role.COMPANY)
    applied = make_participation(db.session.get(Participation, of[world["company_org"]]).event,
                                 applicant.organization, ParticipationStatus.APPLIED)
    return {**world, "company_p": of[world["company_org"]], "partner_p": of[world["partner_org"]],
            "other_p": of[world["other_org"]], "applied_p": applied.id, "applicant": applicant}


def _status(participation_id: int) -> ParticipationStatus:
    db.session.expire_all()
    return db.session.get(Participation, participation_id).status


# path -> status for (company, partner, staff of office A, staff of office B, admin), as the pages answer.
READS = {
    "/api/v1/events/{event}/participations": (200, 200, 200, 403, 200),
    "/api/v1/events/{other_event}/participations": (200, 200, 403, 200, 200),
    "/api/v1/events/999999/participations": (404, 404, 404, 404, 404),
    "/api/v1/participations/{company_p}": (200, 404, 200, 403, 200),
    "/api/v1/participations/{other_p}": (404, 404, 200, 403, 200),
    "/api/v1/participations/999999": (404, 404, 404, 404, 404),
    "/api/v1/participations/{applied_p}/approve": (403, 403, 200, 403, 200),
    "/api/v1/participations/{partner_p}/reject": (403, 403, 200, 403, 200),
    "/api/v1/participations/999999/reject": (403, 403, 404, 404, 404),
}


@pytest.mark.parametrize("path", list(READS))
def test_each_role_reads_what_the_pages_show(client, world, path):
    answers = tuple(get(client, world["tokens"][role], path.format(**world)).status_code for role in ROLES)

    assert answers == READS[path]


# (path, body) -> status per role, each on a fresh world; the staff answers are those of the staff pages (403 for
# another office's day), a member's those of the member pages (staff may not apply).
WRITES = [
    ("/api/v1/events/{other_event}/participations", None, (201, 201, 403, 403, 403)),
    ("/api/v1/participations/{applied_p}/approve", {}, (403, 403, 200, 403, 200)),
    ("/api/v1/participations/{applied_p}/reject", {"reason": "Full"}, (403, 403, 200, 403, 200)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path, body, statuses", WRITES)
def test_each_role_changes_what_the_pages_let_it(client, world, role, path, body, statuses):
    answer = post(client, world["tokens"][role], path.format(**world), body)

    assert answer.status_code == statuses[ROLES.index(role)]


def test_lists_hold_what_the_role_sees(client, world):
    path = "/api/v1/events/{event}/participations".format(**world)
    ids = {role: [p["id"] for p in get(client, world["tokens"][role], path).get_json()]
           for role in ("company", "staff_a", "admin")}
    applied = get(client, world["tokens"]["staff_a"], path + "?status=applied").get_json()

    everyone = sorted([world["company_p"], world["partner_p"], world["other_p"], world["applied_p"]])
    assert ids == {"company": [world["company_p"]], "staff_a": everyone, "admin": everyone}
    assert [(p["id"], p["status"], p["organization_id"]) for p in applied] == [
        (world["applied_p"], "applied", world["applicant"].organization_id)]
    assert get(client, world["tokens"]["staff_a"], path + "?status=maybe").status_code == 422


def test_updated_since_keeps_what_changed(client, world):
    later = db.session.get(Participation, world["applied_p"])
    later.updated_dt = later.updated_dt + timedelta(days=2)
    db.session.commit()
    since = (later.updated_dt - timedelta(days=1)).isoformat().replace("+00:00", "Z")

    answer = get(client, world["tokens"]["staff_a"],
                 "/api/v1/events/{event}/participations?updated_since=".format(**world) + since)

    assert [p["id"] for p in answer.get_json()] == [world["applied_p"]]


def test_apply_goes_through_the_service_and_twice_is_a_409(client, world):
    path = "/api/v1/events/{other_event}/participations".format(**world)

    first = post(client, world["tokens"]["company"], path)
    second = post(client, world["tokens"]["company"], path)

    assert (first.status_code, first.get_json()["status"]) == (201, "applied")
    assert first.get_json()["organization_id"] == world["company_org"]
    assert (second.status_code, second.mimetype) == (409, "application/problem+json")
    assert second.get_json()["detail"] == "이 매칭 데이에 이미 참가 신청하셨습니다."  # the company reads Korean
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "apply")).one()
    assert (entry.object_id, entry.details) == (first.get_json()["id"], {"event_id": world["other_event"]})


def test_applying_writes_what_the_page_writes(client, auth, world, make_user):
    by_page, by_api = make_user(Role.COMPANY), make_user(Role.COMPANY)
    token = api_tokens.create(by_api, "test", "write")[1]
    db.session.commit()
    auth.login(by_page)
    client.post("/events/{other_event}/apply".format(**world))

    answer = post(client, token, "/api/v1/events/{other_event}/participations".format(**world))

    page_p = db.session.scalars(select(Participation).where(
        Participation.organization_id == by_page.organization_id)).one()
    assert answer.status_code == 201 and page_p.status == ParticipationStatus.APPLIED
    assert _trail(answer.get_json()["id"], by_api.organization) == _trail(page_p.id, by_page.organization) == (
        ["apply"], [])


def test_apply_to_a_day_that_is_over_is_a_409(client, world, make_event, make_program):
    past = make_event(make_program(start_date=date.today() - timedelta(days=30),
                                   end_date=date.today() - timedelta(days=1)), date=date.today() - timedelta(days=2))

    answer = post(client, world["tokens"]["partner"], f"/api/v1/events/{past.id}/participations")

    assert (answer.status_code, answer.get_json()["detail"]) == (409, "This matchmaking day is over.")


def test_apply_waits_for_the_privacy_consent(client, world, make_user):
    newcomer = make_user(Role.COMPANY, consented=False)
    token = api_tokens.create(newcomer, "test", "write")[1]
    db.session.commit()

    answer = post(client, token, "/api/v1/events/{other_event}/participations".format(**world))

    assert answer.status_code == 403
    assert answer.get_json()["detail"] == "Agree to the privacy notice first: sign in to Matchmaker, which asks you."
    assert db.session.scalars(select(Participation).where(
        Participation.organization_id == newcomer.organization_id)).all() == []


def _trail(participation_id: int, organization) -> tuple[list, list]:
    db.session.expire_all()
    actions = list(db.session.scalars(select(AuditLog.action).where(
        AuditLog.object_type == "Participation", AuditLog.object_id == participation_id)))
    mails = sorted(db.session.execute(select(OutboxMessage.kind, OutboxMessage.to_address).where(
        OutboxMessage.to_address.in_([u.email for u in organization.users]))).all())
    return actions, [kind for kind, _address in mails]


def test_approving_writes_what_the_page_writes_and_the_webhook(client, auth, world, make_user, make_participation):
    staff = make_user(Role.STAFF, office_id=world["office"])
    webhooks.create(staff, world["office"], "http://127.0.0.1:9/hooks", ["participation.approved"])
    by_page = make_user(Role.COMPANY)
    page_p = make_participation(db.session.get(Participation, world["applied_p"]).event, by_page.organization,
                                ParticipationStatus.APPLIED)
    db.session.commit()
    auth.login(staff)
    client.post(f"/staff/participations/{page_p.id}/decide", data={"approve": "1", "reason": ""})

    answer = post(client, world["tokens"]["staff_a"], "/api/v1/participations/{applied_p}/approve".format(**world))

    assert (answer.status_code, answer.get_json()["status"]) == (200, "approved")
    assert _status(page_p.id) == _status(world["applied_p"]) == ParticipationStatus.APPROVED
    assert _trail(world["applied_p"], world["applicant"].organization) == _trail(page_p.id, by_page.organization) \
        == (["approve"], ["participation_decided"])
    payloads = [d.payload["participation"]["id"] for d in db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.event_type == "participation.approved")
        .order_by(WebhookDelivery.id))]
    assert payloads == [page_p.id, world["applied_p"]]


def test_a_rejection_needs_a_reason(client, world):
    answer = post(client, world["tokens"]["staff_a"], "/api/v1/participations/{applied_p}/reject".format(**world),
                  {"reason": "   "})

    assert answer.status_code == 422
    assert answer.get_json()["errors"]["json"]["reason"] == ["Give the applicant a reason for the rejection."]
    assert _status(world["applied_p"]) == ParticipationStatus.APPLIED


def test_rejecting_an_application_tells_the_applicant(client, world):
    answer = post(client, world["tokens"]["admin"], "/api/v1/participations/{applied_p}/reject".format(**world),
                  {"reason": "The day is full."})

    assert (answer.status_code, answer.get_json()["reason"]) == (200, "The day is full.")
    assert _trail(world["applied_p"], world["applicant"].organization) == (["reject"], ["participation_decided"])


def test_the_same_decision_twice_is_a_409(client, world):
    path = "/api/v1/participations/{company_p}/approve".format(**world)  # approved already

    answer = post(client, world["tokens"]["staff_a"], path)
    preview = get(client, world["tokens"]["staff_a"], path).get_json()

    assert (answer.status_code, answer.get_json()["detail"]) == (
        409, "None of the selected applications can take this decision.")
    assert (preview["changes"], preview["emails"], preview["cancelled_meetings"]) == (False, 0, [])


def test_rejecting_a_participant_with_meetings_needs_the_previews_token(client, world):
    """The partner meets another company: rejecting it cancels that meeting, so it is shown first."""
    path = "/api/v1/participations/{partner_p}/reject".format(**world)
    token = world["tokens"]["staff_a"]

    blind = post(client, token, path, {"reason": "Left the fund."})
    preview = get(client, token, path).get_json()
    stale = post(client, token, path, {"reason": "Left the fund.", "confirm_token": "0" * 32})
    assert _status(world["partner_p"]) == ParticipationStatus.APPROVED
    done = post(client, token, path, {"reason": "Left the fund.", "confirm_token": preview["confirm_token"]})

    assert blind.status_code == 409 and blind.get_json()["detail"].endswith(
        f"(GET /api/v1/participations/{world['partner_p']}/reject) and send its confirm_token.")
    assert [m["id"] for m in preview["cancelled_meetings"]] == [world["meeting"]]
    assert preview["changes"] is True and preview["participation"]["id"] == world["partner_p"]
    assert stale.status_code == 409 and stale.get_json()["detail"].startswith("The selection changed")
    assert (done.status_code, done.get_json()["status"]) == (200, "rejected")
    db.session.expire_all()
    assert db.session.get(Meeting, world["meeting"]).status == MeetingStatus.CANCELLED


def test_a_read_token_may_not_decide(client, world, make_user):
    staff = make_user(Role.STAFF, office_id=world["office"])
    token = api_tokens.create(staff, "test", "read")[1]
    db.session.commit()

    answer = post(client, token, "/api/v1/participations/{applied_p}/approve".format(**world))

    assert answer.status_code == 403 and _status(world["applied_p"]) == ParticipationStatus.APPLIED
