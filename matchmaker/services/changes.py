"""What changed in a meeting since its attendees' calendars last heard of it (new, moved from → to, cancelled and by
whom), worded for one recipient in the current (forced) locale: the subject and first line of the invite e-mail and
the first line of the invite's text. What calendars last saw is kept as an audit entry (`invite_meeting`) each time
invites go out, so a burst of moves reads as one move from the time people were last told of."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext
from sqlalchemy import select

from matchmaker.domain import clocks
from matchmaker.domain.timefmt import format_calendar_date, format_clock, short_zone
from matchmaker.extensions import db
from matchmaker.formatting import format_locale
from matchmaker.meeting_clocks import order_for
from matchmaker.models import AuditLog, Meeting, Organization
from matchmaker.services import audit

NEW, MOVED, UPDATED, CANCELLED = "new", "moved", "updated", "cancelled"
SEEN = "invite_meeting"


@dataclass(frozen=True)
class Change:
    """`kind` is NEW, MOVED, UPDATED or CANCELLED; a move carries where the meeting was (`before_start`,
    `before_table`); a cancellation who cancelled (`by_org_id`, None: the office)."""

    kind: str
    before_start: datetime | None = None
    before_table: str | None = None
    by_org_id: int | None = None


def remember_seen(meeting: Meeting, cancelled: bool = False) -> None:
    """Note what the attendees' calendars are now told: the next update says what changed from this."""
    audit.record(None, SEEN, meeting, sequence=meeting.sequence, start=meeting.start_dt.isoformat(),
                 table=meeting.table_label, url=meeting.online_url, cancelled=cancelled)


def since_seen(meeting: Meeting) -> Change:
    """The change since the invite attendees last received (NEW when they never received one)."""
    seen = db.session.scalar(
        select(AuditLog.details).where(AuditLog.object_type == "Meeting", AuditLog.object_id == meeting.id,
                                       AuditLog.action == SEEN).order_by(AuditLog.id.desc()).limit(1)
    )
    if meeting.invited_sequence is None or not seen or seen.get("cancelled"):
        return Change(NEW)  # never invited, or calendars last saw it cancelled: it is new to them again
    start = datetime.fromisoformat(seen["start"])
    if start != meeting.start_dt or seen.get("table") != meeting.table_label:
        return Change(MOVED, start, seen.get("table"))
    return Change(UPDATED)


def _first_time(meeting: Meeting, other: Organization, zone: str, start: datetime | None = None) -> str:
    instant = start or meeting.start_dt
    return clocks.shown_times(instant, order_for(meeting, other, zone, instant), format_locale())[0].text


def _place(meeting: Meeting, table: str | None) -> str:
    """'Table T2' in person; online, the virtual room's label, else 'online'."""
    if clocks.meets_in_person(meeting.event.mode, table):
        return gettext("Table %(t)s", t=table) if table else ""
    return table or gettext("online")


def _at(meeting: Meeting, other: Organization, zone: str, start: datetime | None, table: str | None) -> str:
    where = _place(meeting, table)
    when = _first_time(meeting, other, zone, start)
    return f"{when}, {where}" if where else when


def _short(meeting: Meeting, other: Organization, zone: str, change: Change) -> tuple[str, str]:
    """The move in few words for a subject, in the first clock's zone: 'Tue, Jan 12, 9:30 AM, Table T2' and
    '10:30 AM, Table T3 (GMT+07:00)' (the date again only when it changed)."""
    first = order_for(meeting, other, zone, meeting.start_dt)[0].zone
    locale = format_locale()
    texts = []
    for start, table, with_day in ((change.before_start, change.before_table, True), (meeting.start_dt,
                                   meeting.table_label, not same_day(change.before_start, meeting.start_dt, first))):
        text = format_clock(start, first, locale)
        if with_day:
            text = f"{format_calendar_date(start.astimezone(ZoneInfo(first)), 'MMMEd', locale)}, {text}"
        where = _place(meeting, table)
        texts.append(f"{text}, {where}" if where else text)
    return texts[0], f"{texts[1]} ({short_zone(meeting.start_dt, first, locale)})"


def same_day(a: datetime, b: datetime, zone: str) -> bool:
    return a.astimezone(ZoneInfo(zone)).date() == b.astimezone(ZoneInfo(zone)).date()


def subject(meeting: Meeting, org: Organization, change: Change, zone: str) -> str:
    """The e-mail's subject for a member of `org`."""
    other = meeting.request.other_org(org.id)
    name = other.display_name
    if change.kind == MOVED:
        before, after = _short(meeting, other, zone, change)
        return gettext("Moved: meeting with %(name)s, %(before)s → %(after)s", name=name, before=before,
                       after=after)
    if change.kind == CANCELLED:
        if change.by_org_id == other.id:
            return gettext("Cancelled by %(name)s: your meeting with them", name=name)
        if change.by_org_id == org.id:
            return gettext("Cancelled by your organization: meeting with %(name)s", name=name)
        return gettext("Cancelled by the office: meeting with %(name)s", name=name)
    if change.kind == UPDATED:
        return gettext("Updated: meeting with %(name)s", name=name)
    return gettext("Invitation: meeting with %(name)s", name=name)


def headline(meeting: Meeting, org: Organization, change: Change, zone: str) -> str:
    """The first line of the e-mail and of the invite's text, for a member of `org`."""
    other = meeting.request.other_org(org.id)
    values = {"org": other.display_name, "event": meeting.event.title}
    if change.kind == MOVED:
        return gettext("Your meeting with %(org)s at %(event)s has moved from %(before)s to %(after)s.",
                       before=_at(meeting, other, zone, change.before_start, change.before_table),
                       after=_at(meeting, other, zone, None, meeting.table_label), **values)
    if change.kind == CANCELLED:
        values["when"] = _first_time(meeting, other, zone)
        if change.by_org_id == other.id:
            return gettext("%(org)s cancelled your meeting of %(when)s at %(event)s.", **values)
        if change.by_org_id == org.id:
            return gettext("Your organization cancelled the meeting with %(org)s of %(when)s at %(event)s.",
                           **values)
        return gettext("The office cancelled your meeting with %(org)s of %(when)s at %(event)s.", **values)
    if change.kind == UPDATED:
        return gettext("Your meeting with %(org)s at %(event)s was updated.", **values)
    return gettext("New meeting: you meet %(org)s at %(event)s.", **values)
