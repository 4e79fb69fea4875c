"""The webhook sender (`deliver_webhooks`): POSTs the due deliveries, signed, and marks each delivered or retried
with backoff, then failed after WEBHOOK_MAX_ATTEMPTS. Like the mail outbox (tasks/mail.py) it claims a batch with
its own token and a lease, committed before anything is sent, so concurrent senders never send one delivery twice
at once; every mark applies only while the claim is still the sender's.

A receiver gets a short timeout and no redirect is followed (a 3xx counts as a failure): the URL staff registered
is the only place the body goes.
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from matchmaker.database import utcnow
from matchmaker.domain.network import resolves_private
from matchmaker.domain.webhook_signature import HEADER, sign
from matchmaker.enums import WebhookStatus
from matchmaker.extensions import db
from matchmaker.jobs import enqueue_at
from matchmaker.models import WebhookDelivery

BATCH_SIZE = 20
LEASE = timedelta(minutes=5)
TIMEOUT_SECONDS = 5


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx: counted as a failed attempt


_OPENER = urllib.request.build_opener(_NoRedirect)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, … at most about 8.5 hours."""
    return timedelta(seconds=30 * 2 ** min(attempts - 1, 10))


def _claimable(now):
    return and_(WebhookDelivery.status == WebhookStatus.QUEUED, WebhookDelivery.next_attempt_dt <= now,
                or_(WebhookDelivery.claim_token.is_(None), WebhookDelivery.lease_until < now))


def _claim(token: str) -> list[dict]:
    now = utcnow()
    picked = db.session.scalars(
        select(WebhookDelivery.id).where(_claimable(now)).order_by(WebhookDelivery.id).limit(BATCH_SIZE)
        .with_for_update(skip_locked=True)
    ).all()
    if picked:
        db.session.execute(update(WebhookDelivery).where(WebhookDelivery.id.in_(picked), _claimable(now))
                           .values(claim_token=token, lease_until=now + LEASE)
                           .execution_options(synchronize_session=False))
    db.session.commit()
    rows = db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.claim_token == token)).all()
    batch = [{"id": d.id, "url": d.endpoint.url, "secret": d.endpoint.secret, "attempts": d.attempts,
              "body": json.dumps({"id": d.id, "type": d.event_type, "created": d.created_dt.isoformat(),
                                  "data": d.payload}, ensure_ascii=False, sort_keys=True).encode()}
             for d in rows]
    db.session.rollback()
    return batch


def _post(item: dict) -> int:
    """POST the body; the receiver's status code (an HTTPError's too). Raises OSError when nothing answered."""
    parts = urllib.parse.urlsplit(item["url"])
    if not current_app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] and resolves_private(parts.hostname, parts.port):
        raise ValueError(f"{parts.hostname} is a private address: webhooks go only to public addresses")
    stamp = int(time.time())
    request = urllib.request.Request(item["url"], data=item["body"], method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "Matchmaker-Webhooks/1",
        HEADER: sign(item["secret"], stamp, item["body"]),
    })
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _mark(item: dict, token: str, code: int | None, error: str | None) -> None:
    attempts = item["attempts"] + 1
    values = dict(attempts=attempts, last_status_code=code, claim_token=None, lease_until=None)
    if code is not None and 200 <= code < 300:
        values.update(status=WebhookStatus.DELIVERED, delivered_dt=utcnow(), last_error=None)
    else:
        values.update(last_error=(error or f"HTTP {code}")[:2000], next_attempt_dt=utcnow() + backoff(attempts))
        if attempts >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]:
            values["status"] = WebhookStatus.FAILED
    db.session.execute(update(WebhookDelivery)
                       .where(WebhookDelivery.id == item["id"], WebhookDelivery.claim_token == token)
                       .values(**values).execution_options(synchronize_session=False))
    db.session.commit()


def deliver_webhooks() -> dict:
    """Send every due delivery once. Returns counts of delivered and failed attempts."""
    token = str(uuid.uuid4())
    counts = {"delivered": 0, "failed": 0}
    while batch := _claim(token):
        for item in batch:
            try:
                code, error = _post(item), None
            except (OSError, ValueError) as exc:  # refused, timed out, unknown host, a URL urllib cannot open
                code, error = None, f"{type(exc).__name__}: {exc}"
            _mark(item, token, code, error)
            counts["delivered" if code is not None and 200 <= code < 300 else "failed"] += 1
    _wake_for_next()
    return counts


def _wake_for_next() -> None:
    """Run again when the next retry falls due (within the hour; later ones wait for the next delivery the app
    asks for)."""
    upcoming = db.session.scalar(
        select(WebhookDelivery.next_attempt_dt)
        .where(WebhookDelivery.status == WebhookStatus.QUEUED, WebhookDelivery.next_attempt_dt > utcnow())
        .order_by(WebhookDelivery.next_attempt_dt).limit(1))
    db.session.rollback()
    if upcoming is not None and upcoming - utcnow() <= timedelta(hours=1):
        enqueue_at(upcoming, deliver_webhooks, coalesce="webhooks-wake")
