"""Requests to erase one's data: the person asks from Settings (`ask`: an e-mail with a link, so that nobody else at
their screen can), the link confirms it (`confirm`: the request waits for staff), staff erase (`carry_out`, after
the preview of `erase.plan_person`) or reject it with a reason the person is told (`reject`). Staff see the requests
of the people of their office's organizations (admins and office-less staff: all). Never commits."""

from datetime import timedelta

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from matchmaker.database import utcnow
from matchmaker.enums import ErasureStatus
from matchmaker.extensions import db
from matchmaker.models import ErasureRequest, OutboxMessage, User
from matchmaker.services import ServiceError, audit, tokens
from matchmaker.services.mail import external_url, queue_email
from matchmaker.services.privacy.erase import Plan, erase_person, is_erased
from matchmaker.services.queries import office_organization_ids, office_scope

MAX_REASON = 1000
RESEND_AFTER = timedelta(minutes=5)


def open_request(user: User) -> ErasureRequest | None:
    return db.session.scalars(select(ErasureRequest).where(
        ErasureRequest.user_id == user.id, ErasureRequest.status == ErasureStatus.REQUESTED)).first()


def _may_ask(user: User) -> None:
    if is_erased(user):
        raise ServiceError(gettext("This person's data is already erased."))
    if open_request(user) is not None:
        raise ServiceError(gettext("Your request to erase your data is with our staff already."))


def ask(user: User) -> None:
    """E-mail `user` the link that confirms their request (once in a few minutes: a double click sends one)."""
    _may_ask(user)
    recent = select(OutboxMessage.id).where(OutboxMessage.to_address == user.email,
                                            OutboxMessage.kind == "erasure_confirm",
                                            OutboxMessage.created_dt > utcnow() - RESEND_AFTER)
    if db.session.scalars(recent).first() is not None:
        raise ServiceError(gettext("We sent you the link a moment ago: look for it in your mailbox."))
    link = external_url("profiles.confirm_erasure", token=tokens.make_erasure_token(user))
    queue_email(user, "erasure_confirm", _l("Confirm that your data should be erased"), "erasure_confirm",
                link=link)
    audit.record(user, "privacy.erase_asked", user)


def confirm(user: User) -> ErasureRequest:
    """The person followed the link: the request waits for staff."""
    _may_ask(user)
    item = ErasureRequest(user_id=user.id, status=ErasureStatus.REQUESTED, created_dt=utcnow())
    db.session.add(item)
    db.session.flush()
    audit.record(user, "privacy.erase_confirmed", user, request_id=item.id)
    return item


def visible(viewer: User) -> Select:
    """The requests `viewer` handles, newest first."""
    query = select(ErasureRequest).join(User, ErasureRequest.user_id == User.id)
    office_id = office_scope(viewer)
    if office_id is not None:
        query = query.where(User.organization_id.in_(office_organization_ids(office_id)))
    return query.order_by(ErasureRequest.id.desc())


def get_visible(viewer: User, request_id: int) -> ErasureRequest | None:
    return db.session.scalars(visible(viewer).where(ErasureRequest.id == request_id)).first()


def _open(item: ErasureRequest) -> None:
    """Refuse a request already handled (by a colleague a moment ago, or in another tab)."""
    db.session.refresh(item, with_for_update=True)
    if item.status != ErasureStatus.REQUESTED:
        raise ServiceError(gettext("This request was handled already."))


def carry_out(actor: User, item: ErasureRequest) -> Plan:
    """Erase the person of `item`."""
    _open(item)
    plan = erase_person(actor, item.user, why="request")
    item.status, item.decided_dt, item.decided_by_id = ErasureStatus.ERASED, utcnow(), actor.id
    return plan


def reject(actor: User, item: ErasureRequest, reason: str | None) -> None:
    """Keep the data (a legal duty to keep it, say) and tell the person why."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(gettext("Say why: the person is told."))
    if len(reason) > MAX_REASON:
        raise ServiceError(gettext("At most %(num)d characters.", num=MAX_REASON))
    _open(item)
    item.status, item.decided_dt, item.decided_by_id, item.reason = ErasureStatus.REJECTED, utcnow(), actor.id, reason
    queue_email(item.user, "erasure_rejected", _l("Your request to erase your data"), "erasure_rejected",
                reason=reason)
    audit.record(actor, "privacy.erase_rejected", item.user, request_id=item.id)
