"""Programs: a scale-up program an office runs, holding one or more matchmaking days."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, utcnow
from matchmaker.extensions import db


class Program(db.Model):
    """A scale-up program an office runs; it holds one or more matchmaking days."""

    __tablename__ = "programs"
    __table_args__ = (sa.CheckConstraint("end_date >= start_date", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date] = mapped_column(sa.Date)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)  # API sync

    office: Mapped["Office"] = relationship(back_populates="programs")  # noqa: F821
    events: Mapped[list["Event"]] = relationship(back_populates="program", order_by="Event.date")  # noqa: F821
