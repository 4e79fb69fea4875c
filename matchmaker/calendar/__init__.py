"""Calendar invites (iTIP REQUEST/CANCEL) and subscription feeds for meetings.

Pure Python on top of `icalendar` and Babel: plain dataclasses in, iCalendar text (or 'Add to Google Calendar'
and 'Add to Outlook' links) out. Nothing here imports Flask or SQLAlchemy (a test checks this); the caller
translates the labels and picks the recipient's locale and zone.
"""

from matchmaker.calendar.entry import Labels, MeetingInfo, Person
from matchmaker.calendar.feed import build_feed
from matchmaker.calendar.invite import PRODID, build_cancel, build_request
from matchmaker.calendar.links import CalendarLinks, calendar_links

__all__ = [
    "PRODID", "CalendarLinks", "Labels", "MeetingInfo", "Person", "build_cancel", "build_feed", "build_request",
    "calendar_links",
]
