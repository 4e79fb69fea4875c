"""Building RFC 5322 messages from plain parts (no Flask). Header values are cleaned here, where they are
built: a line break in a header (an organization whose name holds a line feed) would make the message
impossible to build, or, with a lax library, let its author add headers of their own."""

import re
import unicodedata
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

# Controls (C0 with CR, LF and tab; DEL; C1 with NEL) and the line and paragraph separators: the email
# package treats each as a line break. Format characters (joiners in names and emoji) stay.
_NOT_IN_HEADER = {"Cc", "Zl", "Zp"}
_SPACES = re.compile(r"\s+")


def header_text(value: str) -> str:
    """`value` as one header line: every line break and control character becomes a space, runs of spaces
    become one, and the ends are trimmed."""
    cleaned = "".join(" " if unicodedata.category(c) in _NOT_IN_HEADER else c for c in str(value))
    return _SPACES.sub(" ", cleaned).strip()


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
    msg["From"] = header_text(sender)
    msg["To"] = to  # an address is not cleaned into another one: a bad one fails the message, for staff to see
    msg["Subject"] = header_text(subject)
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
