"""Consents: what a person agreed to, which version of its text, when and from where; a withdrawal keeps the row."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import ConsentKind
from matchmaker.extensions import db


class Consent(db.Model):
    """Person `user_id` agreed to text `kind` at `version` (`domain.consent_texts`) at `given_dt`, from network address
    `ip` with browser `user_agent`; `withdrawn_dt` once they took it back. A new version is a new row."""

    __tablename__ = "consents"
    __table_args__ = (sa.Index("ix_consents_kind_user", "kind", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ConsentKind] = mapped_column(enum_column(ConsentKind, "consent_kind"))
    version: Mapped[str] = mapped_column(sa.String(32))
    given_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
    withdrawn_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["User"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Consent {self.user_id} {self.kind} {self.version}>"
