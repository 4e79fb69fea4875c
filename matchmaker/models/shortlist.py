"""A member's shortlist: organizations it marked in the directory, raised in its recommendations."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, utcnow
from matchmaker.extensions import db


class ShortlistEntry(db.Model):
    """Organization `organization_id` shortlisted organization `target_id`."""

    __tablename__ = "shortlist_entries"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "target_id"),
        sa.CheckConstraint("organization_id <> target_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    target: Mapped["Organization"] = relationship(foreign_keys=[target_id])  # noqa: F821
