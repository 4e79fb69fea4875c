"""Who may see or change what. Views call these before touching an object."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from werkzeug.routing import IntegerConverter

from matchmaker.enums import Role
from matchmaker.extensions import db

# The largest id the database's INTEGER keys hold. Asking PostgreSQL about a larger number fails ("integer out
# of range"), and SQLite cannot bind one past 2**63: a guessed or typed id above it is simply not found.
MAX_ID = 2**31 - 1


def roles_required(*roles: Role):
    """Signed in with one of `roles`; anonymous users go to the login page, others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


member_required = roles_required(Role.COMPANY, Role.PARTNER)
staff_required = roles_required(Role.STAFF, Role.ADMIN)
admin_required = roles_required(Role.ADMIN)


def require_involved(obj) -> None:
    """Staff see everything; a company or partner only what involves its own organization."""
    if current_user.is_staff:
        return
    if not current_user.is_member or not obj.involves(current_user.organization_id):
        abort(404)  # 404, not 403: do not confirm that someone else's object exists


def db_id(value) -> int:
    """A row id from a query string or a form (`request.args.get("id", type=db_id)`); ValueError when it is
    not a whole number from 1 to MAX_ID, which `type=` turns into the default (None)."""
    ident = int(value)
    if not 1 <= ident <= MAX_ID:
        raise ValueError(value)
    return ident


def get_or_none(model, ident, query=None):
    """The row with this id, or None when there is none (or the id could not be one). `query`: a select of
    `model` by a bind parameter named `id`, built once with what the caller reads next (loader options)."""
    if isinstance(ident, bool) or not isinstance(ident, int) or not 1 <= ident <= MAX_ID:
        return None
    if query is not None:
        return db.session.scalars(query, {"id": ident}).first()
    return db.session.get(model, ident)


def get_or_404(model, ident, query=None):
    obj = get_or_none(model, ident, query)
    if obj is None:
        abort(404)
    return obj


class IdConverter(IntegerConverter):
    """`<int:...>` in routes: a number past MAX_ID matches no route (404) instead of reaching the database."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
