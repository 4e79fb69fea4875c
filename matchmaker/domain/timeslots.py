"""Local times of day in an IANA zone turned into UTC instants, and a day cut into time slots (`TimeSlot`).

`TimeSlot` is a slot of an event's day as the app knows it (its position in the day, its UTC start and end).
The scheduler's `scheduling.Slot` is a different thing: a slot of a schedule instance (the JSON format), named
by a string id, whose times are optional.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@dataclass(frozen=True)
class TimeSlot:
    """One slot of an event's day: `index` is its position in the day (0 first), times in UTC."""

    index: int
    start: datetime  # UTC
    end: datetime  # UTC


def is_valid_zone(name: str | None) -> bool:
    if not name or name != name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def common_zones() -> list[str]:
    """Canonical region/city zones for pickers, sorted."""
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


def local_to_utc(day: date, clock: time, zone: str, fold: int = 0) -> datetime:
    """The UTC instant of a wall-clock time in `zone`.

    A time that does not exist (skipped by a daylight-saving jump) is moved forward by the gap,
    as a clock on the wall would show it; an ambiguous one takes `fold` (0: the first occurrence).
    """
    tz = ZoneInfo(zone)
    local = datetime.combine(day, clock).replace(tzinfo=tz, fold=fold)
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        # Nonexistent: the wall time lies in a gap. Take the offset from before the gap.
        before = local.replace(fold=1).utcoffset()
        after = local.replace(fold=0).utcoffset()
        instant = (local.replace(tzinfo=None) - min(before, after)).replace(tzinfo=UTC)
    return instant


def parse_clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def day_slots(
    day: date, start: time, end: time, slot_minutes: int, breaks: list[dict], zone: str
) -> list[TimeSlot]:
    """Consecutive slots of `slot_minutes` from `start` to `end` (local), skipping `breaks`.

    A slot that would overlap a break or run past the end of the day is left out.
    """
    step = timedelta(minutes=slot_minutes)
    day_start = local_to_utc(day, start, zone)
    day_end = local_to_utc(day, end, zone)
    pauses = [
        (local_to_utc(day, parse_clock(b["start"]), zone), local_to_utc(day, parse_clock(b["end"]), zone))
        for b in breaks
    ]
    slots: list[TimeSlot] = []
    cursor = day_start
    while cursor + step <= day_end:
        clash = next((p for p in pauses if cursor < p[1] and p[0] < cursor + step), None)
        if clash:
            cursor = clash[1]  # the next slot starts when the break ends
            continue
        slots.append(TimeSlot(len(slots), cursor, cursor + step))
        cursor += step
    return slots
