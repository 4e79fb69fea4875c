"""The day of the event and after: no-shows, post-meeting feedback, bulk imports."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import ImportStatus, NoShowReason, Outcome
from matchmaker.extensions import db


class NoShow(db.Model):
    """A ledger entry: an organization did not come to a meeting (meeting_id set) or to the whole day."""

    __tablename__ = "no_shows"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="SET NULL"))
    reason: Mapped[NoShowReason] = mapped_column(enum_column(NoShowReason, "no_show_reason"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped["Event"] = relationship()  # noqa: F821
    organization: Mapped["Organization"] = relationship()  # noqa: F821
    meeting: Mapped["Meeting | None"] = relationship()  # noqa: F821


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


class ImportBatch(db.Model):
    """An uploaded participant file, parsed and checked; written to the database only when staff confirm."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    # [{"line": n, "values": {...normalized profile...}, "problems": [{"field", "code", "value"}]}]
    rows: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[ImportStatus] = mapped_column(
        enum_column(ImportStatus, "import_status"), default=ImportStatus.PREVIEW
    )
    summary: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # counts after import
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def problem_count(self) -> int:
        return sum(len(row.get("problems", [])) for row in self.rows or [])


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
