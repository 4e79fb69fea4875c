"""The outbox delivery job (`deliver_due`): the outbox delivered exactly once however many senders run at the same
time. It commits as it goes (the claim before sending, the marks after), which is why it is a task and not a
service; `services.mail` asks for it once the change that queued mail commits.

A sender (a web thread, an RQ job, `flask outbox send`) claims a batch of due messages by writing its own
token and a lease into them, and commits that before it sends anything: on PostgreSQL the rows are picked
with `FOR UPDATE SKIP LOCKED`, so concurrent senders take disjoint batches without waiting; on SQLite the
UPDATE checks again that each row is unclaimed, atomically (one writer at a time). Every later mark (sent,
failed) applies only `WHERE claim_token` is still the sender's. A sender that dies mid-batch leaves its lease
to run out, and the next sender picks up the messages it had not marked (the copy keeps its Message-ID, see
README "Mail").

A message that cannot be built (a header that no cleaning could save) is marked failed at once with its
error; one that cannot be sent is retried with backoff and marked failed after MAIL_MAX_ATTEMPTS. Either way
it never holds back the others. One SMTP connection serves a whole batch.
"""

import smtplib
import time
import uuid
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, or_, select, update

from matchmaker.database import utcnow
from matchmaker.domain.email import build_message
from matchmaker.enums import OutboxStatus
from matchmaker.extensions import db
from matchmaker.jobs import enqueue_at
from matchmaker.models import OutboxMessage

BATCH_SIZE = 50
LEASE = timedelta(minutes=10)
# A sender stops taking messages from its batch this long before its lease ends, so that it never sends
# one that another sender may already have claimed back (one SMTP exchange is bounded by SMTP_TIMEOUT).
LEASE_MARGIN = timedelta(minutes=2)
SMTP_TIMEOUT = 20
# A due message another transaction holds locked (a staff member's resend that lost its race keeps the row locked
# until it rolls back, a moment later) is skipped by the claim; the sender looks again this often, this many times,
# before it leaves the message to a wake-up.
LOCKED_PAUSE_SECONDS = 0.1
LOCKED_LOOKS = 20


def deliver_due(limit: int | None = None) -> dict:
    """Send the queued messages whose time has come, `limit` at most. Returns counts of sent and failed
    attempts."""
    token = str(uuid.uuid4())
    counts = {"sent": 0, "failed": 0}
    handled = looks = 0
    while limit is None or handled < limit:
        size = BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - handled)
        batch = claim(token, size)
        if not batch:
            if looks < LOCKED_LOOKS and _due_but_locked():
                looks += 1
                time.sleep(LOCKED_PAUSE_SECONDS)
                continue
            break
        handled += len(batch)
        _send_batch(batch, token, counts)
    _wake_for_next()
    return counts


def _due_but_locked() -> bool:
    """Whether committed messages are due and unclaimed although the claim just took none: another transaction
    holds them locked (PostgreSQL's SKIP LOCKED passed them over)."""
    due = db.session.scalar(select(OutboxMessage.id).where(_claimable(utcnow())).limit(1))
    db.session.rollback()
    return due is not None


def _claimable(now):
    return and_(
        OutboxMessage.status == OutboxStatus.QUEUED,
        OutboxMessage.next_attempt_dt <= now,
        or_(OutboxMessage.claim_token.is_(None), OutboxMessage.lease_until < now),
    )


def claim(token: str, size: int) -> list[dict]:
    """Take up to `size` due messages for the sender named by `token` and commit the claim (the first thing a
    sender does; one that stops after it leaves the messages to its lease); returns what sending needs."""
    now = utcnow()
    # Two statements, not UPDATE ... WHERE id IN (SELECT ... LIMIT FOR UPDATE): PostgreSQL may run such a
    # subquery again for each row it updates, and then claims every due message instead of `size`.
    picked = db.session.scalars(
        select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.id).limit(size)
        .with_for_update(skip_locked=True)  # PostgreSQL: locked until the claim commits; SQLite ignores it
    ).all()
    if picked:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(picked), _claimable(now))  # SQLite: checked again, atomically
            .values(claim_token=token, lease_until=now + LEASE)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    rows = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.claim_token == token).order_by(OutboxMessage.id)
    ).scalars().all()
    # Plain values, read once: the marks below commit as they go, which would expire ORM objects.
    batch = [{"id": m.id, "kind": m.kind, "attempts": m.attempts, "lease_until": m.lease_until,
              "email": _build_or_error(m)} for m in rows]
    db.session.rollback()
    return batch


def _build_or_error(message: OutboxMessage):
    config = current_app.config
    try:
        return build_message(
            sender=config["MAIL_DEFAULT_SENDER"],
            to=message.to_address,
            subject=message.subject,
            text=message.body_text,
            html=message.body_html,
            calendar=message.calendar,
            calendar_method=message.calendar_method,
            message_id=message.message_id,
            date=message.created_dt,
        )
    except Exception as error:  # noqa: BLE001 - whatever the reason, staff see it on the Outbox page
        return error


