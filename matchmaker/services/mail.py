"""Outgoing e-mail: queued in the outbox with the change that caused it, delivered afterwards (`delivery`);
staff's resend and discard are in `services.outbox`."""

import re

from flask import current_app, g, render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from matchmaker.domain.email import header_text, new_message_id
from matchmaker.extensions import db
from matchmaker.jobs import enqueue
from matchmaker.models import OutboxMessage, User
from matchmaker.services.delivery import deliver_due

__all__ = ["deliver_due", "external_url", "queue_email", "staff_view_of_body"]


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, always from BASE_URL: never from the Host header of the request that sent
    it (a forged Host would otherwise put a live reset token on someone else's server)."""
    with _request_context():
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
            subject=header_text(str(subject))[:300],  # one line: a name may hold a line feed
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
    """A request context at BASE_URL for building an e-mail's links with url_for, inside a request too (its Host
    header is the sender's word, not ours). It shares the current app context, so `g` (and the user there) stays."""
    return current_app.test_request_context("/", base_url=current_app.config["BASE_URL"])


def deliver_after_request(response):
    """Send what this request queued once the request has committed: in a background thread in the
    embedded default, by an RQ worker when REDIS_URL is set, inline in tests. However many requests queue
    mail, one delivery job at a time waits to start: it sends everything due when it runs.

    Uncommitted changes are rolled back first: a view that did not commit did not mean to send.
    """
    if g.pop("outbox_queued", False):
        db.session.rollback()
        try:
            enqueue(deliver_due, coalesce="mail")
        except Exception:  # delivery must never break the page; the message stays queued for `outbox send`
            current_app.logger.exception("outbox delivery could not start")
            db.session.rollback()
    return response


PRIVATE_LINK = re.compile(r"https?://\S*/(verify|reset)/\S+")


def staff_view_of_body(message: OutboxMessage) -> str:
    """The text staff may read: sign-in links (verification, password reset) are hidden, since whoever
    holds one can take over the account."""
    return PRIVATE_LINK.sub(str(_l("[private link hidden]")), message.body_text)
