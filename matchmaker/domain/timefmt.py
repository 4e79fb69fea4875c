"""Dates and times for people: Babel formatting in the viewer's locale and zone, zone always named."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, get_timezone_name


def _local(instant: datetime, zone: str) -> datetime:
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(ZoneInfo(zone))


def zone_label(instant: datetime, zone: str, locale: str) -> str:
    """The zone's localized name at that instant ("Korean Standard Time", "한국 표준시")."""
    return get_timezone_name(_local(instant, zone), width="long", locale=locale)


def format_instant(instant: datetime, zone: str, locale: str) -> str:
    """'Wed, Mar 10, 2027, 9:00 AM (Pacific Standard Time)' in the viewer's language."""
    local = _local(instant, zone)
    day = format_skeleton("yMMMEd", local, tzinfo=local.tzinfo, locale=locale)
    clock = format_time(local, "short", tzinfo=local.tzinfo, locale=locale)
    pattern = Locale.parse(locale).datetime_formats["medium"]
    text = pattern.replace("{1}", day).replace("{0}", clock).replace("'", "")
    return f"{text} ({zone_label(instant, zone, locale)})"


def format_clock(instant: datetime, zone: str, locale: str) -> str:
    """Just the time of day, with no zone: for tables whose header names the zone."""
    local = _local(instant, zone)
    return format_time(local, "short", tzinfo=local.tzinfo, locale=locale)


def format_day(day: date, locale: str) -> str:
    return format_date(day, "full", locale=locale)
