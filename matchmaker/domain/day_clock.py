"""The instant staff ask to see a day's pages at (the `?at=` of the live board and the walk-ins): ISO 8601 text
read as a UTC instant, a time without an offset read in the event's zone. Plain Python, no Flask."""

from datetime import MAXYEAR, MINYEAR, UTC, datetime
from zoneinfo import ZoneInfo


def read_instant(text: str, zone: str) -> datetime:
    """`text` (e.g. 2027-03-10T10:15, or with an offset) as a UTC instant; ValueError when it is no time, or one
    too near the calendar's ends for the pages to add and subtract hours and days."""
    value = datetime.fromisoformat(text)
    if not value.tzinfo:
        value = value.replace(tzinfo=ZoneInfo(zone))
    try:
        value = value.astimezone(UTC)
    except OverflowError as error:  # at the calendar's ends
        raise ValueError(text) from error
    if not MINYEAR < value.year < MAXYEAR:
        raise ValueError(text)
    return value
