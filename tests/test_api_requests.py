"""/api/v1 meeting requests: a member's write token sends, accepts and declines through the same services as the
pages (audit, e-mails and rules identical); a read token may not write; staff get 403 as on the member pages; a
refusal of the service is a 409 problem with its message."""

import pytest
from sqlalchemy import select

from matchmaker.enums import MeetingStatus, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, MeetingRequest, OutboxMessage
from matchmaker.services import api_tokens


def token_of(user, scope="write") -> str:
    plain = api_tokens.create(user, "test", scope)[1]
    db.session.commit()
    return plain


def call(client, method, token, path, json=None):
    return client.open(path, method=method, json=json, headers={"Authorization": f"Bearer {token}"})


def test_send_then_accept_goes_through_the_services(client, two_by_two):
    event, ai, _health, ai_vc, _health_vc = two_by_two

    sent = call(client, "POST", token_of(ai), f"/api/v1/events/{event.id}/requests",
                {"to_org_id": ai_vc.organization_id, "message": "Shall we meet?"})
    request_id = sent.get_json()["id"]
    accepted = call(client, "POST", token_of(ai_vc), f"/api/v1/requests/{request_id}/accept", {})

    assert sent.status_code == 201 and sent.get_json()["message"] == "Shall we meet?"
    assert (accepted.status_code, accepted.get_json()["status"]) == (200, "accepted")
    db.session.expire_all()
    assert db.session.get(MeetingRequest, request_id).status == RequestStatus.ACCEPTED
    assert db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "MeetingRequest")
                                  .order_by(AuditLog.id)).all() == [
        "request_meeting", "accept"]
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "request_received")) is not None


def test_decline_and_a_second_answer_is_a_409_with_the_services_message(client, two_by_two, make_request):
    event, ai, _health, ai_vc, _health_vc = two_by_two
    item = make_request(event, ai.organization, ai_vc.organization)
    token = token_of(ai_vc)

    first = call(client, "POST", token, f"/api/v1/requests/{item.id}/decline")
    second = call(client, "POST", token, f"/api/v1/requests/{item.id}/decline")

    assert (first.status_code, first.get_json()["status"]) == (200, "declined")
    assert (second.status_code, second.mimetype) == (409, "application/problem+json")
    assert second.get_json()["detail"] == "This request is already declined."


def test_the_sender_cannot_answer_its_own_request(client, two_by_two, make_request):
    event, _ai, health, _ai_vc, health_vc = two_by_two  # both read English
    item = make_request(event, health.organization, health_vc.organization)

    answer = call(client, "POST", token_of(health), f"/api/v1/requests/{item.id}/accept", {})

    assert answer.status_code == 409
    assert answer.get_json()["detail"] == "Only the organization that received the request can answer it."


def test_a_read_token_may_not_write(client, two_by_two):
    event, _ai, health, _ai_vc, health_vc = two_by_two

    answer = call(client, "POST", token_of(health, "read"), f"/api/v1/events/{event.id}/requests",
                  {"to_org_id": health_vc.organization_id})

    assert answer.status_code == 403
    assert answer.get_json()["detail"] == "This token may only read: create a token with the write scope."
    assert db.session.scalars(select(MeetingRequest)).all() == []


@pytest.mark.parametrize("body, field", [({}, "to_org_id"), ({"to_org_id": "x"}, "to_org_id"),
                                         ({"to_org_id": 1, "message": "x" * 2001}, "message")])
def test_bad_bodies_are_422(client, two_by_two, body, field):
    event, ai, *_rest = two_by_two

    answer = call(client, "POST", token_of(ai), f"/api/v1/events/{event.id}/requests", body)

    assert answer.status_code == 422 and field in answer.get_json()["errors"]["json"]


def test_roles_on_the_request_endpoints(client, two_by_two, make_request, make_user, make_org):
    """A rival company (not involved, not a participant) gets 404 / 403; staff get 403 as on the member pages."""
    event, ai, _health, ai_vc, _health_vc = two_by_two
    item = make_request(event, ai.organization, ai_vc.organization)
    rival, staff = make_user(Role.COMPANY), make_user(Role.STAFF)
    paths = [("GET", f"/api/v1/requests/{item.id}", None), ("GET", "/api/v1/requests", None),
             ("POST", f"/api/v1/requests/{item.id}/decline", None),
             ("POST", f"/api/v1/events/{event.id}/requests", {"to_org_id": ai_vc.organization_id})]

    answers = {who: [call(client, m, token_of(user), p, j).status_code for m, p, j in paths]
               for who, user in (("rival", rival), ("staff", staff))}

    assert answers == {"rival": [404, 200, 404, 403], "staff": [403, 403, 403, 403]}
    assert [r["id"] for r in call(client, "GET", token_of(ai_vc), "/api/v1/requests").get_json()] == [item.id]


