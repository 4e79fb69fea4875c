"""One VEVENT for a meeting, shared by invites and feeds so both carry the same UID, times and text."""

from datetime import datetime

from icalendar import Conference, Event, vCalAddress

from matchmaker.calendar import text
from matchmaker.calendar.entry import Labels, MeetingInfo, Person


def _address(person: Person, **params) -> vCalAddress:
    if "@" not in person.email or any(c.isspace() for c in person.email):
        raise ValueError(f"not an e-mail address: {person.email!r}")
    # A quoted parameter value cannot hold DQUOTE or line breaks (RFC 5545 3.1); RFC 6868's caret escapes
    # would fix that, but few clients decode them, so such characters are simply replaced.
    name = " ".join(person.name.replace('"', "'").split())
    return vCalAddress.new(f"mailto:{person.email}", cn=name or None, **params)


def vevent(
    meeting: MeetingInfo,
    *,
    labels: Labels,
    locale: str,
    zone: str,
    now: datetime,
    cancelled: bool,
    people: bool,
) -> Event:
    """The event in the recipient's words. `people` adds ORGANIZER and one ATTENDEE per participant,
    which an iTIP message needs and a subscription feed (which is read by anyone holding its link) should not
    expose."""
    event = Event.new(
        uid=meeting.uid,
        sequence=meeting.sequence,
        stamp=text.utc(now),
        # UTC rather than TZID + VTIMEZONE: icalendar's generated VTIMEZONE for DST zones is misread by
        # vobject (hence Radicale) and reportedly by Outlook; UTC needs no zone definition at all.
        start=text.utc(meeting.start),
        end=text.utc(meeting.end),
        summary=text.summary(meeting, labels, cancelled),
        description=text.description(meeting, labels, locale, zone, cancelled),
        location=meeting.location or meeting.conference_url or None,
        url=meeting.url or meeting.conference_url or None,
        status="CANCELLED" if cancelled else "CONFIRMED",
        # A cancelled meeting must not keep blocking the attendee's free/busy time.
        transparency="TRANSPARENT" if cancelled else "OPAQUE",
    )
    language = text.language_tag(locale)
    for name in ("SUMMARY", "DESCRIPTION"):
        event[name].params["LANGUAGE"] = language
    if meeting.conference_url:
        event.conferences = [Conference(meeting.conference_url, feature=["VIDEO"], label=labels.join)]
    if people:
        event.organizer = _address(meeting.organizer)
        event.attendees = [
            _address(person, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=True)
            for person in meeting.attendees
        ]
    return event
