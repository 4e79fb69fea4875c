"""Working hours across time zones on the day of an online meeting day, and a chart of them.

The hours are those of the event's calendar day in its own zone (23 or 25 of them on a daylight-saving
switch); each participant zone is converted hour by hour through zoneinfo, never with a fixed offset. An hour
counts as working time in a zone when its middle falls inside that zone's working hours (default 09:00-18:00)
on a weekday, unless the event's own day is a weekend day, when weekends count too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from matchmaker.domain.timeslots import local_to_utc

HOUR = timedelta(hours=1)
WORK_START = time(9)
WORK_END = time(18)


@dataclass(frozen=True)
class HourCell:
    """One hour of a zone row: its start on that zone's clock, and whether it falls in working hours."""

    local: datetime  # the hour's start in the row's zone
    working: bool

    @property
    def label(self) -> str:
        return f"{self.local.hour:02d}"


@dataclass(frozen=True)
class ZoneRow:
    zone: str
    people: int
    cells: tuple[HourCell, ...]


@dataclass(frozen=True)
class Overlap:
    day: date
    zone: str  # the event's zone: the x axis
    hours: tuple[datetime, ...]  # UTC starts of the event day's hours
    rows: tuple[ZoneRow, ...]

    @property
    def people_working(self) -> list[int]:
        """Per hour, how many participants are in their working hours."""
        return [sum(r.people for r in self.rows if r.cells[h].working) for h in range(len(self.hours))]

    @property
    def zones_working(self) -> list[int]:
        return [sum(r.cells[h].working for r in self.rows) for h in range(len(self.hours))]

    @property
    def shared(self) -> list[bool]:
        """Per hour: every zone is in its working hours."""
        return [bool(self.rows) and n == len(self.rows) for n in self.zones_working]

    def shared_window(self) -> tuple[datetime, datetime] | None:
        """The longest run of shared hours (UTC start, end), or None when there is none."""
        best, run = None, None
        for h, ok in enumerate(self.shared):
            if ok:
                run = (run[0], h) if run else (h, h)
                if best is None or run[1] - run[0] > best[1] - best[0]:
                    best = run
            else:
                run = None
        if best is None:
            return None
        return self.hours[best[0]], self.hours[best[1]] + HOUR


def event_hours(day: date, zone: str) -> list[datetime]:
    """The UTC starts of each hour of `day` in `zone`, from local midnight to the next."""
    start = local_to_utc(day, time(0), zone)
    end = local_to_utc(day + timedelta(days=1), time(0), zone)
    hours, cursor = [], start
    while cursor < end:
        hours.append(cursor)
        cursor += HOUR
    return hours


def is_working(start: datetime, zone: str, work_start: time = WORK_START, work_end: time = WORK_END,
               weekends: bool = False, length: timedelta = HOUR) -> bool:
    """Whether the middle of [start, start + length) is inside working hours in `zone`."""
    middle = (start + length / 2).astimezone(ZoneInfo(zone))
    if not weekends and middle.weekday() >= 5:
        return False
    return work_start <= middle.time() < work_end


def working_overlap(day: date, event_zone: str, zones: Mapping[str, int],
                    work_start: time = WORK_START, work_end: time = WORK_END) -> Overlap:
    """Working hours of each zone (with its number of participants) across the event's day."""
    hours = event_hours(day, event_zone)
    weekends = day.weekday() >= 5
    rows = []
    for zone, people in sorted(zones.items(), key=lambda item: (_offset(day, item[0]), item[0])):
        tz = ZoneInfo(zone)
        cells = tuple(
            HourCell(h.astimezone(tz), is_working(h, zone, work_start, work_end, weekends)) for h in hours
        )
        rows.append(ZoneRow(zone, people, cells))
    return Overlap(day, event_zone, tuple(hours), tuple(rows))


def _offset(day: date, zone: str) -> timedelta:
    return datetime.combine(day, time(12), tzinfo=UTC).astimezone(ZoneInfo(zone)).utcoffset()


# --- The chart ---------------------------------------------------------------------------------

LABEL_WIDTH = 190
CELL = 26
ROW = 28
HEAD = 34


def chart_svg(overlap: Overlap, row_labels: Mapping[str, str], title: str, description: str,
              axis_label: str) -> str:
    """An SVG chart: the event day's hours across, one row per zone with its local hours, working hours
    filled, the hours shared by every zone highlighted. Text is given by the caller (translated)."""
    n = len(overlap.hours)
    width = LABEL_WIDTH + n * CELL + 8
    height = HEAD + len(overlap.rows) * ROW + 8
    shared = overlap.shared
    event_tz = ZoneInfo(overlap.zone)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="overlap-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="overlap-title overlap-desc">',
        f'<title id="overlap-title">{escape(title)}</title>',
        f'<desc id="overlap-desc">{escape(description)}</desc>',
        f'<text x="4" y="{HEAD - 12}" font-size="11" fill="#333">{escape(axis_label)}</text>',
    ]
    for h, start in enumerate(overlap.hours):
        x = LABEL_WIDTH + h * CELL
        if shared[h]:
            parts.append(f'<rect class="shared" x="{x}" y="{HEAD - 4}" width="{CELL}" '
                         f'height="{len(overlap.rows) * ROW + 4}" fill="#ffe08a"/>')
        local = start.astimezone(event_tz)
        parts.append(f'<text x="{x + CELL / 2}" y="{HEAD - 12}" font-size="11" text-anchor="middle" '
                     f'fill="#333">{local.hour:02d}</text>')
    for r, row in enumerate(overlap.rows):
        y = HEAD + r * ROW
        parts.append(f'<text x="4" y="{y + ROW / 2 + 4}" font-size="12" fill="#111">'
                     f'{escape(row_labels.get(row.zone, row.zone))}</text>')
        for h, cell in enumerate(row.cells):
            x = LABEL_WIDTH + h * CELL
            fill = "#2f7d4f" if cell.working else "#e8e8e8"
            text = "#fff" if cell.working else "#555"
            css = "working" if cell.working else "off"
            parts.append(f'<rect class="{css}" x="{x + 1}" y="{y + 2}" width="{CELL - 2}" height="{ROW - 4}" '
                         f'rx="3" fill="{fill}"/>')
            parts.append(f'<text x="{x + CELL / 2}" y="{y + ROW / 2 + 4}" font-size="10" text-anchor="middle" '
                         f'fill="{text}">{cell.label}</text>')
    parts.append("</svg>")
    return "".join(parts)
