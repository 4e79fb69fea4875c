"""Staff's webhook pages: an office's staff add, edit and delete their endpoints and redeliver from the log; another
office's staff get 403; bad input is shown under its field with what was typed kept."""

from sqlalchemy import select

from matchmaker.enums import Role, WebhookStatus
from matchmaker.extensions import db
from matchmaker.models import WebhookDelivery, WebhookEndpoint
from matchmaker.services import webhooks


def _add(client, office_id, url="https://crm.example.test/hooks", events=("request.declined",), secret=""):
    return client.post("/staff/webhooks", data={"office_id": office_id, "url": url, "secret": secret,
                                                "events": list(events), "active": "y"}, follow_redirects=True)


def test_staff_add_edit_and_delete_an_endpoint(client, auth, make_office, make_user):
    office = make_office()
    auth.login(make_user(Role.STAFF, office_id=office.id))
    page = _add(client, office.id, events=("request.declined", "meeting.moved")).get_data(as_text=True)
    assert "The endpoint is saved" in page
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert (endpoint.office_id, endpoint.url, endpoint.events) == (
        office.id, "https://crm.example.test/hooks", ["request.declined", "meeting.moved"])
    assert len(endpoint.secret) >= 32 and endpoint.secret in page  # generated, shown to the office's staff

    client.post(f"/staff/webhooks/{endpoint.id}", data={
        "office_id": office.id, "url": "https://crm.example.test/v2", "secret": endpoint.secret,
        "events": ["feedback.submitted"]}, follow_redirects=True)
    db.session.expire_all()
    assert (endpoint.url, endpoint.events, endpoint.active) == (
        "https://crm.example.test/v2", ["feedback.submitted"], False)  # the box was left unticked

    client.post(f"/staff/webhooks/{endpoint.id}/delete", follow_redirects=True)
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_bad_input_is_shown_under_its_field(client, auth, make_office, make_user):
    office = make_office()
    auth.login(make_user(Role.STAFF, office_id=office.id))
    page = _add(client, office.id, url="ftp://crm.example.test/x").get_data(as_text=True)
    assert "Give the address as https://" in page and 'value="ftp://crm.example.test/x"' in page
    page = _add(client, office.id, events=()).get_data(as_text=True)
    assert "Choose at least one event to send." in page
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_another_office_cannot_add_see_or_change_an_endpoint(client, auth, make_office, make_user):
    office, other = make_office(), make_office()
    staff = make_user(Role.STAFF, office_id=office.id)
    endpoint = webhooks.create(staff, office.id, "https://crm.example.test/hooks", ["request.declined"])
    delivery = WebhookDelivery(endpoint=endpoint, event_type="request.declined", payload={},
                               status=WebhookStatus.FAILED)
    db.session.add(delivery)
    db.session.commit()
    auth.login(make_user(Role.STAFF, office_id=other.id))
    assert client.get(f"/staff/webhooks/{endpoint.id}").status_code == 403
    assert client.post(f"/staff/webhooks/{endpoint.id}/delete").status_code == 403
    assert client.post(f"/staff/webhooks/deliveries/{delivery.id}/redeliver").status_code == 403
    _add(client, office.id)  # not into another office either: it is no choice of the form
    assert len(db.session.scalars(select(WebhookEndpoint)).all()) == 1
    assert "crm.example.test" not in client.get("/staff/webhooks").get_data(as_text=True)
    db.session.expire_all()
    assert delivery.status == WebhookStatus.FAILED and db.session.get(WebhookEndpoint, endpoint.id) is not None


def test_redeliver_from_the_log_queues_the_delivery_again(client, auth, make_office, make_user, app):
    office = make_office()
    staff = make_user(Role.STAFF, office_id=office.id)
    endpoint = webhooks.create(staff, office.id, "http://127.0.0.1:9/hooks", ["request.declined"])
    delivery = WebhookDelivery(endpoint=endpoint, event_type="request.declined", payload={},
                               status=WebhookStatus.FAILED, attempts=8)
    db.session.add(delivery)
    db.session.commit()
    auth.login(staff)
    page = client.get(f"/staff/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "A meeting request is declined" in page and "Failed" in page
    page = client.post(f"/staff/webhooks/deliveries/{delivery.id}/redeliver", follow_redirects=True)
    assert "The event is sent again in a moment." in page.get_data(as_text=True)
    db.session.expire_all()
    # Sent at once (inline in tests) to a port where nothing listens: a fresh first attempt, waiting to retry.
    assert (delivery.status, delivery.attempts) == (WebhookStatus.QUEUED, 1)
