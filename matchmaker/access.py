"""Who may see or change what. Views call these before touching an object."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from matchmaker.enums import Role


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


def get_or_404(model, ident):
    from matchmaker.extensions import db

    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj
