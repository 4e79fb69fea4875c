"""Building RFC 5322 messages from plain parts (no Flask)."""

from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def new_message_id(domain: str = "matchmaker.local") -> str:
    return make_msgid(domain=domain)


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    calendar: str | None = None,
    calendar_method: str | None = None,
    message_id: str,
    date: datetime,
) -> EmailMessage:
    """A plain-text message, with an HTML alternative and a calendar part when given."""
    # The SMTP policy writes CRLF line ends everywhere, which RFC 5545 requires inside text/calendar.
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg["Date"] = format_datetime(date)
    msg.set_content(text, charset="utf-8")
    if html:
        msg.add_alternative(html, subtype="html", charset="utf-8")
    if calendar:
        params = {"method": calendar_method} if calendar_method else {}
        msg.add_alternative(calendar, subtype="calendar", params=params, charset="utf-8", cte="base64")
        msg.add_attachment(
            calendar.encode("utf-8"), maintype="application", subtype="ics", filename="invite.ics"
        )
    return msg
