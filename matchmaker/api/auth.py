"""Bearer-token authentication and the per-token rate limit of /api/v1.

Each request's token is read from `Authorization: Bearer mm_…` (`services.api_tokens.authenticate`); its owner
becomes `current_user` for that request only, so the same access helpers as the pages decide what it sees, and
messages come in the owner's language. A session cookie never authenticates here (the blueprint is exempt from CSRF).
"""

import hashlib

from flask import abort, current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint

from matchmaker.enums import TokenScope
from matchmaker.extensions import limiter, login_manager
from matchmaker.services import api_tokens
from matchmaker.web import perform

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def presented_token() -> str | None:
    scheme, _sep, value = (request.headers.get("Authorization") or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def rate_key() -> str:
    """One bucket per presented token (its digest, never the token), else per network address."""
    token = presented_token()
    if token:
        return "api-token:" + hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return "api-network:" + (get_remote_address() or "")


def _rate_limited_message() -> str:
    return _("Too many requests with this token: wait a minute, then try again.")


def _authenticate():
    """Before every API view: the token's owner is the current user, or the answer is 401 (403 for a read-only
    token asked to write)."""
    g._login_user = login_manager.anonymous_user()  # never the session's user, even on the 401 below
    token = perform(lambda: api_tokens.authenticate(presented_token() or ""), quiet=True).value  # its last use kept
    if token is None:
        abort(401, _("Give a valid personal access token: Authorization: Bearer mm_… (Settings → API tokens)."))
    g._login_user = token.user
    g.api_token = token
    if request.method in WRITE_METHODS and token.scope != TokenScope.WRITE:
        abort(403, _("This token may only read: create a token with the write scope."))
    return None


def protect(blueprint: Blueprint) -> None:
    blueprint.before_request(_authenticate)
    limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_key,
                  error_message=_rate_limited_message)(blueprint)


ERRORS = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 422: "UNPROCESSABLE_ENTITY",
          429: "TOO_MANY_REQUESTS"}


def documented_errors(blueprint: Blueprint):
    """A decorator that documents the problem details every API view may answer with."""

    def document(view):
        for code, name in ERRORS.items():
            view = blueprint.alt_response(code, response=name)(view)
        return view

    return document
