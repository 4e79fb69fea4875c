"""Outgoing e-mail: queued in the outbox with the change that caused it, delivered afterwards."""

import re
import smtplib
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

from flask import current_app, g, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.domain.email import build_message, new_message_id
from matchmaker.enums import OutboxStatus
from matchmaker.extensions import db
from matchmaker.jobs import enqueue, enqueue_at
from matchmaker.models import OutboxMessage, User


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail: from the current request, or from BASE_URL in the CLI and jobs."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        return url_for(endpoint, _external=True, **values)


def queue_email(user: User, kind: str, subject: str, template: str, *, calendar=None,
                calendar_method: str | None = None, **context) -> OutboxMessage:
    """Render `templates/email/<template>.txt` (and `.html`) in the recipient's language and queue it.

    `subject` is a lazy string (`lazy_gettext(...)`), so it is translated in the recipient's locale.
    `calendar`, when given, is called with the recipient's locale and returns the text/calendar part.
    """
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with _request_context(), force_locale(locale):
        context.update(user=user, recipient_zone=user.timezone or "UTC")
        message = OutboxMessage(
            kind=kind,
            to_address=user.email,
            subject=str(subject),
            body_text=render_template(f"email/{template}.txt", **context),
            body_html=render_template(f"email/{template}.html", **context),
            locale=locale,
            message_id=new_message_id(),
        )
        if calendar is not None:
            message.calendar, message.calendar_method = calendar(locale), calendar_method
    db.session.add(message)
    g.outbox_queued = True
    return message


def _request_context():
    """Templates build links with url_for; outside a request they need one made from BASE_URL."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context("/", base_url=current_app.config["BASE_URL"])


def deliver_after_request(response):
    """Send what this request queued once the request has committed: in a background thread in the
    embedded default, by an RQ worker when REDIS_URL is set, inline in tests.

    Uncommitted changes are rolled back first: a view that did not commit did not mean to send.
    """
    if g.pop("outbox_queued", False):
        db.session.rollback()
        try:
            enqueue("matchmaker.services.mail:deliver_due")
        except Exception:  # delivery must never break the page; the message stays queued for `outbox send`
            current_app.logger.exception("outbox delivery could not start")
            db.session.rollback()
    return response


def deliver_due(limit: int = 100) -> dict:
    """Send queued messages whose time has come. Returns counts of sent and failed attempts.

    A message is marked sent only after the SMTP server accepted it (or its .eml file was written);
    a failure is retried later with exponential backoff, and after MAIL_MAX_ATTEMPTS it is marked
    failed for staff to resend. Each message is committed on its own, so one bad address never
    holds back the rest.
    """
    now = utcnow()
    due = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_dt <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    counts = {"sent": 0, "failed": 0}
    for message in due:
        try:
            _deliver(message)
        except (OSError, smtplib.SMTPException) as error:
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
                message.status = OutboxStatus.FAILED
            message.next_attempt_dt = utcnow() + timedelta(seconds=30 * 2 ** min(message.attempts, 10))
            counts["failed"] += 1
        else:
            message.attempts += 1
            message.status = OutboxStatus.SENT
            message.sent_dt = utcnow()
            message.last_error = None
            counts["sent"] += 1
        db.session.commit()
    _wake_for_next(limit)
    return counts


def _wake_for_next(limit: int) -> None:
    """Ask to run again when the next held or retried message falls due (within the hour; cron covers the rest)."""
    upcoming = db.session.scalar(
        select(OutboxMessage.next_attempt_dt)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_dt > utcnow())
        .order_by(OutboxMessage.next_attempt_dt).limit(1)
    )
    if upcoming is not None and upcoming - utcnow() <= timedelta(hours=1):
        enqueue_at(upcoming, "matchmaker.services.mail:deliver_due")


PRIVATE_LINK = re.compile(r"https?://\S*/(verify|reset)/\S+")


def staff_view_of_body(message: OutboxMessage) -> str:
    """The text staff may read: sign-in links (verification, password reset) are hidden, since whoever
    holds one can take over the account."""
    return PRIVATE_LINK.sub(str(_l("[private link hidden]")), message.body_text)


def requeue(message: OutboxMessage) -> None:
    """Staff's resend: the message goes back in the queue, due now, with the same Message-ID."""
    message.status = OutboxStatus.QUEUED
    message.next_attempt_dt = utcnow()
    g.outbox_queued = True


def _deliver(message: OutboxMessage) -> None:
    config = current_app.config
    email = build_message(
        sender=config["MAIL_DEFAULT_SENDER"],
        to=message.to_address,
        subject=message.subject,
        text=message.body_text,
        html=message.body_html,
        calendar=message.calendar,
        calendar_method=message.calendar_method,
        message_id=message.message_id,
        date=message.created_dt,
    )
    if not config["MAIL_SERVER"]:
        folder = Path(config["MAIL_OUTBOX_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{message.id:06d}-{message.kind}.eml").write_bytes(email.as_bytes())
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)
