"""Signed, expiring tokens for links sent by e-mail."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from matchmaker.extensions import db
from matchmaker.models import User


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"matchmaker.{purpose}")


def _fingerprint(user: User) -> str:
    # Ties a reset token to the current password hash, so the link works once.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_verify_token(user: User) -> str:
    return _serializer("verify").dumps({"uid": user.id, "email": user.email})


def make_reset_token(user: User) -> str:
    return _serializer("reset").dumps({"uid": user.id, "fp": _fingerprint(user)})


def make_invite_token(user: User) -> str:
    """For an account staff created (imports): sets the first password, like a reset link but valid for days."""
    return _serializer("invite").dumps({"uid": user.id, "fp": _fingerprint(user)})


def make_erasure_token(user: User) -> str:
    """For the link that confirms a request to erase one's data (Settings → e-mail → the link)."""
    return _serializer("erase").dumps({"uid": user.id, "email": user.email})


def read_erasure_token(token: str) -> User | None:
    """The person of an erasure link still valid, whose address is unchanged (an erased one's has changed)."""
    data = _load("erase", token, current_app.config["ERASURE_TOKEN_MAX_AGE"])
    user = db.session.get(User, data.get("uid")) if data else None
    return user if user is not None and user.email == data.get("email") else None


def read_verify_token(token: str) -> User | None:
    data = _load("verify", token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, data.get("uid")) if data else None
    return user if user is not None and user.email == data.get("email") else None


def read_reset_token(token: str) -> User | None:
    return _password_user("reset", token, current_app.config["RESET_TOKEN_MAX_AGE"])


def read_password_token(token: str) -> User | None:
    """The user of a password-reset or invitation link that is still valid and unused."""
    return read_reset_token(token) or _password_user("invite", token, current_app.config["INVITE_TOKEN_MAX_AGE"])


def _password_user(purpose: str, token: str, max_age: int) -> User | None:
    """The user a password link names, while the password it was made for is unchanged (so it works once)."""
    data = _load(purpose, token, max_age)
    user = db.session.get(User, data.get("uid")) if data else None
    return user if user is not None and _fingerprint(user) == data.get("fp") else None


def _load(purpose: str, token: str, max_age: int) -> dict | None:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return data if isinstance(data, dict) else None
