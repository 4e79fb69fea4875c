"""iTIP messages (RFC 5546) for e-mail: METHOD:REQUEST for new and changed meetings, METHOD:CANCEL."""

from datetime import datetime

from icalendar import Calendar

from matchmaker.calendar.entry import Labels, MeetingInfo
from matchmaker.calendar.event import vevent

PRODID = "-//Matchmaker//Meeting invites 1.0//EN"


def new_calendar(method: str | None = None, name: str | None = None) -> Calendar:
    calendar = Calendar.new(prodid=PRODID, method=method, name=name)
    # Calendar.new invents a random VCALENDAR-level UID (RFC 7986): it would make every build differ, and
    # simple readers that grep for "UID:" could take it for the meeting's.
    calendar.pop("UID", None)
    return calendar


def _message(method: str, meeting: MeetingInfo, labels: Labels, locale: str, zone: str, now: datetime) -> str:
    if not meeting.attendees:
        raise ValueError("an iTIP message needs at least one ATTENDEE (RFC 5546 3.2.2, 3.2.5)")
    calendar = new_calendar(method)
    calendar.add_component(
        vevent(meeting, labels=labels, locale=locale, zone=zone, now=now, cancelled=method == "CANCEL", people=True)
    )
    return calendar.to_ical().decode("utf-8")


def build_request(
    meeting: MeetingInfo, recipient_locale: str, recipient_zone: str, now: datetime, *, labels: Labels
) -> str:
    """METHOD:REQUEST for a new or changed meeting; `now` becomes DTSTAMP. Send it again with a higher
    SEQUENCE (same UID) whenever the time, place or link changes."""
    if meeting.cancelled:
        raise ValueError("a cancelled meeting goes out with build_cancel")
    return _message("REQUEST", meeting, labels, recipient_locale, recipient_zone, now)


def build_cancel(
    meeting: MeetingInfo, recipient_locale: str, recipient_zone: str, now: datetime, *, labels: Labels
) -> str:
    """METHOD:CANCEL with STATUS:CANCELLED. `meeting.sequence` must already be incremented past the last
    REQUEST: clients ignore a CANCEL whose SEQUENCE is not higher."""
    return _message("CANCEL", meeting, labels, recipient_locale, recipient_zone, now)
