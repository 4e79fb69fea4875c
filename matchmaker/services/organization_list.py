"""The organizations staff see: their office's (admins and office-less staff: all), filtered by text, kind
and country, for the paginated list and its Excel export. Which organizations belong to an office is
`queries.office_organization_ids`."""

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from matchmaker.enums import OrgKind
from matchmaker.extensions import db
from matchmaker.models import Organization, User
from matchmaker.services.list_exports import EXPORT_ROWS, local, workbook
from matchmaker.services.queries import contains, office_organization_ids, office_scope

MAX_TERM = 200


@dataclass(frozen=True)
class Filters:
    q: str = ""
    kind: OrgKind | None = None
    country: str | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        """From a query string; unknown values are ignored (a link kept from an older list still opens)."""
        kind = args.get("kind")
        country = (args.get("country") or "").strip().upper()
        return cls(
            q=(args.get("q") or "").strip()[:MAX_TERM],
            kind=OrgKind(kind) if kind in {k.value for k in OrgKind} else None,
            country=country if len(country) == 2 and country.isalpha() and country.isascii() else None,
        )

    def as_args(self) -> dict:
        pairs = (("q", self.q), ("kind", self.kind and self.kind.value), ("country", self.country))
        return {key: value for key, value in pairs if value}


def visible(viewer: User) -> Select:
    query = select(Organization)
    office_id = office_scope(viewer)
    if office_id is not None:
        query = query.where(Organization.id.in_(office_organization_ids(office_id)))
    return query


def get_visible(viewer: User, org_id: int) -> Organization | None:
    return db.session.scalar(visible(viewer).where(Organization.id == org_id))


def listing(viewer: User, filters: Filters) -> Select:
    query = visible(viewer)
    if filters.q:
        members = select(User.organization_id).where(
            User.organization_id.is_not(None), or_(contains(User.email, filters.q), contains(User.name, filters.q))
        )
        query = query.where(or_(
            contains(Organization.name, filters.q), contains(Organization.name_latin, filters.q),
            contains(Organization.external_id, filters.q), Organization.id.in_(members),
        ))
    if filters.kind is not None:
        query = query.where(Organization.kind == filters.kind)
    if filters.country:
        query = query.where(Organization.country == filters.country)
    return query.order_by(Organization.name, Organization.id)


def countries(viewer: User) -> list[str]:
    """The countries among the viewer's organizations, for the filter's choices."""
    subquery = visible(viewer).subquery()
    return list(db.session.scalars(
        select(subquery.c.country).where(subquery.c.country.is_not(None)).distinct().order_by(subquery.c.country)
    ))


def export(viewer: User, filters: Filters, zone: str, kind_labels: dict) -> bytes:
    """The list as the page filters it (every page of it), members' e-mails included."""
    organizations = db.session.scalars(
        listing(viewer, filters).options(selectinload(Organization.users)).limit(EXPORT_ROWS)
    )
    header = [gettext("Name"), gettext("Latin name"), gettext("Kind"), gettext("Country"), gettext("Sectors"),
              gettext("Website"), gettext("External id"), gettext("Members"),
              gettext("Created (%(zone)s)", zone=zone)]
    rows = (
        [org.name, org.name_latin, str(kind_labels[org.kind]), org.country, ", ".join(org.sectors or {}),
         org.website, org.external_id, ", ".join(u.email for u in sorted(org.users, key=lambda u: u.id)),
         local(org.created_dt, zone)]
        for org in organizations
    )
    return workbook(gettext("Organizations"), header, rows)
