"""A member's shortlist: organizations of the other side it marked in a day's directory (a star), read by the
directory and raised in its "Recommended for you". An organization reads and changes only its own shortlist: the
acting user's organization is the owner of every entry, never an id from the request. It never commits."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from matchmaker.extensions import db
from matchmaker.models import Event, Organization, ShortlistEntry, User
from matchmaker.services import ServiceError, audit
from matchmaker.services.locking import refused_as
from matchmaker.services.queries import counterparts_of


def shortlisted_ids(org_id: int) -> frozenset[int]:
    """The ids of the organizations `org_id` shortlisted."""
    return frozenset(db.session.scalars(
        select(ShortlistEntry.target_id).where(ShortlistEntry.organization_id == org_id)))


def set_shortlisted(actor: User, event: Event, target: Organization, on: bool) -> bool:
    """Put `target` on the actor's organization's shortlist (`on`) or take it off. Setting the state asked for,
    rather than toggling, makes a double click act once. Only an approved organization of the other side of
    `event` can be added. Returns the state now."""
    mine = actor.organization
    if mine is None:
        raise ServiceError(gettext("Only participants have a shortlist."))
    if on and target.id not in {org.id for org in counterparts_of(event.id, mine)}:
        raise ServiceError(gettext("You can only shortlist organizations of the other side of this day."))
    entry = db.session.scalar(select(ShortlistEntry).where(
        ShortlistEntry.organization_id == mine.id, ShortlistEntry.target_id == target.id))
    if on and entry is None:
        # The same star clicked twice at once: the pair's unique key lets the first in, the second is told.
        with refused_as(_l("%(name)s is already on your shortlist.", name=target.display_name)):
            db.session.add(ShortlistEntry(organization_id=mine.id, target_id=target.id, created_by_id=actor.id))
        audit.record(actor, "shortlist_add", target, event_id=event.id)
    elif not on and entry is not None:
        db.session.execute(delete(ShortlistEntry).where(ShortlistEntry.id == entry.id))
        audit.record(actor, "shortlist_remove", target, event_id=event.id)
    return on
