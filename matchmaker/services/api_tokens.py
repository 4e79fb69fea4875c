"""Personal access tokens for the JSON API: create (the secret is returned once, only its SHA-256 digest is kept),
authenticate a presented token, list and revoke a person's tokens. Audited; never commits (the caller does)."""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.enums import TokenScope
from matchmaker.extensions import db
from matchmaker.models import ApiToken, User
from matchmaker.services import ServiceError
from matchmaker.services.audit import record

PREFIX = "mm_"
DEFAULT_DAYS = 90
MAX_DAYS = 366
MAX_NAME = 80
LAST_USED_STEP = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create(actor: User, name: str, scope: TokenScope | str = TokenScope.READ,
           days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token of `actor`'s own; returns the row and the plain token, which is shown once and never again."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise ServiceError(_("Give the token a name of 1 to %(num)d characters.", num=MAX_NAME))
    try:
        scope = TokenScope(scope)
    except ValueError:
        raise ServiceError(_("The scope is read or write.")) from None
    if not 1 <= days <= MAX_DAYS:
        raise ServiceError(_("A token lasts from 1 to %(num)d days.", num=MAX_DAYS))
    if not actor.is_active:
        raise ServiceError(_("This account is not active."))
    secret = secrets.token_urlsafe(32)
    plain = PREFIX + secret
    token = ApiToken(user=actor, name=name, scope=scope, prefix=plain[:11], token_hash=digest(plain),
                     expires_dt=utcnow() + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    record(actor, "api_token.create", token, name=name, scope=scope.value, days=days)
    return token, plain


def authenticate(presented: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token that `presented` is (not revoked, not expired, its owner active), its last use noted;
    None for anything else."""
    if not presented or not presented.startswith(PREFIX) or len(presented) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(presented)))
    now = now or utcnow()
    if token is None or not token.usable(now) or not token.user.is_active:
        return None
    if token.last_used_dt is None or now - token.last_used_dt >= LAST_USED_STEP:
        token.last_used_dt = now  # to the minute: a busy script does not write on every call
    return token


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones too, so the list tells what happened)."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_dt.desc(), ApiToken.id.desc())
    ))


def revoke(actor: User, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens (revoking it again changes nothing)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.id:
        raise ServiceError(_("There is no such token."))
    if token.revoked_dt is None:
        token.revoked_dt = utcnow()
        record(actor, "api_token.revoke", token, name=token.name)
    return token
