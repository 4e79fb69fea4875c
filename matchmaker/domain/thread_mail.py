"""Messages between the two sides of a request: what a typed message is stored as, and when an e-mail may tell the
other side about new ones. Plain Python, no Flask, no database.

The e-mail rule: at most one e-mail per thread every `WINDOW` (15 minutes). The first message of a quiet thread (no
e-mail in the last 15 minutes) is told after a short `GRACE` (one minute), so that a quick follow-up ("…and bring
the deck") joins the same e-mail; a message written while the window is still running waits for the window's end,
and is then told in one e-mail with every other message written meanwhile.
"""

import re
from datetime import datetime, timedelta

MAX_LENGTH = 2000
GRACE = timedelta(minutes=1)
WINDOW = timedelta(minutes=15)

# Control characters no one means to type (tab and line feed aside), dropped as the rest of the app does with
# imported text; DEL too. Carriage returns become line feeds first (browsers send "\r\n").
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_body(text: str | None) -> str:
    """A typed message as it is stored: line breaks as "\\n", control characters dropped, no blank lines or spaces
    around it. An empty result means there was nothing to say."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", text).strip()


def notify_at(posted_dt: datetime, last_sent_dt: datetime | None) -> datetime:
    """When the e-mail about a message posted at `posted_dt` is sent, given when the thread's last e-mail went
    (None: never). One minute after it in a quiet thread; else at the end of the last e-mail's window."""
    soonest = posted_dt + GRACE
    if last_sent_dt is None:
        return soonest
    return max(soonest, last_sent_dt + WINDOW)


def may_send(now: datetime, last_sent_dt: datetime | None) -> bool:
    """Whether a thread whose last e-mail went at `last_sent_dt` may have another one at `now`."""
    return last_sent_dt is None or now >= last_sent_dt + WINDOW
