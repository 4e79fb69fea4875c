"""The outbox as staff see it: which messages an office sees, filters, the Excel export, resend and discard.

Scope: an e-mail belongs to an office when its recipient (the account with that address) is staff of the
office, or belongs to an organization that has applied to a day of one of the office's programs (whatever
became of the application). Admins and office-less staff see every message, including those to addresses
with no account left and to members who have not applied anywhere yet.

Resend and discard act once: the form carries the status and attempt count the staff member saw, and the
change applies only while the message is still in that state, so a double click (or two colleagues) changes
it once and the second click is told what happened instead.
"""

from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, and_, cast, func, literal, or_, select, update

from matchmaker.database import utcnow
from matchmaker.enums import OutboxStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, OutboxMessage, Participation, Program, User
from matchmaker.services import ServiceError, audit, list_exports
from matchmaker.services.list_exports import EXPORT_ROWS
from matchmaker.services.mail import deliver_when_committed
from matchmaker.services.queries import office_scope

STATUS_LABELS = {
    OutboxStatus.QUEUED: _l("Queued"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
    OutboxStatus.DISCARDED: _l("Discarded"),
}
INVITE_KINDS = ("invite", "invite_cancel")  # what `invites.queue_invites` queues
# Statuses staff may act on; a queued message is about to be sent and is left alone.
RESENDABLE = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.DISCARDED)
DISCARDABLE = (OutboxStatus.QUEUED, OutboxStatus.FAILED)


@dataclass(frozen=True)
class Filters:
    status: OutboxStatus | None = None
    kind: str | None = None
    q: str = ""
    event: int | None = None  # only the calendar invitations of this day's meetings

    @classmethod
    def from_args(cls, args) -> "Filters":
        """From a query string; unknown values are ignored rather than refused (a link kept from a list)."""
        status = args.get("status")
        event = (args.get("event") or "").strip()
        return cls(
            status=OutboxStatus(status) if status in {s.value for s in OutboxStatus} else None,
            kind=(args.get("kind") or "").strip()[:40] or None,
            q=(args.get("q") or "").strip()[:254],
            event=int(event) if event.isdigit() and len(event) < 10 else None,
        )

    def as_args(self) -> dict:
        return {k: v for k, v in (("status", self.status and self.status.value), ("kind", self.kind),
                                  ("q", self.q), ("event", self.event)) if v}


def visible(viewer: User) -> Select:
    """The messages `viewer` may see (see the module's docstring for the rule)."""
    query = select(OutboxMessage)
    office_id = office_scope(viewer)
    if office_id is not None:
        applied = (
            select(Participation.organization_id).join(Event, Participation.event_id == Event.id)
            .join(Program, Event.program_id == Program.id).where(Program.office_id == office_id)
        )
        recipient = select(User.id).where(
            User.email == OutboxMessage.to_address,
            or_(User.office_id == office_id, User.organization_id.in_(applied)),
        )
        query = query.where(recipient.exists())
    return query


def listing(viewer: User, filters: Filters) -> Select:
    query = visible(viewer)
    if filters.status is not None:
        query = query.where(OutboxMessage.status == filters.status)
    if filters.kind:
        query = query.where(OutboxMessage.kind == filters.kind)
    if filters.event:
        query = query.where(invites_of_event(filters.event))
    if filters.q:
        escaped = filters.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(OutboxMessage.to_address.like(f"%{escaped}%", escape="\\"))
    return query.order_by(OutboxMessage.id.desc())


def invites_of_event(event_id: int):
    """The condition that picks the calendar invitations (and cancellations) of one day's meetings."""
    return select(Meeting.id).where(Meeting.event_id == event_id, invite_of_meeting()).exists()


def invite_of_meeting():
    """An outbox message being a calendar invitation (or cancellation) of the meeting: its dedupe key names the
    meeting (`invites.queue_invites`)."""
    key = literal("invite-") + cast(Meeting.id, String) + literal("-%")
    return and_(OutboxMessage.kind.in_(INVITE_KINDS), OutboxMessage.dedupe_key.like(key))


def kinds(viewer: User) -> list[str]:
    """The kinds of message the viewer has, for the filter's choices."""
    subquery = visible(viewer).subquery()
    return list(db.session.scalars(select(subquery.c.kind).distinct().order_by(subquery.c.kind)))


def failed_count(viewer: User) -> int:
    """How many of the messages the viewer sees have failed (the staff start page says so)."""
    return db.session.scalar(select(func.count()).select_from(
        visible(viewer).where(OutboxMessage.status == OutboxStatus.FAILED).subquery()))


def get_visible(viewer: User, message_id: int) -> OutboxMessage | None:
    return db.session.scalar(visible(viewer).where(OutboxMessage.id == message_id))


def resend(actor: User, message: OutboxMessage, seen: str) -> None:
    """Put the message back in the queue, due now, with the same Message-ID. Raises ServiceError when it
    changed since the staff member saw it (`seen`: the page's `state_token`)."""
    _act(actor, message, seen, RESENDABLE, "resend_email", dict(
        status=OutboxStatus.QUEUED, next_attempt_dt=utcnow(), claim_token=None, lease_until=None,
    ))
    deliver_when_committed()  # as any queued mail


def discard(actor: User, message: OutboxMessage, seen: str) -> None:
    """Give up on the message: it will not be sent (it stays listed, and can be sent again)."""
    _act(actor, message, seen, DISCARDABLE, "discard_email", dict(status=OutboxStatus.DISCARDED))


def state_token(message: OutboxMessage) -> str:
    return f"{message.status.value}:{message.attempts}"


def _act(actor: User, message: OutboxMessage, seen: str, allowed, action: str, values: dict) -> None:
    status, _, attempts = (seen or "").partition(":")
    result = None
    if status in {s.value for s in allowed} and attempts.isdigit():
        result = db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message.id,
                OutboxMessage.status == OutboxStatus(status),
                OutboxMessage.attempts == int(attempts),
                # a sender holding it right now finishes first
                or_(OutboxMessage.claim_token.is_(None), OutboxMessage.lease_until < utcnow()),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    if result is None or result.rowcount != 1:
        db.session.refresh(message)
        raise ServiceError(gettext("Nothing was done: this message is now %(status)s.",
                                   status=STATUS_LABELS[message.status]))
    audit.record(actor, action, message, to=message.to_address, kind=message.kind)
    db.session.refresh(message)


def workbook(viewer: User, filters: Filters, zone: str) -> bytes:
    """The filtered messages (the newest EXPORT_ROWS), times in `zone`, named in the header. Bodies stay out:
    they may hold sign-in links."""
    rows = db.session.execute(
        listing(viewer, filters).with_only_columns(
            OutboxMessage.id, OutboxMessage.created_dt, OutboxMessage.to_address, OutboxMessage.kind,
            OutboxMessage.subject, OutboxMessage.status, OutboxMessage.attempts, OutboxMessage.sent_dt,
            OutboxMessage.last_error,
        ).limit(EXPORT_ROWS)
    ).all()
    header = [
        gettext("Number"), gettext("Created (%(zone)s)", zone=zone), gettext("To"), gettext("Kind"),
        gettext("Subject"), gettext("Status"), gettext("Attempts"), gettext("Sent (%(zone)s)", zone=zone),
        gettext("Last error"),
    ]
    return list_exports.workbook(gettext("Outbox"), header, (
        [row.id, list_exports.local(row.created_dt, zone), row.to_address, row.kind, row.subject,
         str(STATUS_LABELS[row.status]), row.attempts, list_exports.local(row.sent_dt, zone), row.last_error]
        for row in rows
    ))
