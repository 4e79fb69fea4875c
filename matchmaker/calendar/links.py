"""'Add to Google Calendar' and 'Add to Outlook' links for one meeting, with the same title, UTC times, place and
text as its invite (calendar/text.py). Plain strings out; no Flask. Neither service documents these links
officially: the parameters are the ones both have accepted for years (Google's `render?action=TEMPLATE`, Outlook on
the web's compose deeplink), so a link that stops working costs a click, while the .ics invite stays the reference."""

from datetime import datetime
from typing import NamedTuple
from urllib.parse import quote, urlencode

from matchmaker.calendar import text
from matchmaker.calendar.entry import Labels, MeetingInfo

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.office.com/calendar/0/deeplink/compose"


class CalendarLinks(NamedTuple):
    google: str
    outlook: str


def _url(base: str, params: dict[str, str]) -> str:
    # %20 rather than '+' for spaces: Outlook shows a '+' as typed. Empty values are left out.
    return f"{base}?{urlencode({k: v for k, v in params.items() if v}, quote_via=quote)}"


def _google_time(moment: datetime) -> str:
    return text.utc(moment).strftime("%Y%m%dT%H%M%SZ")


def _iso_time(moment: datetime) -> str:
    return text.utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def calendar_links(meeting: MeetingInfo, *, labels: Labels, locale: str, zone: str) -> CalendarLinks:
    """Both links for a scheduled meeting, worded for `locale` with times shown in `zone` (the instants are UTC).
    The place is the venue and table, or the meeting's video link online, as in the invite's LOCATION."""
    if meeting.cancelled:
        raise ValueError("a cancelled meeting has nothing to add to a calendar")
    title = text.summary(meeting, labels, cancelled=False)
    details = text.description(meeting, labels, locale, zone, cancelled=False)
    location = meeting.location or meeting.conference_url or ""
    google = _url(GOOGLE, {
        "action": "TEMPLATE", "text": title, "details": details, "location": location,
        "dates": f"{_google_time(meeting.start)}/{_google_time(meeting.end)}",
    })
    outlook = _url(OUTLOOK, {
        "path": "/calendar/action/compose", "rru": "addevent", "subject": title, "body": details,
        "location": location, "startdt": _iso_time(meeting.start), "enddt": _iso_time(meeting.end),
    })
    return CalendarLinks(google, outlook)
