"""Feedback: each side's word on a meeting after it (rating, follow-up, outcome, amounts)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import Outcome
from matchmaker.extensions import db


class Feedback(db.Model):
    """One side's word on a meeting after it: rating, follow-up interest, outcome. Can be updated later."""

    __tablename__ = "feedback"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "organization_id"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        sa.CheckConstraint("amount_usd IS NULL OR amount_usd >= 0", name="amount_positive"),
        sa.CheckConstraint(
            "expected_amount_usd IS NULL OR expected_amount_usd >= 0", name="expected_amount_positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    rating: Mapped[int] = mapped_column()
    follow_up: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "outcome"), default=Outcome.NONE)
    # Consultation amount discussed (USD) and the contract/investment amount expected from it.
    amount_usd: Mapped[int | None] = mapped_column(sa.BigInteger)
    expected_amount_usd: Mapped[int | None] = mapped_column(sa.BigInteger)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting: Mapped["Meeting"] = relationship()  # noqa: F821
    organization: Mapped["Organization"] = relationship()  # noqa: F821
