"""Office scoping for staff views: staff of an office manage that office's programs and days; admins and staff
without an office manage all. Every staff view that loads an object by id checks it here (404 for no such object,
403 for another office's). `day_now` reads the instant staff may ask a day's pages to be shown at.
"""

from datetime import datetime
from functools import cache

from flask import abort, g, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from matchmaker.access import get_or_404
from matchmaker.domain.day_clock import read_instant
from matchmaker.models import Event, ImportBatch, Office
from matchmaker.services.queries import office_scope, visible_offices
from matchmaker.staff.blueprint import bp


@bp.app_template_global()
def manages_office(office_id: int) -> bool:
    """Whether the signed-in user is staff managing office `office_id`: pages link to a staff page of another
    office's day only when it would open (the public day page, an organization's days)."""
    return bool(current_user.is_authenticated and current_user.is_staff
                and office_scope(current_user) in (None, office_id))


def check_office(office_id: int) -> None:
    """403 unless the current staff member manages office `office_id`."""
    if not manages_office(office_id):
        abort(403)


@cache
def _event_with_program():
    """An event with its program (whose office is checked next) in one query, built once: every staff page of a
    day starts with it."""
    return select(Event).where(Event.id == bindparam("id")).options(joinedload(Event.program))


def office_event(event_id: int) -> Event:
    """An event of an office the current staff member manages, shown in the event's zone by default."""
    event = get_or_404(Event, event_id, _event_with_program())
    check_office(event.program.office_id)
    g.event_timezone = event.timezone
    return event


def office_batch(batch_id: int) -> ImportBatch:
    """An import batch of a day (or, for a batch of accounts, of an office) the current staff member manages."""
    batch = get_or_404(ImportBatch, batch_id)
    if batch.event_id is not None:
        office_event(batch.event_id)
    else:
        check_office(batch.office_id)
    return batch


def offices() -> list[Office]:
    """The offices the current staff member manages."""
    return visible_offices(current_user)


def day_now(event: Event) -> datetime | None:
    """The `?at=` instant staff may give to see a page as it will be at another time (ISO 8601; a time
    without an offset is read in the event's zone). None: now. 400 for a text that is no such time."""
    text = (request.args.get("at") or "").strip()
    if not text:
        return None
    try:
        return read_instant(text, event.timezone)
    except ValueError:
        abort(400, _("Give the time as 2027-03-10T10:15."))
