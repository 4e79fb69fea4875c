"""An e-mail row in the outbox, written straight to the table (as the sender left it: sent once, by default), for the
tests of what staff see of the outbox (its page and /api/v1/outbox)."""

from datetime import timedelta

from sqlalchemy import insert

from matchmaker.database import utcnow
from matchmaker.domain.email import new_message_id
from matchmaker.enums import OutboxStatus
from matchmaker.extensions import db
from matchmaker.models import OutboxMessage


def outbox_row(to: str, **values) -> int:
    row = dict(kind="request_received", to_address=to, subject=f"Hello {to}", body_text="Body", locale="en",
               message_id=new_message_id(), status=OutboxStatus.SENT, attempts=1, created_dt=utcnow(),
               next_attempt_dt=utcnow() - timedelta(seconds=1))
    row.update(values)
    return db.session.execute(insert(OutboxMessage).values(**row).returning(OutboxMessage.id)).scalar_one()
