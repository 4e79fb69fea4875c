"""An account (`User`): a member of an organization or a staff member of an office, and how a session finds it again
(`load_user`, the login manager's user loader)."""

from datetime import datetime
from functools import cache

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.domain.romanize import suggest_latin_name
from matchmaker.enums import Role
from matchmaker.extensions import db, login_manager


class User(UserMixin, db.Model):
    """A person who signs in. Companies and partners belong to an organization; staff to an office."""

    __tablename__ = "users"
    __table_args__ = (
        # E-mail addresses are stored lower-cased, which makes the unique constraint case-insensitive.
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
        sa.CheckConstraint(
            "role NOT IN ('company', 'partner') OR organization_id IS NOT NULL", name="member_has_org"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    name: Mapped[str] = mapped_column(sa.String(120))
    name_latin: Mapped[str | None] = mapped_column(sa.String(200))  # the name in Latin letters, for search
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    locale: Mapped[str | None] = mapped_column(sa.String(16))
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    # Calendar for dates: None or "gregorian"; "buddhist" shows Thai solar years (Gregorian + 543).
    calendar: Mapped[str | None] = mapped_column(sa.String(16))
    organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offices.id", ondelete="SET NULL"))
    verified: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Secret of the personal calendar feed (/calendar/<token>.ics); replaced to revoke the old link.
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Part of the session's identity: raised on password change or reset, deactivation and "sign out
    # everywhere", which ends every session (and remember-me cookie) issued before.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    organization: Mapped["Organization | None"] = relationship(back_populates="users")  # noqa: F821
    office: Mapped["Office | None"] = relationship()  # noqa: F821

    def get_id(self) -> str:
        """The session's identity, kept by Flask-Login in the session and the remember-me cookie: the id and the
        session version, so raising the version ends every session and cookie issued before."""
        return f"{self.id}:{self.session_version or 0}"

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def latin_name(self) -> str | None:
        """The name in Latin letters: as stored, else the romanization suggested for a Korean name (else None)."""
        return self.name_latin or suggest_latin_name(self.name)

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_member(self) -> bool:
        """A company or partner account (acts for an organization)."""
        return self.role in (Role.COMPANY, Role.PARTNER)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """The user of a session or remember-me cookie whose identity ("<id>:<session version>", see User.get_id) is
    still current: a raised version (password changed or reset, signed out, deactivated) ends the old ones."""
    user_id, _, version = identity.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # also an identity from before versions: that session ends once
    user = db.session.scalars(_signed_in_user(), {"id": int(user_id)}).first()
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


@cache
def _signed_in_user() -> sa.Select:
    """The signed-in user, with the organization (members) or the office (staff) in the same query, as pages read
    them on nearly every view. Built once: it runs on every request, and building it (or `Session.get` with these
    options) costs about as much CPU as running it."""
    return (sa.select(User).where(User.id == sa.bindparam("id"))
            .options(joinedload(User.organization), joinedload(User.office)))
