"""Read-side queries that several areas share."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from matchmaker.database import utcnow
from matchmaker.extensions import db
from matchmaker.models import Event, Program


def upcoming_events() -> list[Event]:
    """Events from yesterday on (UTC date, so no day is hidden early in any zone), soonest first."""
    since = (utcnow() - timedelta(days=1)).date()
    return list(
        db.session.scalars(
            select(Event)
            .options(joinedload(Event.program).joinedload(Program.office))
            .where(Event.date >= since)
            .order_by(Event.date, Event.id)
        )
    )
