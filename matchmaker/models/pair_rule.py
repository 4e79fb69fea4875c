"""Pair rules: staff's word on a pair at an event, that they must meet (forced) or must not (forbidden)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import PairRuleKind
from matchmaker.extensions import db


class PairRule(db.Model):
    """Staff's word on a pair at an event: they must meet (forced) or must not (forbidden)."""

    __tablename__ = "pair_rules"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "org_low_id", "org_high_id"),
        sa.CheckConstraint("org_low_id < org_high_id", name="pair_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    org_low_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    org_high_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    kind: Mapped[PairRuleKind] = mapped_column(enum_column(PairRuleKind, "pair_rule_kind"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @classmethod
    def for_pair(cls, event_id: int, a: int, b: int, kind: PairRuleKind) -> "PairRule":
        return cls(event_id=event_id, org_low_id=min(a, b), org_high_id=max(a, b), kind=kind)
