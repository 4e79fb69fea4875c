"""Virtual tables of an online day: the rooms an office owns, each with its fixed link (`Event.virtual_rooms`). The
scheduler, staff's moves and walk-ins hand them out as tables (a meeting's `table_label` is the room's label, its
`online_url` the room's link; see `services.placement`). Here: the messages for a refused rooms list, and what a
changed list does to the day's placed meetings (a room in use may not go away; a room's new link reaches its
meetings; meetings placed before the day had rooms get a free one). It never commits.
"""

from flask_babel import gettext
from sqlalchemy import select

from matchmaker.domain import rooms as room_links
from matchmaker.domain.rooms import LABEL_LENGTH, MAX_LENGTH, MAX_ROOMS, RoomLineError, check_rooms, room_url
from matchmaker.enums import EventMode, MeetingStatus
from matchmaker.extensions import db
from matchmaker.i18n import format_clock
from matchmaker.models import Event, Meeting
from matchmaker.services import ServiceError


def line_message(error: RoomLineError) -> str:
    """What is wrong with one line of the rooms list, in the current language."""
    messages = {
        "no_label": lambda: gettext("Line %(n)d: give the room a name before the |, e.g. Room 1 | https://…",
                                    n=error.line),
        "no_link": lambda: gettext("Line %(n)d: %(label)s has no link; write it after a |, e.g. %(label)s | "
                                   "https://…", n=error.line, label=error.label),
        "not_web": lambda: gettext("Line %(n)d: the link of %(label)s is not an http:// or https:// link.",
                                   n=error.line, label=error.label),
        "too_long": lambda: gettext("Line %(n)d: the link of %(label)s is longer than %(max)d characters.",
                                    n=error.line, label=error.label, max=MAX_LENGTH),
        "label_too_long": lambda: gettext("Line %(n)d: a room's name may have at most %(max)d characters.",
                                          n=error.line, max=LABEL_LENGTH),
        "control": lambda: gettext("Line %(n)d: the room's name has invisible control characters.", n=error.line),
        "duplicate_label": lambda: gettext("Line %(n)d: there is already a room called %(label)s.",
                                           n=error.line, label=error.other),
        "duplicate_link": lambda: gettext("Line %(n)d: %(label)s has the same link as %(other)s; each room needs "
                                          "its own.", n=error.line, label=error.label, other=error.other),
        "too_many": lambda: gettext("A day may have at most %(max)d rooms.", max=MAX_ROOMS),
    }
    return messages[error.kind]()


def check_rooms_of(event: Event, rooms: list[dict] | None, mode: EventMode, template: str | None) -> None:
    """Refuse a rooms list that is bad, given to a day that is not online or beside a link template, or that takes
    away a room in which meetings are placed."""
    errors = check_rooms(rooms)
    if errors:
        raise ServiceError(line_message(errors[0]))
    if rooms and mode != EventMode.ONLINE:
        raise ServiceError(gettext("Rooms are for online days; an in-person or hybrid day has tables."))
    if rooms and template:
        raise ServiceError(gettext("A day uses either a room link template or a list of rooms, not both: empty "
                                   "one of them."))
    refusal = rooms_in_use_refusal(event, rooms)
    if refusal:
        raise ServiceError(refusal)


def rooms_in_use_refusal(event: Event, rooms: list[dict] | None) -> str | None:
    """Why the day's rooms cannot become `rooms`: rooms taken away while meetings are placed in them (None: none
    are). Only the day's rooms until now count: a table of a day that was in person is no room (`apply_rooms`)."""
    gone = {room["label"] for room in event.virtual_rooms or []} - {room["label"] for room in rooms or []}
    in_use = sorted({m.table_label for m in _placed(event) if m.table_label in gone})
    if not in_use:
        return None
    return gettext("Meetings are placed in %(rooms)s; move them to another room before taking it away.",
                   rooms=", ".join(in_use))


def apply_rooms(event: Event) -> int:
    """After the day's rooms were saved: each placed meeting in a room gets the room's link (a new link counts as a
    change its calendars are sent), and meetings without a room get a free one, as do meetings at a table of a day
    that was in person until now. Returns the meetings changed."""
    if event.mode != EventMode.ONLINE or not event.virtual_rooms:
        return 0
    labels = [room["label"] for room in event.virtual_rooms]
    meetings = _placed(event)
    taken: dict = {}
    for meeting in meetings:
        if meeting.table_label in labels:
            taken.setdefault(meeting.start_dt, set()).add(meeting.table_label)
    changed = 0
    for meeting in meetings:
        if meeting.table_label not in labels:
            free = [label for label in labels if label not in taken.setdefault(meeting.start_dt, set())]
            if not free:
                raise ServiceError(gettext(
                    "At %(time)s more meetings are placed than there are rooms; add rooms or move meetings first.",
                    time=format_clock(meeting.start_dt, event.timezone)))
            meeting.table_label = free[0]
            taken[meeting.start_dt].add(free[0])
        url = room_url(event.virtual_rooms, meeting.table_label)
        if meeting.online_url != url:
            _relink(meeting, url)
            changed += 1
    db.session.flush()
    return changed


def apply_links(event: Event, old_template: str | None, old_url: str | None) -> int:
    """After the day was saved: placed meetings without a table or room follow a changed link template (each gets
    a new room of its own from it: meetings placed with the day's single link no longer share it) or, without a
    template, a changed single link. A new link counts as a change their calendars are sent. Returns the meetings
    changed."""
    template = event.room_link_template
    changed = 0
    for meeting in _placed(event):
        if meeting.table_label:  # at a table, or in a virtual room (`apply_rooms`)
            continue
        if template and template != old_template:
            url = room_links.render(template, room=room_links.new_token(), meeting=meeting.id, event=event.id)
        elif not template and event.online_url != old_url and meeting.online_url == old_url:
            url = event.online_url
        else:
            continue
        _relink(meeting, url)
        changed += 1
    db.session.flush()
    return changed


def _relink(meeting: Meeting, url: str) -> None:
    """A placed meeting's new link: a change its calendars are sent (SEQUENCE), and one a board showing the meeting
    before it can no longer act on (version)."""
    meeting.online_url = url
    meeting.sequence += 1
    meeting.version += 1


def _placed(event: Event) -> list[Meeting]:
    if event.id is None:
        return []
    return list(db.session.scalars(
        select(Meeting).where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.SCHEDULED)
        .order_by(Meeting.start_dt, Meeting.id)
    ))
