"""Messages between the two sides of a meeting request (and so of its meeting): one thread per request."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, utcnow
from matchmaker.extensions import db


class Message(db.Model):
    """One message in a request's thread. `notified_dt` is when an e-mail told the other side of it (mail about a
    thread is batched, so several messages share one)."""

    __tablename__ = "messages"
    __table_args__ = (sa.Index("ix_messages_request_created", "request_id", "created_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting_requests.id", ondelete="CASCADE"))
    author_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notified_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    request: Mapped["MeetingRequest"] = relationship()  # noqa: F821
    author_org: Mapped["Organization"] = relationship()  # noqa: F821
    author: Mapped["User | None"] = relationship()  # noqa: F821
