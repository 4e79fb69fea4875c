"""The agency's offices, as an admin creates and edits them. A verb of the service layer: it writes the audit log
in the caller's transaction and leaves committing to the caller (matchmaker.web.perform)."""

from matchmaker.extensions import db
from matchmaker.models import Office, User
from matchmaker.services import audit


def save_office(actor: User, office: Office | None, *, name: str, city: str, timezone: str, locale: str,
                email: str | None) -> Office:
    """Create an office (`office` None) or update one; an empty e-mail address is stored as none."""
    created = office is None
    office = office or Office()
    office.name = name
    office.city = city
    office.timezone = timezone
    office.locale = locale
    office.email = email or None
    db.session.add(office)
    db.session.flush()
    audit.record(actor, "create_office" if created else "update_office", office)
    return office
