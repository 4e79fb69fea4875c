"""SUMMARY and DESCRIPTION text in the recipient's language, with times in the recipient's and the event's zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton

from matchmaker.calendar.entry import Labels, MeetingInfo
from matchmaker.domain import clocks
from matchmaker.domain.timefmt import format_clock, zone_label

DASH = " – "


def language_tag(locale: str) -> str:
    """Babel's 'en_US' as the BCP 47 tag 'en-US' that the LANGUAGE parameter wants (RFC 5646)."""
    return str(Locale.parse(locale)).replace("_", "-")


def format_span(start: datetime, end: datetime, zone: str, locale: str) -> str:
    """'Thu, Mar 11, 2027, 9:00 AM – 9:30 AM (Korean Standard Time)' in `zone`, worded for `locale`.

    A meeting that crosses midnight in that zone repeats the date on the end, so neither day is left to
    guess; one that crosses a daylight-saving switch names the zone on both ends (PST, then PDT).
    """
    tz = ZoneInfo(zone)
    first, last = start.astimezone(tz), end.astimezone(tz)
    pattern = str(Locale.parse(locale).datetime_formats["medium"]).replace("'", "")

    def stamp(moment: datetime, clock: str) -> str:
        day = format_skeleton("yMMMEd", moment, tzinfo=tz, locale=locale)
        return pattern.replace("{1}", day).replace("{0}", clock)

    begin, finish = format_clock(start, zone, locale), format_clock(end, zone, locale)
    start_zone, end_zone = zone_label(start, zone, locale), zone_label(end, zone, locale)
    if start_zone != end_zone:
        begin = f"{begin} ({start_zone})"
    if first.date() == last.date():
        text = stamp(first, begin + DASH + finish)
    else:
        text = stamp(first, begin) + DASH + stamp(last, finish)
    return f"{text} ({end_zone})"


def when(meeting: MeetingInfo, locale: str, zone: str, labels: Labels | None = None) -> str:
    """The meeting's span in the clocks `domain.clocks` orders (in person the venue's first, then the recipient's;
    online the recipient's, then the other party's), each after the first captioned by `labels`."""
    in_person = meeting.in_person if meeting.in_person is not None else bool(
        meeting.location or not meeting.conference_url)
    order = clocks.clocks(in_person, meeting.event_timezone, zone, meeting.other_timezone, at=meeting.start)
    captions = {clocks.YOURS: labels.your_time, clocks.THEIRS: labels.their_time,
                clocks.VENUE: labels.event_time} if labels is not None else {}
    spans = []
    for clock in order:
        span = format_span(meeting.start, meeting.end, clock.zone, locale)
        caption = captions.get(clock.role) if spans else None
        spans.append(caption % {"when": span} if caption else span)
    return " / ".join(spans)


def summary(meeting: MeetingInfo, labels: Labels, cancelled: bool) -> str:
    text = labels.summary % {"counterparts": ", ".join(meeting.counterparts), "event": meeting.event_title}
    return labels.cancelled_summary % {"summary": text} if cancelled else text


def description(meeting: MeetingInfo, labels: Labels, locale: str, zone: str, cancelled: bool) -> str:
    lines = [meeting.headline, ""] if meeting.headline else []
    if cancelled:
        lines += [labels.cancelled, ""]
    lines.append(f"{labels.when}: {when(meeting, locale, zone, labels)}")
    if meeting.location:
        lines.append(f"{labels.where}: {meeting.location}")
    if meeting.conference_url:
        lines.append(f"{labels.join}: {meeting.conference_url}")
    if meeting.description:
        lines += ["", *meeting.description]
    if meeting.url:
        lines += ["", f"{labels.details}: {meeting.url}"]
    return "\n".join(lines)


def utc(moment: datetime) -> datetime:
    """Every instant goes out as UTC ('...Z'), so no VTIMEZONE block is needed (see build_request)."""
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(UTC)