def test_a_waiting_request_is_withdrawn_without_a_token(client, two_by_two, make_request):
    event, _ai, health, _ai_vc, health_vc = two_by_two
    waiting = make_request(event, health.organization, health_vc.organization)

    withdrawn = call(client, "POST", token_of(health), f"/api/v1/requests/{waiting.id}/cancel")

    assert (withdrawn.status_code, withdrawn.get_json()["status"]) == (200, "cancelled")
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "request_cancelled"))] == [health_vc.email]


def test_an_accepted_meeting_is_cancelled_with_the_previews_token(client, two_by_two, make_request, add_meeting):
    event, ai, _health, _ai_vc, health_vc = two_by_two
    event.published = True
    accepted = make_request(event, health_vc.organization, ai.organization, status=RequestStatus.ACCEPTED)
    meeting = add_meeting(accepted, slot=1)
    token, path = token_of(health_vc), f"/api/v1/requests/{accepted.id}"

    without = call(client, "POST", token, path + "/cancel")
    preview = call(client, "GET", token, path + "/cancellation").get_json()
    stale = call(client, "POST", token, path + "/cancel", {"confirm_token": "0" * 32})
    done = call(client, "POST", token, path + "/cancel", {"confirm_token": preview["confirm_token"]})

    assert (without.status_code, without.get_json()["detail"]) == (
        409, f"Read the cancellation first (GET {path}/cancellation) and send its confirm_token.")
    assert [(u["name"], u["organization_id"]) for u in preview["told"]] == [(ai.name, ai.organization_id)]
    assert (preview["meeting_id"], preview["timezone"], preview["room"], preview["table"]) == (
        meeting.id, "America/Los_Angeles", None, None)
    assert preview["start_dt"] == f"{event.date.isoformat()}T09:30:00-08:00"
    assert stale.status_code == 409 and stale.get_json()["detail"].startswith("The meeting changed since you looked")
    assert (done.status_code, done.get_json()["status"]) == (200, "cancelled")
    db.session.expire_all()
    assert (accepted.status, meeting.status) == (RequestStatus.CANCELLED, MeetingStatus.CANCELLED)
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "request_cancelled"))] == [ai.email]  # the other side, as through the page
    assert db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "MeetingRequest")).all() == [
        "cancel"]


def test_the_preview_hides_the_time_until_the_schedule_is_published(client, two_by_two, make_request, add_meeting):
    event, ai, _health, ai_vc, _health_vc = two_by_two  # a day whose schedule staff publish (not published)
    accepted = make_request(event, ai.organization, ai_vc.organization, status=RequestStatus.ACCEPTED)
    add_meeting(accepted)

    preview = call(client, "GET", token_of(ai), f"/api/v1/requests/{accepted.id}/cancellation").get_json()

    assert (preview["start_dt"], preview["end_dt"], preview["table"], preview["room"]) == (None, None, None, None)
    assert preview["organizations"] == [ai.organization.display_name, ai_vc.organization.display_name]


def test_a_closed_request_has_no_cancellation(client, two_by_two, make_request):
    event, _ai, health, _ai_vc, health_vc = two_by_two  # both read English
    declined = make_request(event, health.organization, health_vc.organization, status=RequestStatus.DECLINED)

    answers = [call(client, method, token_of(health), f"/api/v1/requests/{declined.id}/{action}")
               for method, action in (("GET", "cancellation"), ("POST", "cancel"))]

    assert [(a.status_code, a.get_json()["detail"]) for a in answers] == [
        (409, "This request is already closed.")] * 2


@pytest.mark.parametrize("body", [{"confirm_token": 5}, {"confirm_token": ""}, {"confirm_token": "x" * 65},
                                  {"confirm_token": ["a"]}])
def test_a_token_that_is_no_text_is_422(client, two_by_two, make_request, body):
    event, ai, _health, ai_vc, _health_vc = two_by_two
    accepted = make_request(event, ai.organization, ai_vc.organization, status=RequestStatus.ACCEPTED)

    answer = call(client, "POST", token_of(ai), f"/api/v1/requests/{accepted.id}/cancel", body)

    assert (answer.status_code, list(answer.get_json()["errors"]["json"])) == (422, ["confirm_token"])
