"""Messages between the two sides of a meeting request (its meeting's page shows the same thread): posting one, the
batched e-mail that tells the other side (`notify_thread`, a job; the rule is `domain.thread_mail`), and the reads
the member and staff pages need. Never commits.

A thread names organizations, never people: until a request is accepted neither side sees the other's contact
details, and nothing here shows them (the e-mail comes from Matchmaker, with a link to the request page).
"""

from datetime import datetime

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from matchmaker.database import utcnow
from matchmaker.domain.thread_mail import MAX_LENGTH, clean_body, may_send, notify_at
from matchmaker.enums import RequestStatus
from matchmaker.extensions import db
from matchmaker.formatting import format_count
from matchmaker.jobs import enqueue_at
from matchmaker.models import Event, MeetingRequest, Message, User
from matchmaker.services import ServiceError, audit
from matchmaker.services.locking import lock
from matchmaker.services.mail import queue_email

# A thread stays readable whatever happens; it takes new messages while the request waits or is accepted.
OPEN = (RequestStatus.REQUESTED, RequestStatus.ACCEPTED)


def can_post(item: MeetingRequest) -> bool:
    return item.status in OPEN


def thread_of(item: MeetingRequest) -> list[Message]:
    """The request's messages, oldest first, with their organizations."""
    return list(db.session.scalars(
        select(Message).where(Message.request_id == item.id)
        .options(joinedload(Message.author_org), joinedload(Message.author))
        .order_by(Message.created_dt, Message.id)
    ))


def post_message(actor: User, item: MeetingRequest, text: str | None) -> Message:
    """Add `actor`'s message to the thread of `item` and ask for the e-mail that tells the other side (batched: see
    `domain.thread_mail`)."""
    if not (actor.is_member and item.involves(actor.organization_id)):
        raise ServiceError(gettext("Only the two organizations of a request can write in its thread."))
    body = clean_body(text)
    if not body:
        raise ServiceError(gettext("Write a message first."))
    if len(body) > MAX_LENGTH:
        raise ServiceError(gettext(
            "A message can be at most %(max)s characters long; yours has %(num)s. Shorten it, or send it in two.",
            max=format_count(MAX_LENGTH), num=format_count(len(body)),
        ))
    lock(item)  # a cancellation, or the e-mail job, committing meanwhile: this sees what they left
    if not can_post(item):
        raise ServiceError(gettext("This request is closed: you can read its messages but not add any."))
    now = utcnow()
    message = Message(request_id=item.id, author_org_id=actor.organization_id, author_id=actor.id, body=body,
                      created_dt=now)
    db.session.add(message)
    db.session.flush()
    audit.record(actor, "post_message", item, message_id=message.id, length=len(body))
    # The job finds the message once this commits (a minute later at the soonest); after a rollback it finds
    # nothing to send. One job per thread waits at a time, at the earliest time asked for.
    enqueue_at(notify_at(now, last_sent(item.id)), notify_thread, item.id, coalesce=f"thread-{item.id}")
    return message


def last_sent(request_id: int) -> datetime | None:
    """When the thread's last e-mail went (None: never)."""
    return db.session.scalar(select(func.max(Message.notified_dt)).where(Message.request_id == request_id))


def notify_thread(request_id: int, now: datetime | None = None) -> int:
    """The job: one e-mail to each side that has messages from the other side not told yet, listing them, then
    those messages are marked as told. Too early (an e-mail went less than 15 minutes ago): it asks to run again
    at the window's end. Returns how many messages it told of."""
    item = db.session.get(MeetingRequest, request_id)
    if item is None:
        return 0
    lock(item)  # two runs of the job take turns: the second finds the messages told
    now = now or utcnow()
    waiting = [m for m in thread_of(item) if m.notified_dt is None]
    if not waiting:
        return 0
    sent = last_sent(item.id)
    if not may_send(now, sent):
        enqueue_at(notify_at(now, sent), notify_thread, item.id, coalesce=f"thread-{item.id}")
        return 0
    for author_org_id in sorted({m.author_org_id for m in waiting}):
        theirs = [m for m in waiting if m.author_org_id == author_org_id]
        sender = item.from_org if author_org_id == item.from_org_id else item.to_org
        subject = _l("%(name)s wrote to you on Matchmaker", name=sender.display_name)
        for user in item.other_org(author_org_id).users:
            if user.active:
                queue_email(user, "thread_messages", subject, "thread_messages",
                            item=item, event=item.event, sender=sender, messages=theirs)
    for message in waiting:
        message.notified_dt = now
    return len(waiting)


def threads_of_event(event: Event) -> list[tuple[MeetingRequest, int, datetime]]:
    """Staff's list: every request of the day with messages, with how many and the last one's time, newest first."""
    stats = (
        select(Message.request_id, func.count(Message.id).label("count"), func.max(Message.created_dt).label("last"))
        .group_by(Message.request_id).subquery()
    )
    rows = db.session.execute(
        select(MeetingRequest, stats.c.count, stats.c.last)
        .join(stats, stats.c.request_id == MeetingRequest.id)
        .where(MeetingRequest.event_id == event.id)
        .options(joinedload(MeetingRequest.from_org), joinedload(MeetingRequest.to_org))
        .order_by(stats.c.last.desc(), MeetingRequest.id)
    )
    return [(item, count, last) for item, count, last in rows]
