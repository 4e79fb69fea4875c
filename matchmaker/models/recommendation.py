"""Recommendations: the recommender's cached suggestions of partners for a company at an event."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, utcnow
from matchmaker.extensions import db


class Recommendation(db.Model):
    """A cached suggestion of the recommender: a partner for a company at an event, with its reasons.

    Recomputed in a background job when profiles, participation or staff's pair rules change.
    """

    __tablename__ = "recommendations"
    __table_args__ = (sa.UniqueConstraint("event_id", "company_id", "partner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column()  # 1 = best for the company
    score: Mapped[float] = mapped_column()
    forced: Mapped[bool] = mapped_column(default=False)
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)  # [[code, {params}], …]
    computed_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    company: Mapped["Organization"] = relationship(foreign_keys=[company_id])  # noqa: F821
    partner: Mapped["Organization"] = relationship(foreign_keys=[partner_id])  # noqa: F821
