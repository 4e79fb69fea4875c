"""Availability windows: stored per participation as UTC ISO strings, shown as the event's slots; and the verb by
which a member saves theirs (it never commits: its caller does)."""

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext

from matchmaker.domain.timeslots import TimeSlot
from matchmaker.enums import ParticipationStatus
from matchmaker.models import Participation, User
from matchmaker.services import ServiceError

WORKDAY = (time(8, 0), time(19, 0))  # local hours a person is expected to accept meetings by default


def windows_to_pairs(windows: list[dict]) -> list[tuple[datetime, datetime]]:
    return [(datetime.fromisoformat(w["start"]), datetime.fromisoformat(w["end"])) for w in windows]


def slots_within(slots: list[TimeSlot], windows: list[dict]) -> list[TimeSlot]:
    """Slots lying wholly inside one of the windows; every slot when no window is set."""
    if not windows:
        return list(slots)
    pairs = windows_to_pairs(windows)
    return [s for s in slots if any(start <= s.start and s.end <= end for start, end in pairs)]


def slots_to_windows(slots: list[TimeSlot]) -> list[dict]:
    """Chosen slots as merged windows (consecutive slots become one window)."""
    windows: list[list[datetime]] = []
    for slot in sorted(slots, key=lambda s: s.start):
        if windows and windows[-1][1] == slot.start:
            windows[-1][1] = slot.end
        else:
            windows.append([slot.start, slot.end])
    return [{"start": start.isoformat(), "end": end.isoformat()} for start, end in windows]


def working_hours_default(slots: list[TimeSlot], zone: str | None) -> list[TimeSlot]:
    """Slots inside local working hours in `zone`; all slots when that leaves none (or no zone)."""
    if not zone:
        return list(slots)
    tz = ZoneInfo(zone)
    chosen = [
        s for s in slots
        if WORKDAY[0] <= s.start.astimezone(tz).time()
        and (s.end - timedelta(seconds=1)).astimezone(tz).time() < WORKDAY[1]
    ]
    return chosen or list(slots)


def save_availability(actor: User, participation: Participation, slots: list[TimeSlot], chosen: Iterable[int]) -> None:
    """The member's organization can meet at the `chosen` slots (indexes among the day's `slots`): stored as
    windows, or as none when every slot is chosen (free all day). Refused when none is chosen."""
    if participation.organization_id != actor.organization_id or participation.status != ParticipationStatus.APPROVED:
        raise ServiceError(gettext("Your organization is not approved for this matchmaking day."))
    chosen = set(chosen)
    picked = [s for s in slots if s.index in chosen]
    if not picked:
        raise ServiceError(gettext("Choose at least one time when you can meet."))
    participation.availability = [] if len(picked) == len(slots) else slots_to_windows(picked)
