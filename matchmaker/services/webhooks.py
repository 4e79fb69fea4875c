"""Webhooks: staff register endpoints for their office (URL, secret, events); `emit` writes one delivery per
subscribed endpoint in the caller's transaction, so a change and the news of it commit (or roll back) together, and
asks for the sender (`tasks.webhooks.deliver_webhooks`) once that transaction commits. Payloads carry ids and states,
never personal data beyond organization names."""

import secrets
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.domain.network import literal_private
from matchmaker.enums import WEBHOOK_EVENTS, WebhookStatus
from matchmaker.extensions import db
from matchmaker.jobs import enqueue_after_commit
from matchmaker.models import Meeting, User, WebhookDelivery, WebhookEndpoint
from matchmaker.services import ServiceError, audit
from matchmaker.services.queries import office_scope
from matchmaker.tasks.webhooks import deliver_webhooks

EVENT_LABELS = {
    "participation.approved": _l("An application is approved"),
    "request.accepted": _l("A meeting request is accepted"),
    "request.declined": _l("A meeting request is declined"),
    "meeting.scheduled": _l("A meeting is scheduled"),
    "meeting.moved": _l("A meeting is moved"),
    "meeting.cancelled": _l("A meeting is cancelled"),
    "schedule.published": _l("A day's schedule is published"),
    "feedback.submitted": _l("Feedback is given on a meeting"),
}
assert set(EVENT_LABELS) == set(WEBHOOK_EVENTS)
STATUS_LABELS = {WebhookStatus.QUEUED: _l("Waiting"), WebhookStatus.DELIVERED: _l("Delivered"),
                 WebhookStatus.FAILED: _l("Failed")}


def emit(event_type: str, office_id: int, payload: dict) -> int:
    """Queue `event_type` with `payload` for every active endpoint of the office that subscribes to it; returns how
    many deliveries were written."""
    if event_type not in WEBHOOK_EVENTS:
        raise ValueError(f"unknown webhook event {event_type!r}")
    endpoints = db.session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.office_id == office_id, WebhookEndpoint.active.is_(True))).all()
    count = 0
    for endpoint in endpoints:
        if event_type in (endpoint.events or []):
            db.session.add(WebhookDelivery(endpoint=endpoint, event_type=event_type, payload=payload))
            count += 1
    if count:
        db.session.flush()
        enqueue_after_commit(deliver_webhooks, coalesce="webhooks")
    return count


def emit_meeting(event_type: str, meeting: Meeting) -> int:
    """A meeting's event: its id, day, both organizations, state and UTC times."""
    request = meeting.request
    return emit(event_type, meeting.event.program.office_id, {
        "meeting": {"id": meeting.id, "event_id": meeting.event_id, "request_id": request.id,
                    "status": meeting.status.value, "start_dt": meeting.start_dt.isoformat(),
                    "end_dt": meeting.end_dt.isoformat(), "table": meeting.table_label,
                    "organizations": [{"id": org.id, "name": org.display_name}
                                      for org in (request.from_org, request.to_org)]},
    })


def _check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ServiceError(gettext("Give the address as https://… (http:// for a test receiver)."))
    if literal_private(parts.hostname) and not current_app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"]:
        raise ServiceError(gettext("This address is inside a private network: webhooks go only to public "
                                   "addresses."))
    return url


def _check_events(events: list[str]) -> list[str]:
    chosen = [e for e in WEBHOOK_EVENTS if e in set(events or [])]
    if not chosen:
        raise ServiceError(gettext("Choose at least one event to send."))
    return chosen


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def create(actor: User, office_id: int, url: str, events: list[str], secret: str | None = None) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(office_id=office_id, url=_check_url(url), events=_check_events(events),
                               secret=(secret or "").strip() or new_secret(), active=True)
    db.session.add(endpoint)
    db.session.flush()
    audit.record(actor, "webhook_create", endpoint, url=endpoint.url, events=endpoint.events)
    return endpoint


def update(actor: User, endpoint: WebhookEndpoint, url: str, events: list[str], active: bool,
           secret: str | None = None) -> None:
    endpoint.url, endpoint.events, endpoint.active = _check_url(url), _check_events(events), active
    if (secret or "").strip():
        endpoint.secret = secret.strip()
    audit.record(actor, "webhook_update", endpoint, url=endpoint.url, events=endpoint.events, active=active)


def delete(actor: User, endpoint: WebhookEndpoint) -> None:
    audit.record(actor, "webhook_delete", endpoint, url=endpoint.url)
    db.session.delete(endpoint)


def redeliver(actor: User, delivery: WebhookDelivery) -> None:
    """Send the delivery again as soon as the sender runs (its attempts start over)."""
    delivery.status, delivery.attempts, delivery.next_attempt_dt = WebhookStatus.QUEUED, 0, utcnow()
    delivery.claim_token = delivery.lease_until = None
    audit.record(actor, "webhook_redeliver", delivery.endpoint, delivery_id=delivery.id)
    enqueue_after_commit(deliver_webhooks, coalesce="webhooks")


def endpoints_of(user: User) -> list[WebhookEndpoint]:
    """The endpoints of the offices `user` manages (all for admins)."""
    query = select(WebhookEndpoint).order_by(WebhookEndpoint.office_id, WebhookEndpoint.id)
    scope = office_scope(user)
    if scope is not None:
        query = query.where(WebhookEndpoint.office_id == scope)
    return list(db.session.scalars(query))


def deliveries(endpoint: WebhookEndpoint, limit: int = 100) -> list[WebhookDelivery]:
    return list(db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
                                   .order_by(WebhookDelivery.id.desc()).limit(limit)))


def request_payload(item) -> dict:
    """A meeting request's event: its id, day, status and both organizations."""
    return {"request": {"id": item.id, "event_id": item.event_id, "status": item.status.value,
                        "from_organization": {"id": item.from_org_id, "name": item.from_org.display_name},
                        "to_organization": {"id": item.to_org_id, "name": item.to_org.display_name}}}


def participation_payload(participation) -> dict:
    return {"participation": {"id": participation.id, "event_id": participation.event_id,
                              "status": participation.status.value,
                              "organization": {"id": participation.organization_id,
                                               "name": participation.organization.display_name}}}
