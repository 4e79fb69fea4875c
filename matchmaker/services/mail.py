"""Outgoing e-mail: queued in the outbox with the change that caused it, delivered once that change is committed
(by the job `matchmaker.tasks.mail.deliver_due`); staff's resend and discard are in `services.outbox`."""

import re

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from matchmaker.domain.email import header_text, new_message_id
from matchmaker.extensions import db
from matchmaker.jobs import enqueue_after_commit
from matchmaker.models import OutboxMessage, User
from matchmaker.tasks.mail import deliver_due


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
        # Every mail ends with the link to the privacy notice (built from BASE_URL, as every link here).
        context.update(user=user, recipient_zone=user.timezone or "UTC",
                       privacy_link=url_for("consent.privacy", _external=True))
        message = OutboxMessage(
            kind=kind,
            to_address=user.email,
            subject=header_text(str(subject))[:300],  # one line: a name may hold a line feed
            body_text=render_template(f"email/{template}.txt", **context).rstrip("\n") + "\n\n"
            + render_template("email/_footer.txt", **context),
            body_html=render_template(f"email/{template}.html", **context),
            locale=locale,
            message_id=new_message_id(),
        )
        if calendar is not None:
            message.calendar, message.calendar_method = calendar(locale), calendar_method
    db.session.add(message)
    deliver_when_committed()
    return message


def deliver_when_committed() -> None:
    """Send the outbox once the caller's change is committed (never if it rolls back): in a background thread in
    the embedded default, by an RQ worker when REDIS_URL is set, inline in tests. However many changes queue mail,
    one delivery job at a time waits to start: it sends everything due when it runs."""
    enqueue_after_commit(deliver_due, coalesce="mail")


def _request_context():
    """A request context at BASE_URL for building an e-mail's links with url_for, inside a request too (its Host
    header is the sender's word, not ours). It shares the current app context, so `g` (and the user there) stays."""
    return current_app.test_request_context("/", base_url=current_app.config["BASE_URL"])


PRIVATE_LINK = re.compile(r"https?://\S*/(verify|reset|erase)/\S+")


def staff_view_of_body(message: OutboxMessage) -> str:
    """The text staff may read: sign-in links (verification, password reset) are hidden, since whoever
    holds one can take over the account, and so are links that confirm an erasure."""
    return PRIVATE_LINK.sub(str(_l("[private link hidden]")), message.body_text)
