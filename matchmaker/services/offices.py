"""The agency's offices, as an admin creates and edits them. A verb of the service layer: it writes the audit log
in the caller's transaction and leaves committing to the caller (matchmaker.web.perform)."""

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from matchmaker.extensions import db
from matchmaker.models import Office, User
from matchmaker.services import ServiceError, audit


def save_office(actor: User, office: Office | None, *, name: str, city: str, timezone: str, locale: str,
                email: str | None) -> Office:
    """Create an office (`office` None) or update one; an empty e-mail address is stored as none. A name another
    office has (in any case) is refused as a message."""
    created = office is None
    name = name.strip()
    same_name = select(Office.id).where(func.lower(Office.name) == name.lower())
    if office is not None:
        same_name = same_name.where(Office.id != office.id)
    if db.session.scalar(same_name.limit(1)) is not None:
        raise ServiceError(_name_taken())
    office = office or Office()
    office.name = name
    office.city = city
    office.timezone = timezone
    office.locale = locale
    office.email = email or None
    db.session.add(office)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same name, saved by another request since the check above
        raise ServiceError(_name_taken()) from error
    audit.record(actor, "create_office" if created else "update_office", office)
    return office


def _name_taken() -> str:
    return gettext("Another office already has this name.")
