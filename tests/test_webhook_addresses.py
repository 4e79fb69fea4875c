"""Webhooks go to public addresses only (unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES, as in the tests' own receivers):
staff cannot register this machine or a private network, and a name that resolves to one is refused when sending."""

import pytest

from matchmaker.domain.network import literal_private, resolves_private
from matchmaker.enums import Role, WebhookStatus
from matchmaker.extensions import db
from matchmaker.models import WebhookDelivery
from matchmaker.services import ServiceError, webhooks
from matchmaker.tasks.webhooks import deliver_webhooks


@pytest.mark.parametrize("host, private", [
    ("127.0.0.1", True), ("localhost", True), ("LOCALHOST.", True), ("api.localhost", True),
    ("10.1.2.3", True), ("192.168.0.10", True), ("172.16.5.4", True), ("169.254.169.254", True),
    ("0.0.0.0", True), ("::1", True), ("[::1]", True), ("fe80::1%eth0", True), ("::ffff:127.0.0.1", True),
    ("fc00::1", True), ("8.8.8.8", False), ("2001:4860:4860::8888", False), ("crm.example.com", False),
])
def test_literal_private_addresses(host, private):
    assert literal_private(host) is private


def test_a_name_is_judged_by_what_it_resolves_to():
    assert resolves_private("localhost") is True
    assert resolves_private("name-that-does-not-resolve.invalid") is False


@pytest.fixture
def public_only(app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/hooks", "https://169.254.169.254/latest/meta-data",
                                 "http://[::1]/x", "https://localhost/hooks", "http://10.0.0.7/crm"])
def test_staff_cannot_register_a_private_address(public_only, make_office, make_user, url):
    office = make_office()
    staff = make_user(Role.STAFF, office_id=office.id)
    with pytest.raises(ServiceError, match="private network"):
        webhooks.create(staff, office.id, url, ["request.declined"])


def test_a_delivery_to_a_private_address_is_refused_when_sending(app, public_only, make_office, make_user,
                                                                  monkeypatch):
    office = make_office()
    staff = make_user(Role.STAFF, office_id=office.id)
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", True)  # registered while allowed…
    webhooks.create(staff, office.id, "http://127.0.0.1:9/hooks", ["request.declined"])
    webhooks.emit("request.declined", office.id, {"id": 1})
    db.session.commit()
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)  # …then the rule holds when sending
    counts = deliver_webhooks()

    [delivery] = db.session.query(WebhookDelivery).all()
    assert counts == {"delivered": 0, "failed": 1}
    assert delivery.status == WebhookStatus.QUEUED and "private address" in delivery.last_error
    assert delivery.last_status_code is None


def test_the_periodic_send_tries_deliveries_whose_wake_up_was_lost(app, make_office, make_user):
    """A delivery due with no job asked for it (the worker restarted): `flask outbox send` tries it."""
    office = make_office()
    staff = make_user(Role.STAFF, office_id=office.id)
    webhooks.create(staff, office.id, "http://127.0.0.1:9/hooks", ["request.declined"])  # nothing listens there
    webhooks.emit("request.declined", office.id, {"id": 1})
    db.session.commit()  # committed without starting the job: its wake-up is lost

    result = app.test_cli_runner().invoke(args=["outbox", "send"])

    assert "Webhooks delivered 0; failed attempts 1." in result.output
    db.session.expire_all()
    [delivery] = db.session.query(WebhookDelivery).all()
    assert delivery.attempts == 1 and "Connection" in delivery.last_error