def _send_batch(batch: list[dict], token: str, counts: dict) -> None:
    transport = _Transport(current_app.config)
    marks = _Marks(token)
    try:
        for position, item in enumerate(batch):
            if utcnow() >= item["lease_until"] - LEASE_MARGIN:
                marks.flush()
                _release([other["id"] for other in batch[position:]], token)
                return
            if isinstance(item["email"], Exception):
                marks.failed(item, item["email"], permanent=True)
                counts["failed"] += 1
                continue
            try:
                transport.send(item["id"], item["kind"], item["email"])
            except Exception as error:  # noqa: BLE001 - network, SMTP or anything else: retried, then failed
                marks.failed(item, error, permanent=False)
                counts["failed"] += 1
            else:
                marks.sent(item)
                counts["sent"] += 1
    finally:
        marks.flush()
        transport.close()


class _Marks:
    """What happened to each claimed message, written a few at a time: one commit per message was most of
    the time spent (a commit waits for the disk). A sender that dies between the server's acceptance and
    the next flush sends at most FLUSH_EVERY messages once more when its lease runs out (same Message-ID);
    concurrent senders never do, since the claim is committed before anything is sent."""

    FLUSH_EVERY = 25
    FLUSH_SECONDS = 0.5

    def __init__(self, token: str):
        self.token = token
        self.sent_ids: list[int] = []
        self.failures: list[tuple[int, dict]] = []
        self.since = utcnow()

    def sent(self, item: dict) -> None:
        self.sent_ids.append(item["id"])
        self._maybe_flush()

    def failed(self, item: dict, error: Exception, *, permanent: bool) -> None:
        attempts = item["attempts"] + 1
        values = dict(
            attempts=attempts, last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_dt=utcnow() + timedelta(seconds=30 * 2 ** min(attempts, 10)),
        )
        if permanent or attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            values["status"] = OutboxStatus.FAILED
        self.failures.append((item["id"], values))
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        waiting = len(self.sent_ids) + len(self.failures)
        if waiting >= self.FLUSH_EVERY or (utcnow() - self.since).total_seconds() >= self.FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        mine = OutboxMessage.claim_token == self.token  # never a message whose lease ran out and went to another
        done = dict(claim_token=None, lease_until=None)
        if self.sent_ids:
            result = db.session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(self.sent_ids), mine)
                .values(status=OutboxStatus.SENT, sent_dt=utcnow(), attempts=OutboxMessage.attempts + 1,
                        last_error=None, **done)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != len(self.sent_ids):
                current_app.logger.warning("%d outbox messages were sent after their lease ran out",
                                           len(self.sent_ids) - result.rowcount)
        for message_id, values in self.failures:
            db.session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id, mine).values(**values, **done)
                .execution_options(synchronize_session=False)
            )
        if self.sent_ids or self.failures:
            db.session.commit()
        self.sent_ids, self.failures, self.since = [], [], utcnow()


def _release(ids: list[int], token: str) -> None:
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.claim_token == token)
        .values(claim_token=None, lease_until=None)
    )
    db.session.commit()


class _Transport:
    """Where a batch goes: one SMTP connection, opened on the first message, or the .eml folder."""

    def __init__(self, config):
        self.config = config
        self.smtp = None
        self.down: Exception | None = None  # the server did not answer: the rest of the batch waits too

    def send(self, message_id: int, kind: str, email) -> None:
        config = self.config
        if not config["MAIL_SERVER"]:
            folder = Path(config["MAIL_OUTBOX_DIR"])
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{message_id:06d}-{kind}.eml").write_bytes(email.as_bytes())
            return
        if self.down is not None:
            raise self.down
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except (OSError, smtplib.SMTPException) as error:
                self.down = error
                raise
        try:
            self.smtp.send_message(email)
        except Exception:
            self.close()  # a fresh connection for the next message, whatever state this one is in
            raise

    def _connect(self):
        config = self.config
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        smtp = smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT)
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            smtp, self.smtp = self.smtp, None
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


def _wake_for_next() -> None:
    """Ask to run again when the next held or retried message falls due (within the hour; cron covers the
    rest), or shortly when a due message was still held by another transaction. One such wake-up is kept, at the
    earliest time asked for."""
    upcoming = db.session.scalar(
        select(OutboxMessage.next_attempt_dt)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_dt > utcnow())
        .order_by(OutboxMessage.next_attempt_dt).limit(1)
    )
    db.session.rollback()
    if _due_but_locked():
        upcoming = min(filter(None, [upcoming, utcnow() + timedelta(seconds=30)]))
    if upcoming is not None and upcoming - utcnow() <= timedelta(hours=1):
        enqueue_at(upcoming, deliver_due, coalesce="mail-wake")
