"""Offices: the agency's overseas offices, each with its zone and language."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, utcnow
from matchmaker.extensions import db


class Office(db.Model):
    """An overseas office of the agency (Silicon Valley, Singapore, Jakarta…)."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    city: Mapped[str] = mapped_column(sa.String(120))
    timezone: Mapped[str] = mapped_column(sa.String(64))
    locale: Mapped[str] = mapped_column(sa.String(16), default="en")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)  # API sync

    programs: Mapped[list["Program"]] = relationship(back_populates="office")  # noqa: F821

    def __repr__(self) -> str:
        return f"<Office {self.name}>"
