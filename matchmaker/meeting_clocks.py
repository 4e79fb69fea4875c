"""A meeting's times for whoever reads it, in the order `domain.clocks` decides (the venue's clock first in person,
the reader's own first online), in the reader's language: for pages (the `meeting_times` template global), e-mails
(`meeting_when`, one line) and invites. Only wording and the reader's zone are chosen here; the rule is the domain's.
"""

from flask import Flask, has_request_context
from flask_login import current_user
from jinja2 import pass_context

from matchmaker.domain import clocks
from matchmaker.domain.timeslots import is_valid_zone
from matchmaker.domain.zones import organization_zone
from matchmaker.enums import EventMode
from matchmaker.formatting import format_locale
from matchmaker.i18n import gettext, viewer_calendar


def captions() -> dict[str, str]:
    """The captions of the hints after the first time, in the current locale."""
    return {
        clocks.YOURS: gettext("Your time: %(when)s"),
        clocks.THEIRS: gettext("Their time: %(when)s"),
        clocks.VENUE: gettext("Event time: %(when)s"),
    }


def order_for(meeting, other, reader_zone: str | None, start=None) -> tuple[clocks.Clock, ...]:
    """The clocks for a reader in `reader_zone` (None: an anonymous visitor) of a meeting with `other`."""
    event = meeting.event
    in_person = clocks.meets_in_person(event.mode, meeting.table_label)
    their = None if in_person else organization_zone(other)
    return clocks.clocks(in_person, event.timezone, reader_zone, their, at=start or meeting.start_dt)


def times_for(meeting, other, reader_zone: str | None, locale: str, calendar: str | None = None,
              start=None) -> list[clocks.Shown]:
    """The shown times of the meeting's start (or of `start`, a time it had before a move)."""
    instant = start or meeting.start_dt
    return clocks.shown_times(instant, order_for(meeting, other, reader_zone, instant), locale, calendar)


def when_line(meeting, other, reader_zone: str | None, locale: str, calendar: str | None = None,
              start=None) -> str:
    """The times on one line: '2:00 PM (Western Indonesia Time) · Your time: 4:00 PM (Korean Standard Time)'."""
    return clocks.one_line(times_for(meeting, other, reader_zone, locale, calendar, start), captions())


def _reader_zone(context, zone: str | None) -> str | None:
    """`zone`, else an e-mail's recipient's own setting (None without one: the venue's clock alone, not UTC), else
    the page's viewer's."""
    if zone:
        return zone
    if "recipient_zone" in context and context.get("user") is not None:
        return getattr(context["user"], "timezone", None)
    return reader_zone()


@pass_context
def meeting_times(context, meeting, other, zone: str | None = None, start=None) -> list[clocks.Shown]:
    """For templates: the meeting's times for the e-mail's recipient or the page's viewer (or a reader in `zone`)."""
    return times_for(meeting, other, _reader_zone(context, zone), format_locale(), viewer_calendar(context), start)


@pass_context
def meeting_when(context, meeting, other, zone: str | None = None, start=None) -> str:
    """For templates (e-mails): `meeting_times` on one line."""
    return when_line(meeting, other, _reader_zone(context, zone), format_locale(), viewer_calendar(context), start)


@pass_context
def day_start_when(context, event, zone: str | None = None) -> str:
    """For e-mails and pages: when a day starts, on one line, by the same rule (a day online is read on the reader's
    clock with the event's beside it; in person or hybrid, the venue's first and the reader's after it)."""
    reader = _reader_zone(context, zone)
    order = clocks.clocks(event.mode != EventMode.ONLINE, event.timezone, reader, None, at=event.starts_at)
    shown = clocks.shown_times(event.starts_at, order, format_locale(), viewer_calendar(context))
    return clocks.one_line(shown, captions())


def reader_zone() -> str | None:
    """The signed-in reader's own zone; None for a visitor (whose browser gives theirs, static/js/local-time.js) and
    for a member who has not set one: the venue's clock then stands alone rather than UTC."""
    if has_request_context() and current_user.is_authenticated and is_valid_zone(current_user.timezone):
        return current_user.timezone
    return None


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(meeting_times=meeting_times, meeting_when=meeting_when, clock_captions=captions,
                                 day_start_when=day_start_when,
                                 reader_zone=reader_zone)
