"""Interpreters staff have at an event, per language pair: for the whole day or for one slot."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.database import UTCDateTime
from matchmaker.extensions import db


class InterpreterSlot(db.Model):
    """How many interpreters for a language pair staff have at an event: in every slot (start_dt NULL)
    or in the slot starting at start_dt."""

    __tablename__ = "interpreter_slots"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "language_a", "language_b", "start_dt"),
        sa.CheckConstraint("language_a < language_b", name="language_order"),
        sa.CheckConstraint("count >= 0", name="count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    language_a: Mapped[str] = mapped_column(sa.String(16))
    language_b: Mapped[str] = mapped_column(sa.String(16))
    count: Mapped[int] = mapped_column()
    start_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
