"""Which clock a reader sees first for a meeting, and which after it: the one rule behind pages, printed agendas,
e-mails and invite texts. Plain Python over zone names and an instant; no Flask, no database.

In person (an in-person day, or a hybrid day's meeting at a table) the venue's clock comes first: that is the hour
on the wall of the room the reader walks into; the reader's own time follows when it differs. Online (an online day,
or a hybrid day's meeting without a table) the reader's time comes first, then the other party's (the event's when the
other party's is not known). A zone whose clock
reads the same at that instant as one already shown is not shown again.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_time

from matchmaker.domain.timefmt import format_calendar_date, format_instant, other_date, their_time, zone_label
from matchmaker.domain.timeslots import is_valid_zone

VENUE, YOURS, THEIRS = "venue", "yours", "theirs"


@dataclass(frozen=True)
class Clock:
    """A zone to show a meeting's time in, and whose time it is (VENUE, YOURS or THEIRS)."""

    zone: str
    role: str


def meets_in_person(mode: str, table: str | None) -> bool:
    """An in-person day's meeting, or a hybrid day's meeting at a table (one without a table is online)."""
    mode = getattr(mode, "value", mode)
    return mode == "in_person" or (mode == "hybrid" and bool(table))


def _offset(zone: str, at: datetime | None):
    if at is None:
        return zone
    moment = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone)).utcoffset()


def clocks(in_person: bool, venue_zone: str, reader_zone: str | None, their_zone: str | None = None,
           at: datetime | None = None) -> tuple[Clock, ...]:
    """The clocks to show, first one first. Without a reader's zone (an anonymous visitor) the venue's stands in.
    With `at`, a zone that reads the same as one already listed at that instant is left out."""
    reader = reader_zone if is_valid_zone(reader_zone) else None
    if in_person:
        wanted = [(venue_zone, VENUE), (reader, YOURS)]
    else:
        their = (their_zone, THEIRS) if is_valid_zone(their_zone) else (venue_zone, VENUE)  # unknown: the event's
        wanted = [(reader, YOURS) if reader else (venue_zone, VENUE), their]
    shown: list[Clock] = []
    seen = set()
    for zone, role in wanted:
        if not is_valid_zone(zone):
            continue
        key = _offset(zone, at)
        if zone in seen or key in seen:
            continue
        seen.update((zone, key))
        shown.append(Clock(zone, role))
    return tuple(shown)


@dataclass(frozen=True)
class Shown:
    """One clock's text: the first in full (date, time, zone), the others as a short hint."""

    role: str
    zone: str
    text: str


def own_time(instant: datetime, zone: str, locale: str, beside_zone: str, calendar: str | None = None) -> str:
    """'4:00 PM (Korean Standard Time)', with the date when it is not the date of the time beside it."""
    local = instant.astimezone(ZoneInfo(zone))
    text = f"{format_time(local, 'short', tzinfo=local.tzinfo, locale=locale)} ({zone_label(instant, zone, locale)})"
    if other_date(instant, zone, beside_zone):
        text += ", " + format_calendar_date(local, "MMMEd", locale, calendar)
    return text


def shown_times(instant: datetime, order: tuple[Clock, ...], locale: str,
                calendar: str | None = None) -> list[Shown]:
    """The texts of `order`'s clocks for `instant`: the first as a full date and time, then hints."""
    if not order:
        return []
    first = order[0]
    out = [Shown(first.role, first.zone, format_instant(instant, first.zone, locale, calendar))]
    for clock in order[1:]:
        if clock.role == THEIRS:
            text = their_time(instant, clock.zone, locale, first.zone, calendar)
        else:
            text = own_time(instant, clock.zone, locale, first.zone, calendar)
        out.append(Shown(clock.role, clock.zone, text))
    return out


def one_line(shown: list[Shown], captions: dict[str, str]) -> str:
    """The texts on one line, 'first · Your time: hint': `captions` maps a role to its translated caption with
    %(when)s (a role without one shows the bare hint)."""
    parts = [shown[0].text] if shown else []
    for item in shown[1:]:
        caption = captions.get(item.role)
        parts.append(caption % {"when": item.text} if caption else item.text)
    return " · ".join(parts)
