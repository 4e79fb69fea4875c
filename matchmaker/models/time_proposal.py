"""Proposals to change a meeting: another free time proposed by one side to the other, or a change asked of staff
on days staff schedule."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import ProposalKind, ProposalStatus
from matchmaker.extensions import db


class TimeProposal(db.Model):
    """A change asked for a meeting: `NEW_TIME` names `start_dt` (the other side accepts or declines), `ASK_STAFF`
    gives a `reason` (staff see it on the board)."""

    __tablename__ = "time_proposals"
    __table_args__ = (
        sa.CheckConstraint("kind <> 'new_time' OR start_dt IS NOT NULL", name="new_time_has_start"),
        # one open proposal per meeting at a time
        sa.Index("uq_time_proposals_open", "meeting_id", unique=True, sqlite_where=sa.text("status = 'pending'"),
                 postgresql_where=sa.text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ProposalKind] = mapped_column(enum_column(ProposalKind, "proposal_kind"))
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus, "proposal_status"), default=ProposalStatus.PENDING
    )
    proposed_by_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    start_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    meeting: Mapped["Meeting"] = relationship()  # noqa: F821
    proposed_by_org: Mapped["Organization"] = relationship()  # noqa: F821
