"""Dates and times for people: Babel formatting in the viewer's locale and zone, zone always named."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import (
    format_date,
    format_datetime,
    format_skeleton,
    format_time,
    format_timedelta,
    get_timezone_gmt,
    get_timezone_location,
    get_timezone_name,
    match_skeleton,
)


def _local(instant: datetime, zone: str) -> datetime:
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(ZoneInfo(zone))


def zone_label(instant: datetime, zone: str, locale: str) -> str:
    """The zone's localized name at that instant ("Korean Standard Time", "한국 표준시")."""
    return get_timezone_name(_local(instant, zone), width="long", locale=locale)


def format_instant(instant: datetime, zone: str, locale: str, calendar: str | None = None) -> str:
    """'Wed, Mar 10, 2027, 9:00 AM (Pacific Standard Time)' in the viewer's language (and calendar)."""
    local = _local(instant, zone)
    day = format_calendar_date(local, "yMMMEd", locale, calendar)
    clock = format_time(local, "short", tzinfo=local.tzinfo, locale=locale)
    pattern = Locale.parse(locale).datetime_formats["medium"]
    text = pattern.replace("{1}", day).replace("{0}", clock).replace("'", "")
    return f"{text} ({zone_label(instant, zone, locale)})"


def format_clock(instant: datetime, zone: str, locale: str) -> str:
    """Just the time of day, with no zone: for tables whose header names the zone."""
    local = _local(instant, zone)
    return format_time(local, "short", tzinfo=local.tzinfo, locale=locale)


def format_day(day: date, locale: str, calendar: str | None = None) -> str:
    return format_calendar_date(day, "full", locale, calendar)


# --- Calendars ---------------------------------------------------------------------------------
# Babel knows only the Gregorian calendar. The Thai solar calendar has the same months and days and
# counts years from 543 BC, so a date in it is the locale's Gregorian pattern with the year (and era)
# fields replaced by literals.

BUDDHIST_OFFSET = 543
BUDDHIST = "buddhist"
DATE_LENGTHS = ("short", "medium", "long", "full")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def buddhist_era_name(locale: str) -> str:
    return "พ.ศ." if str(locale).split("_")[0].split("-")[0] == "th" else "BE"


def with_buddhist_year(pattern: str, gregorian_year: int, locale: str) -> str:
    """The LDML `pattern` with its year fields (y, Y, u) set to the Buddhist year and its era (G) to BE.

    Quoted literals are kept as they are; `yy` keeps two digits, as the Gregorian pattern does.
    """
    year = gregorian_year + BUDDHIST_OFFSET
    out, i, n = [], 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "'":  # a quoted literal runs to the next lone quote; '' is a quote character
            j = i + 1
            while j < n:
                if pattern[j] == "'":
                    if j + 1 < n and pattern[j + 1] == "'":
                        j += 2
                        continue
                    break
                j += 1
            out.append(pattern[i:j + 1])
            i = j + 1
            continue
        j = i
        while j < n and pattern[j] == char:
            j += 1
        run = j - i
        if char in "yYu":
            out.append(_quote(f"{year % 100:02d}" if run == 2 else str(year)))
        elif char == "G":
            out.append(_quote(buddhist_era_name(locale)))
        else:
            out.append(pattern[i:j])
        i = j
    return "".join(out)


def date_pattern(form: str, locale: str) -> str:
    """The locale's pattern for a length (short…full) or a skeleton such as yMMMEd."""
    loc = Locale.parse(locale)
    if form in DATE_LENGTHS:
        return loc.date_formats[form].pattern
    return loc.datetime_skeletons[match_skeleton(form, loc.datetime_skeletons)].pattern


def format_calendar_date(day: date | datetime, form: str, locale: str, calendar: str | None = None) -> str:
    """A date (a local datetime keeps its own date) in `form`, in the Gregorian or the Thai solar calendar."""
    if calendar != BUDDHIST:
        if form in DATE_LENGTHS:
            return format_date(day, form, locale=locale)
        return format_skeleton(form, day, tzinfo=getattr(day, "tzinfo", None), locale=locale)
    pattern = with_buddhist_year(date_pattern(form, locale), day.year, locale)
    if isinstance(day, datetime):
        return format_datetime(day, pattern, tzinfo=day.tzinfo, locale=locale)
    return format_date(day, pattern, locale=locale)


# --- Relative times and hints ------------------------------------------------------------------


def format_relative(instant: datetime, now: datetime, locale: str) -> str:
    """'in 2 hours' or '2 hours ago' from `now`."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return format_timedelta(instant - now, add_direction=True, locale=locale)


def zone_name(zone: str, locale: str, with_id: bool = False) -> str:
    """A zone's generic name in the locale, for captions that hold at any date: 'Korean Time', '한국 시간',
    'Indonesia (Jakarta) Time'. Zones that belong to no region (UTC, Etc/GMT-9) have no such name in CLDR and
    get the name of their offset instead. With `with_id`, the IANA id follows in parentheses."""
    try:
        tz = ZoneInfo(zone)
    except (LookupError, ValueError):
        return zone
    if "/" in zone and not zone.startswith("Etc/"):
        name = get_timezone_name(tz, width="long", locale=locale)
    else:
        name = get_timezone_name(datetime.now(UTC).astimezone(tz), width="long", locale=locale)
    return f"{name} ({zone})" if with_id and name != zone else name


def city_name(zone: str, locale: str) -> str:
    """'San Francisco'-style exemplar city of a zone, in the locale ('Los Angeles' for America/Los_Angeles)."""
    try:
        return get_timezone_location(ZoneInfo(zone), locale=locale, return_city=True)
    except (LookupError, ValueError):
        return zone.rsplit("/", 1)[-1].replace("_", " ")


def short_zone(instant: datetime, zone: str, locale: str) -> str:
    """'PST' where the locale has an abbreviation, else the offset ('GMT+07:00'), at that instant."""
    local = _local(instant, zone)
    name = get_timezone_name(local, width="short", locale=locale)
    if any(ch.isdigit() for ch in name):
        return get_timezone_gmt(local, width="long", locale=locale)
    return name


def other_date(instant: datetime, zone: str, viewer_zone: str) -> bool:
    """Whether the instant falls on a different calendar date in `zone` than in `viewer_zone`."""
    return _local(instant, zone).date() != _local(instant, viewer_zone).date()


def their_time(instant: datetime, zone: str, locale: str, viewer_zone: str, calendar: str | None = None) -> str:
    """'08:00 (Los Angeles, PST)', with the local date added when it differs from the viewer's date."""
    local = _local(instant, zone)
    clock = format_time(local, "short", tzinfo=local.tzinfo, locale=locale)
    text = f"{clock} ({city_name(zone, locale)}, {short_zone(instant, zone, locale)})"
    if other_date(instant, zone, viewer_zone):
        text += ", " + format_calendar_date(local, "MMMEd", locale, calendar)
    return text
