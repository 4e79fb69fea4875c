"""The plain data a calendar entry is built from (a meeting, its people, the translated labels); validated here
so the builders can trust it."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

STATUSES = ("CONFIRMED", "CANCELLED")


class Person(NamedTuple):
    """A display name and an e-mail address; a plain (name, email) tuple works too."""

    name: str
    email: str


@dataclass(frozen=True)
class MeetingInfo:
    """One meeting as every participant's calendar should see it.

    `uid` must stay the same for the meeting's whole life (clients match updates and cancellations by it);
    `sequence` comes from the database and goes up with every change an attendee should see.
    `start`/`end` are aware datetimes (any zone; they are written in UTC). `location` is the table label and
    venue for in-person meetings; for online ones give `conference_url` (it becomes LOCATION when `location`
    is empty, and CONFERENCE). `url` is the meeting's page in Matchmaker. `description` lines (recommender
    reasons, notes) are shown as given, so pass them in the recipient's language.
    """

    uid: str
    sequence: int
    start: datetime
    end: datetime
    event_title: str
    event_timezone: str
    counterparts: tuple[str, ...]
    organizer: Person
    attendees: tuple[Person, ...]
    location: str = ""
    conference_url: str | None = None
    url: str | None = None
    description: tuple[str, ...] = field(default=())
    status: str = "CONFIRMED"
    # Which clock the text shows first (see domain/clocks.py): the venue's in person; online the recipient's, then
    # `other_timezone` (the other party's); None: in person when it has a location or no conference link.
    # `headline` opens the text: what changed, in the recipient's language.
    in_person: bool | None = None
    other_timezone: str | None = None
    headline: str = ""

    def __post_init__(self):
        # Lists are accepted for convenience but stored as tuples so the object stays hashable and frozen.
        object.__setattr__(self, "counterparts", tuple(self.counterparts))
        object.__setattr__(self, "description", tuple(self.description))
        object.__setattr__(self, "organizer", Person(*self.organizer))
        object.__setattr__(self, "attendees", tuple(Person(*a) for a in self.attendees))
        if not self.uid or any(c.isspace() for c in self.uid):
            raise ValueError("uid must be a non-empty string without whitespace")
        if isinstance(self.sequence, bool) or not isinstance(self.sequence, int) or self.sequence < 0:
            raise ValueError("sequence must be a non-negative integer")
        for name in ("start", "end"):
            value = getattr(self, name)
            # A naive time would be written as a floating time: every client would read it in its own zone.
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"{name} must be an aware datetime")
        # Compared in UTC: Python subtracts two times of the same zone as wall-clock times, which is wrong
        # across a daylight-saving switch.
        if self.end.astimezone(UTC) - self.start.astimezone(UTC) <= timedelta(0):
            raise ValueError("end must be after start")
        ZoneInfo(self.event_timezone)  # raises for an unknown zone now, not later while formatting
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}")

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"


@dataclass(frozen=True)
class Labels:
    """Translated strings for SUMMARY and DESCRIPTION; the caller translates them (e.g. with gettext).

    `summary` takes %(counterparts)s and %(event)s; `cancelled_summary` takes %(summary)s (gettext's
    python-format style, so a literal percent sign is written %%). The other fields
    are the captions of the description lines ("When", "Where", ...); `cancelled` is the sentence that
    opens a cancelled meeting's description.
    """

    summary: str
    cancelled_summary: str
    when: str
    where: str
    join: str
    details: str
    cancelled: str
    your_time: str = "Your time: %(when)s"
    their_time: str = "Their time: %(when)s"
    event_time: str = "Event time: %(when)s"
