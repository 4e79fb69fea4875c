"""Webhooks: an office's endpoints (URL, secret, the events it wants) and the deliveries written for them in the
same transaction as the change they report; `tasks/webhooks.py` sends them."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import WebhookStatus
from matchmaker.extensions import db


class WebhookEndpoint(db.Model):
    """Where one office's events are POSTed; `events` lists the event types it subscribes to."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    secret: Mapped[str] = mapped_column(sa.String(200))  # the receiver checks the signature with it
    events: Mapped[list] = mapped_column(sa.JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    office: Mapped["Office"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<WebhookEndpoint {self.id} of office {self.office_id}>"


class WebhookDelivery(db.Model):
    """One event for one endpoint: sent until the receiver answers 2xx, with backoff, `WEBHOOK_MAX_ATTEMPTS` times.
    `claim_token`/`lease_until` let concurrent senders share the work (as the mail outbox does)."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True)
    event_type: Mapped[str] = mapped_column(sa.String(40))
    payload: Mapped[dict] = mapped_column(sa.JSON)
    status: Mapped[WebhookStatus] = mapped_column(enum_column(WebhookStatus, "webhook_status"),
                                                  default=WebhookStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_status_code: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(sa.String(36))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    endpoint: Mapped[WebhookEndpoint] = relationship()

    def __repr__(self) -> str:
        return f"<WebhookDelivery {self.id} {self.event_type} {self.status}>"
