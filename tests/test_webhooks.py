"""Webhooks (issue 17): a change writes its deliveries in the same transaction; the sender POSTs them, signed, to a
real HTTP server; a 500 is retried with backoff and the retry succeeds; a closed port fails with backoff and gives up
after WEBHOOK_MAX_ATTEMPTS; a redirect is never followed; nothing is written when the change rolls back."""

import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.domain.webhook_signature import HEADER, verify
from matchmaker.enums import RequestStatus, Role, WebhookStatus
from matchmaker.extensions import db
from matchmaker.jobs import start_committed_jobs
from matchmaker.models import WebhookDelivery
from matchmaker.services import ServiceError, meetings, webhooks
from matchmaker.tasks.webhooks import deliver_webhooks

SECRET = "s3cret-for-tests"


class Receiver:
    """A real HTTP server on a free port: records each POST and answers with the next of `answers` (then 200)."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.answers: list[tuple[int, dict]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                code, headers = receiver.answers.pop(0) if receiver.answers else (200, {})
                self.send_response(code)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def declined(make_office, make_program, make_event, make_user, make_participation, make_request):
    """A waiting request at an event of an office; `declined(url)` registers an endpoint for request.declined at
    `url`, declines the request (committed) and returns the endpoint."""
    office = make_office()
    event = make_event(make_program(office))
    company, investor = make_user(Role.COMPANY), make_user(Role.PARTNER)
    staff = make_user(Role.STAFF, office_id=office.id)
    for user in (company, investor):
        make_participation(event, user.organization)
    item = make_request(event, company.organization, investor.organization)

    def run(url: str):
        endpoint = webhooks.create(staff, office.id, url, ["request.declined"], secret=SECRET)
        db.session.commit()
        meetings.decline(investor, item)
        db.session.commit()
        start_committed_jobs()  # what perform() does after its commit: the sender runs (inline in tests)
        return endpoint

    run.item = item
    return run


def _deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_declined_request_reaches_the_receiver_signed(receiver, declined):
    declined(receiver.url)
    [(headers, body)] = receiver.received
    assert verify(SECRET, headers[HEADER], body)
    assert not verify("another secret", headers[HEADER], body)
    assert not verify(SECRET, headers[HEADER], body + b" ")
    sent = json.loads(body)
    assert sent["type"] == "request.declined"
    assert sent["data"]["request"] == {
        "id": declined.item.id, "event_id": declined.item.event_id, "status": "declined",
        "from_organization": {"id": declined.item.from_org_id, "name": declined.item.from_org.display_name},
        "to_organization": {"id": declined.item.to_org_id, "name": declined.item.to_org.display_name}}
    [delivery] = _deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (WebhookStatus.DELIVERED, 1, 200)
    assert sent["id"] == delivery.id


def test_a_500_is_retried_with_backoff_and_the_retry_succeeds(receiver, declined):
    receiver.answers = [(500, {})]
    before = utcnow()
    declined(receiver.url)
    [delivery] = _deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (WebhookStatus.QUEUED, 1, 500)
    assert delivery.next_attempt_dt >= before + timedelta(seconds=30)
    assert deliver_webhooks() == {"delivered": 0, "failed": 0}  # not due yet: nothing is sent
    delivery.next_attempt_dt = utcnow()  # the backoff has passed
    db.session.commit()
    assert deliver_webhooks() == {"delivered": 1, "failed": 0}
    [delivery] = _deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (WebhookStatus.DELIVERED, 2, 200)
    assert [json.loads(body)["id"] for _, body in receiver.received] == [delivery.id, delivery.id]
    assert all(verify(SECRET, headers[HEADER], body) for headers, body in receiver.received)


def test_a_closed_port_fails_with_backoff_then_gives_up(app, declined):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    declined(f"http://127.0.0.1:{port}/hooks")  # nothing listens there any more
    [delivery] = _deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (WebhookStatus.QUEUED, 1, None)
    assert "ConnectionRefused" in delivery.last_error or "Errno" in delivery.last_error
    first_wait = delivery.next_attempt_dt - utcnow()
    delivery.attempts = app.config["WEBHOOK_MAX_ATTEMPTS"] - 1
    delivery.next_attempt_dt = utcnow()
    db.session.commit()
    assert deliver_webhooks() == {"delivered": 0, "failed": 1}
    [delivery] = _deliveries()
    assert (delivery.status, delivery.attempts) == (WebhookStatus.FAILED, app.config["WEBHOOK_MAX_ATTEMPTS"])
    assert first_wait > timedelta(seconds=0)


def test_a_redirect_is_not_followed(receiver, declined):
    elsewhere = Receiver()
    try:
        receiver.answers = [(302, {"Location": elsewhere.url})]
        declined(receiver.url)
        [delivery] = _deliveries()
        assert (delivery.status, delivery.last_status_code) == (WebhookStatus.QUEUED, 302)
        assert elsewhere.received == [] and len(receiver.received) == 1
    finally:
        elsewhere.close()


def test_redeliver_sends_a_delivered_event_again(receiver, declined, make_user):
    endpoint = declined(receiver.url)
    [delivery] = _deliveries()
    staff = make_user(Role.STAFF, office_id=endpoint.office_id)
    webhooks.redeliver(staff, delivery)
    db.session.commit()
    start_committed_jobs()
    assert len(receiver.received) == 2
    assert (_deliveries()[0].status, _deliveries()[0].attempts) == (WebhookStatus.DELIVERED, 1)


def test_nothing_is_written_when_the_change_rolls_back(receiver, declined, make_user):
    item = declined.item
    staff = make_user(Role.STAFF, office_id=item.event.program.office_id)
    webhooks.create(staff, item.event.program.office_id, receiver.url, ["request.declined"], secret=SECRET)
    db.session.commit()
    meetings.decline(item.to_org.users[0], item)
    db.session.rollback()
    start_committed_jobs()
    assert _deliveries() == [] and receiver.received == []
    assert db.session.get(type(item), item.id).status == RequestStatus.REQUESTED


def test_only_subscribed_active_endpoints_of_the_office_get_the_event(receiver, declined, make_office, make_user):
    other_office = make_office()
    staff = make_user(Role.STAFF, office_id=other_office.id)
    webhooks.create(staff, other_office.id, receiver.url, ["request.declined"])  # another office's
    db.session.commit()
    endpoint = declined(receiver.url)
    mine = webhooks.create(staff, endpoint.office_id, receiver.url, ["request.accepted"])  # not this event
    endpoint.active = False
    db.session.commit()
    assert webhooks.emit("request.declined", endpoint.office_id, {}) == 0
    assert mine.id and len(_deliveries()) == 1


@pytest.mark.parametrize("url", ["", "ftp://example.test/x", "example.test/hooks", "https://"])
def test_an_endpoint_needs_an_http_address_and_an_event(declined, make_user, url):
    office_id = declined.item.event.program.office_id
    staff = make_user(Role.STAFF, office_id=office_id)
    with pytest.raises(ServiceError):
        webhooks.create(staff, office_id, url, ["request.declined"])
    with pytest.raises(ServiceError):
        webhooks.create(staff, office_id, "https://crm.example.test/hooks", [])
