"""Accounts: registration, verification, password reset, staff accounts."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from matchmaker.database import utcnow
from matchmaker.enums import OrgKind, Role
from matchmaker.extensions import db
from matchmaker.models import Organization, User
from matchmaker.services import ServiceError, audit
from matchmaker.services.mail import external_url, queue_email
from matchmaker.services.tokens import make_reset_token, make_verify_token

MIN_PASSWORD_LENGTH = 10


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
) -> User:
    """A company or partner signs up: an organization, its first user, and a verification e-mail."""
    if email_taken(email):
        raise ServiceError(gettext("An account with this e-mail address already exists."))
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
        role=Role.COMPANY if kind == OrgKind.COMPANY else Role.PARTNER,
        locale=locale,
        timezone=timezone,
        organization=organization,
        verified=False,
    )
    user.set_password(password)
    db.session.add_all([organization, user])
    db.session.flush()
    audit.record(user, "register", user, kind=kind.value)
    send_verification(user)
    return user


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
    audit.record(user, "reset_password", user)


def record_login(user: User) -> None:
    user.last_login_dt = utcnow()
    audit.record(user, "login", user)


def create_staff(actor: User | None, *, email: str, name: str, password: str, role: Role,
                 office_id: int | None, locale: str = "en", timezone: str = "UTC") -> User:
    """Create a staff or admin account (by an admin, or by the CLI when `actor` is None)."""
    if role not in (Role.STAFF, Role.ADMIN):
        raise ServiceError(gettext("Only staff and admin accounts can be created here."))
    if email_taken(email):
        raise ServiceError(gettext("An account with this e-mail address already exists."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(
            gettext("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
        )
    user = User(
        email=normalize_email(email), name=name.strip(), role=role, office_id=office_id,
        locale=locale, timezone=timezone, verified=True,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "create_account", user, role=role.value)
    return user


def update_settings(user: User, *, name: str, locale: str, timezone: str, calendar: str | None = None) -> None:
    """`calendar`: None or "gregorian", or "buddhist" for Thai solar years in dates."""
    user.name = name.strip()
    user.locale = locale
    user.timezone = timezone
    user.calendar = calendar if calendar in ("gregorian", "buddhist") else None
    audit.record(user, "update_settings", user, locale=locale, timezone=timezone, calendar=user.calendar)


def set_active(actor: User, user: User, active: bool) -> None:
    if user.id == actor.id and not active:
        raise ServiceError(gettext("You cannot deactivate your own account."))
    user.active = active
    audit.record(actor, "activate" if active else "deactivate", user)
