"""The outbox: e-mails written with the change that caused them, sent afterwards."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import OutboxStatus
from matchmaker.extensions import db


class OutboxMessage(db.Model):
    """An e-mail, written in the same transaction as the change that caused it, sent afterwards."""

    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_messages_due", "status", "next_attempt_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # verify_email, reset_password, invite…
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    calendar: Mapped[str | None] = mapped_column(sa.Text)  # text/calendar part, for invites
    calendar_method: Mapped[str | None] = mapped_column(sa.String(16))
    locale: Mapped[str | None] = mapped_column(sa.String(16))
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)  # stable across retries
    # Messages that must go out once only (reminders) carry a key; the database refuses a second one.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, "outbox_status"), default=OutboxStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)  # API sync
    # A sender claims a due message by writing its token and a lease; another sender skips it until the
    # lease runs out (a sender that crashed mid-send gives the message back that way).
    claim_token: Mapped[str | None] = mapped_column(sa.String(36))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
