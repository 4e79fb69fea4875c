"""The subscription feed behind /calendar/<token>.ics: every meeting of one person, no METHOD."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import vDuration

from matchmaker.calendar.entry import Labels, MeetingInfo
from matchmaker.calendar.event import vevent
from matchmaker.calendar.invite import new_calendar

# Clients poll feeds on their own schedule; this asks for hourly: REFRESH-INTERVAL (RFC 7986) and Outlook's
# X-PUBLISHED-TTL, which predates it.
REFRESH = timedelta(hours=1)


def build_feed(
    meetings: Iterable[MeetingInfo],
    calendar_name: str,
    *,
    labels: Labels,
    locale: str,
    zone: str,
    now: datetime,
) -> str:
    """A plain iCalendar object (no METHOD: a feed is not an iTIP message). Events keep the invites' UIDs
    and SEQUENCEs; cancelled meetings stay in it with STATUS:CANCELLED so clients that already stored them
    drop them. `now` is every DTSTAMP. ORGANIZER/ATTENDEE are left out: the feed's URL is its only key, and
    RFC 5546 forbids ATTENDEE in a PUBLISH anyway."""
    calendar = new_calendar(name=calendar_name)
    calendar.refresh_interval = REFRESH
    # RFC 7986 5.7 makes VALUE=DURATION mandatory on REFRESH-INTERVAL; icalendar leaves it out.
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH).to_ical().decode())
    seen: set[str] = set()
    for meeting in sorted(meetings, key=lambda m: (m.start, m.uid)):
        if meeting.uid in seen:
            raise ValueError(f"two meetings share the UID {meeting.uid!r}")
        seen.add(meeting.uid)
        calendar.add_component(
            vevent(meeting, labels=labels, locale=locale, zone=zone, now=now, cancelled=meeting.cancelled,
                   people=False)
        )
    return calendar.to_ical().decode("utf-8")
