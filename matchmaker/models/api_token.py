"""Personal access tokens for the JSON API (/api/v1): a person's own key, stored as a SHA-256 digest of the secret
(never the secret itself), with a short public prefix to tell tokens apart on the settings page."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import TokenScope
from matchmaker.extensions import db


class ApiToken(db.Model):
    """One token of one user. Usable while not revoked and not expired; `last_used_dt` is kept by the API."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, "token_scope"))
    prefix: Mapped[str] = mapped_column(sa.String(16))  # shown on the settings page, e.g. "mm_3fa9c2d1"
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # hex SHA-256 of the whole token
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["User"] = relationship()  # noqa: F821

    def usable(self, now: datetime) -> bool:
        return self.revoked_dt is None and now < self.expires_dt

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix} of user {self.user_id}>"
