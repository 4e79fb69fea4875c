"""Extensions, created unbound and attached in create_app()."""

from functools import cache

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from matchmaker.database import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@login_manager.user_loader
def _load_user(identity: str):
    """The user of a session or remember-me cookie whose identity ("<id>:<session version>", see User.get_id) is
    still current: a raised version (password changed or reset, signed out, deactivated) ends the old ones."""
    user_id, _, version = identity.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # also an identity from before versions: that session ends once
    user = db.session.scalars(_user_query(), {"id": int(user_id)}).first()
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


@cache
def _user_query():
    """The signed-in user, with the organization (members) or the office (staff) in the same query, as pages read
    them on nearly every view. Built once: it runs on every request, and building it (or `Session.get` with these
    options) costs about as much CPU as running it."""
    from matchmaker.models import User

    return (select(User).where(User.id == bindparam("id"))
            .options(joinedload(User.organization), joinedload(User.office)))
