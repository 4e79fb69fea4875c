"""Accounts: registration, verification, passwords, sessions, staff accounts.

Answers never tell whether an address has an account: registering a known address and asking a reset for an
unknown one look the same from outside (the owner is told by e-mail instead).
"""

import secrets

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from matchmaker.database import utcnow
from matchmaker.domain.passwords import MIN_PASSWORD_LENGTH, long_enough
from matchmaker.enums import ConsentKind, OrgKind, Role
from matchmaker.extensions import db
from matchmaker.models import Event, Organization, User
from matchmaker.services import ServiceError, audit
from matchmaker.services import consents as consent_answers
from matchmaker.services.mail import external_url, queue_email
from matchmaker.services.tokens import make_invite_token, make_reset_token, make_verify_token

# Begins a password hash that no password matches (no "$", so no hash method reads it): an account made for
# someone, until their invitation sets a real one.
UNUSABLE_PASSWORD_PREFIX = "!invited-"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def email_taken(email: str) -> bool:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.email == normalize_email(email))
    ) > 0


def register_member(
    *,
    email: str,
    password: str,
    name: str,
    kind: OrgKind,
    organization_name: str,
    organization_name_latin: str | None,
    country: str | None,
    locale: str,
    timezone: str,
    name_latin: str | None = None,
    consents: list[ConsentKind] = (),
    origin: tuple[str | None, str | None] = (None, None),
) -> User | None:
    """A company or partner signs up: an organization, its first user, the consents ticked (`consents`, recorded
    with `origin`: the network address and browser) and a verification e-mail.

    Returns None when the address already has an account: its owner gets an e-mail saying someone tried to
    register with it, and the caller answers exactly as for a new account. The password is hashed either way, so
    both answers take about as long. The same registration sent twice at once (a double click) ends the same way
    for the one that comes second: the database's unique address refuses it, and it is rolled back.
    """
    existing = find_user_by_email(email)
    if existing is not None:
        generate_password_hash(password, method=_hash_method())  # the same work as a new account's hash
        if existing.active:
            _tell_owner_of_registration_attempt(existing)
        return None
    organization = Organization(
        kind=kind,
        name=organization_name.strip(),
        name_latin=(organization_name_latin or "").strip() or None,
        country=country or None,
        timezone=timezone,
        sectors={},
        stages=[],
        markets=[],
        languages=[locale],
        existing_investors=[],
        portfolio=[],
    )
    user = User(
        email=normalize_email(email),
        name=name.strip(),
        name_latin=(name_latin or "").strip() or None,
        role=Role.COMPANY if kind == OrgKind.COMPANY else Role.PARTNER,
        locale=locale,
        timezone=timezone,
        organization=organization,
        verified=False,
    )
    user.set_password(password)
    db.session.add_all([organization, user])
    try:
        db.session.flush()
    except IntegrityError:
        # The same address was registered a moment ago by a request that committed first. The failed flush has
        # ended the transaction: roll it back before anything else reads the database. Its owner already has
        # the confirmation mail of that first registration, so nothing more is sent.
        db.session.rollback()
        return None
    audit.record(user, "register", user, kind=kind.value)
    consent_answers.give(user, consents, ip=origin[0], user_agent=origin[1])  # each kind ticked, from where
    send_verification(user)
    return user


def _hash_method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")


def _tell_owner_of_registration_attempt(user: User) -> None:
    queue_email(
        user, "registration_attempt", _l("Someone tried to register with your e-mail address"),
        "registration_attempt", login_link=external_url("auth.login"), reset_link=external_url("auth.request_reset"),
    )
    audit.record(None, "registration_attempt", user)


def send_verification(user: User) -> None:
    link = external_url("auth.verify_email", token=make_verify_token(user))
    queue_email(user, "verify_email", _l("Confirm your e-mail address"), "verify_email", link=link)


def verify_email(user: User) -> None:
    if not user.verified:
        user.verified = True
        audit.record(user, "verify_email", user)


def request_password_reset(email: str) -> None:
    """Queue a reset link when the address is known; say nothing either way (no account probing)."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    link = external_url("auth.reset_password", token=make_reset_token(user))
    queue_email(user, "reset_password", _l("Reset your password"), "reset_password", link=link)
    audit.record(user, "request_password_reset", user)


def reset_password(user: User, password: str) -> None:
    user.set_password(password)
    # Following the link proves the user reads mail at this address.
    user.verified = True
    end_sessions(user)  # whoever knew the old password is signed out everywhere
    audit.record(user, "reset_password", user)


def change_password(user: User, current: str, new: str) -> None:
    """The signed-in user changes their password: every session and remember-me cookie of the account ends (the
    caller signs the current browser in again)."""
    if not user.check_password(current):
        raise ServiceError(gettext("This is not your current password."))
    user.set_password(new)
    end_sessions(user)
    audit.record(user, "change_password", user)


def sign_out(user: User) -> None:
    """Signing out ends every session of the account, on every device: a session cookie is signed, not stored, so a
    copy of it would otherwise keep working after this one is dropped."""
    end_sessions(user)
    audit.record(user, "logout", user)


def end_sessions(user: User) -> None:
    """Raise the session version (part of each session's identity, see User.get_id): every session and remember-me
    cookie issued before stops working. Raised in SQL, so two at the same time both count."""
    user.session_version = User.session_version + 1
    db.session.flush()
    db.session.refresh(user, ["session_version"])


def record_login(user: User) -> None:
    user.last_login_dt = utcnow()
    audit.record(user, "login", user)


def create_staff(actor: User | None, *, email: str, name: str, role: Role, office_id: int | None,
                 locale: str = "en", timezone: str = "UTC", password: str | None = None) -> User:
    """Create a staff or admin account (by an admin, or by the CLI when `actor` is None).

    Without `password` (an admin's form) the account has no usable password and its owner gets an invitation to
    choose one; the CLI's first admin gives one. A taken address is refused as a message, also when a request
    that committed a moment ago took it."""
    if role not in (Role.STAFF, Role.ADMIN):
        raise ServiceError(gettext("Only staff and admin accounts can be created here."))
    if email_taken(email):
        raise ServiceError(_address_taken())
    if password is not None and not long_enough(password):
        raise ServiceError(
            gettext("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
        )
    user = User(
        email=normalize_email(email), name=name.strip(), role=role, office_id=office_id,
        locale=locale, timezone=timezone, verified=password is not None,
    )
    if password is not None:
        user.set_password(password)
    else:
        user.password_hash = UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(24)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same address, saved by another request since the check above
        raise ServiceError(_address_taken()) from error
    audit.record(actor, "create_account", user, role=role.value)
    if password is None:
        send_invitation(user)
    return user


def _address_taken() -> str:
    return gettext("An account with this e-mail address already exists.")


def send_invitation(user: User, event: Event | None = None) -> None:
    """The e-mail that lets the owner of an account made for them choose their password (a link valid for days,
    working once)."""
    link = external_url("auth.reset_password", token=make_invite_token(user))
    subject = (_l("You are invited to %(event)s", event=event.title) if event
               else _l("Your Matchmaker account is ready"))
    queue_email(user, "account_invitation", subject, "account_invitation", link=link, event=event,
                organization=user.organization)


def update_settings(user: User, *, name: str, locale: str, timezone: str, calendar: str | None = None,
                    name_latin: str | None = None) -> None:
    """`calendar`: None or "gregorian", or "buddhist" for Thai solar years in dates. `name_latin` empty: none
    stored (searches then use the romanization of a Korean name)."""
    user.name = name.strip()
    user.name_latin = (name_latin or "").strip() or None
    user.locale = locale
    user.timezone = timezone
    user.calendar = calendar if calendar in ("gregorian", "buddhist") else None
    audit.record(user, "update_settings", user, locale=locale, timezone=timezone, calendar=user.calendar)


def set_latin_name(actor: User, user: User, name_latin: str | None) -> None:
    """Staff correct how a contact person's name is written in Latin letters (empty: none stored, searches use
    the romanization of a Korean name)."""
    user.name_latin = (name_latin or "").strip() or None
    audit.record(actor, "update_latin_name", user, name_latin=user.name_latin)


def set_locale(user: User, locale: str) -> None:
    """The language picked in the page's menu becomes the signed-in user's (no audit entry: a preference)."""
    user.locale = locale


def set_active(actor: User, user: User, active: bool) -> None:
    if user.id == actor.id and not active:
        raise ServiceError(gettext("You cannot deactivate your own account."))
    user.active = active
    if not active:
        end_sessions(user)  # so that reactivating the account does not bring its old sessions back
    audit.record(actor, "activate" if active else "deactivate", user)
