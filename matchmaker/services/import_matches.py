"""The rows of an import against the database: which organization each row is (by external ID, else by its
member's e-mail), and so whether importing it creates, updates or leaves it; the problems only the database
shows. Worked out again for each preview and at the confirmation, so that it is always as of now."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.domain import profile_updates
from matchmaker.enums import ParticipationStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Organization, Participation, User

# Problems found by looking at the database; the file's own problems are kept as the reader found them.
DATABASE_CODES = {"email_taken", "id_taken", "staff_email", "kind_mismatch", "id_email_conflict", "not_a_member",
                  "id_differs", "same_organization", "ticket_range_after"}
MEMBER_ROLES = (Role.COMPANY, Role.PARTNER)
NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"


def current_rows(rows: list[dict], event_id: int | None) -> list[dict]:
    """Each row with its problems as of now, and, when it has none, what importing it does: `status` (new,
    update or unchanged), the matched `organization_id`, the profile `changes`, whether it `joins` the day,
    and `notes` (things left as they are on purpose)."""
    ids = {row["values"].get("id") for row in rows} - {None}
    emails = {row["values"].get("email") for row in rows} - {None}
    organizations = {org.external_id: org for org in existing(Organization, Organization.external_id, ids)}
    users = {user.email: user for user in existing(User, User.email, emails)}
    matched = {}
    for row in rows:
        user = users.get(row["values"].get("email"))
        organization = organizations.get(row["values"].get("id")) or (user.organization if user else None)
        if organization is not None:
            matched[organization.id] = organization
    statuses = _participations(event_id, matched)
    first_line: dict[int, int] = {}
    fresh = []
    for row in rows:
        values = row["values"]
        problems = [p for p in row["problems"] if p["code"] not in DATABASE_CODES]
        user = users.get(values.get("email"))
        organization = _match(values, organizations.get(values.get("id")), user, problems)
        if organization is not None and not any(p["code"] == "duplicate" for p in problems):
            if organization.id in first_line:
                problems.append({"field": "email", "code": "same_organization", "value": first_line[organization.id]})
            first_line.setdefault(organization.id, row["line"])
        fresh.append(_outcome(row, problems, organization, user, statuses, event_id))
    return fresh


def existing(model, column, values: set) -> list:
    """The stored rows of `model` whose `column` is one of `values`, read 500 values at a time (users with their
    organization)."""
    values = sorted(values)
    found = []
    for start in range(0, len(values), 500):
        query = select(model).where(column.in_(values[start:start + 500]))
        if model is User:
            query = query.options(selectinload(User.organization))
        found += db.session.scalars(query)
    return found


def _participations(event_id: int | None, organizations: dict) -> dict[int, ParticipationStatus]:
    if event_id is None or not organizations:
        return {}
    ids = sorted(organizations)
    found = {}
    for start in range(0, len(ids), 500):
        found.update(db.session.execute(
            select(Participation.organization_id, Participation.status)
            .where(Participation.event_id == event_id, Participation.organization_id.in_(ids[start:start + 500]))
        ).all())
    return found


def _match(values: dict, by_id: Organization | None, user: User | None, problems: list) -> Organization | None:
    """The organization the row is, or None for a new one; adds a problem when the row cannot be matched."""
    def problem(field, code, value=None):
        problems.append({"field": field, "code": code, "value": value})

    if user is not None and user.role not in MEMBER_ROLES:
        problem("email", "staff_email")  # never matched, and never turned into a member
        return None
    by_email = user.organization if user is not None else None
    if user is not None and by_email is None:
        problem("email", "email_taken")
        return None
    if by_id is not None and by_email is not None and by_id.id != by_email.id:
        problem("id", "id_email_conflict")
        return None
    if by_id is not None and user is None:
        problem("email", "not_a_member")  # e-mails of accounts change in the member's profile, not by a file
        return None
    organization = by_id or by_email
    if organization is None:
        return None
    if values.get("kind") in ("company", "investor", "buyer") and organization.kind.value != values["kind"]:
        problem("kind", "kind_mismatch", organization.kind.value)
        return None
    if by_id is None and values.get("id") and organization.external_id:
        problem("id", "id_differs", organization.external_id)
        return None
    return organization


def current_values(organization: Organization) -> dict:
    """The organization's profile keyed by column, as a row's values are."""
    return profile_updates.current_values(organization)


def _outcome(row: dict, problems: list, organization, user, statuses: dict, event_id: int | None) -> dict:
    outcome = {**row, "problems": problems, "status": None, "organization_id": None, "changes": [],
               "joins": False, "notes": []}
    if organization is None:
        if not problems:
            outcome["status"] = NEW
        return outcome
    current = current_values(organization)
    changes = profile_updates.changes(current, row["values"])
    problems += [{**p.as_dict(), "code": "ticket_range_after"}
                 for p in profile_updates.merged_problems(current, changes)]
    participation = statuses.get(organization.id)
    notes = []
    if participation is not None and participation != ParticipationStatus.APPROVED:
        notes.append({"code": f"participation_{participation.value}"})
    values = row["values"]
    if (values.get("contact_name") and values["contact_name"] != user.name) or (
            values.get("locale") and values["locale"] != user.locale):
        notes.append({"code": "account_kept"})
    joins = event_id is not None and participation is None
    outcome.update(organization_id=organization.id, changes=changes, notes=notes)
    if problems:
        return outcome
    outcome["joins"] = joins
    outcome["status"] = UPDATE if changes or joins else UNCHANGED
    return outcome
