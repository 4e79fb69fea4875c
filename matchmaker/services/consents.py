"""Consents: record what a person agreed to (each kind at its text's current version, when, from where), find what a
member still has to answer, and the one query rule that hides an organization from the other side until one of its
people has agreed to the provision of its profile. It never commits.

The rule for partners: an organization is shown to the other side of a day (directory, recommendations, suggestions
by e-mail, meeting requests) when at least one of its accounts has a provision consent that is not withdrawn, of any
version (a new version is asked at the next visit; the profile stays shown meanwhile). Until then it is hidden, and
nobody can ask it for a meeting; staff see it as usual and list who has not agreed (`without_provision`). An
organization with no account at all (kept by staff by hand) names no person whose consent could be asked, and is
shown as before.
"""

from flask_babel import gettext
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased

from matchmaker.database import utcnow
from matchmaker.domain import consent_texts
from matchmaker.domain.consent_texts import Destination
from matchmaker.enums import ConsentKind, ParticipationStatus
from matchmaker.extensions import db
from matchmaker.models import Consent, Event, Office, Organization, Participation, Program, User
from matchmaker.services import ServiceError, audit

MAX_USER_AGENT = 300


def destinations() -> list[Destination]:
    """The countries abroad where the offices and their days are, with the offices there."""
    offices = db.session.execute(select(Office.name, Office.timezone)).all()
    days = db.session.execute(
        select(Office.name, Event.timezone).join(Program, Program.office_id == Office.id)
        .join(Event, Event.program_id == Program.id).distinct()
    ).all()
    return consent_texts.destinations([*offices, *days])


def asked_kinds() -> list[ConsentKind]:
    return [ConsentKind(kind) for kind in consent_texts.asked(abroad=bool(destinations()))]


def required_kinds() -> list[ConsentKind]:
    return [ConsentKind(kind) for kind in consent_texts.required(abroad=bool(destinations()))]


def active(user: User) -> list[Consent]:
    """The person's consents in force (not withdrawn), newest first."""
    return list(db.session.scalars(
        select(Consent).where(Consent.user_id == user.id, Consent.withdrawn_dt.is_(None))
        .order_by(Consent.given_dt.desc(), Consent.id.desc())
    ))


def current_kinds(user: User) -> set[ConsentKind]:
    """The kinds the person agreed to at their text's current version."""
    return {c.kind for c in active(user) if c.version == consent_texts.current_version(c.kind)}


def missing(user: User) -> list[ConsentKind]:
    """The required consents a member has not given at the current version (nothing for staff: see the texts'
    module for why)."""
    if not user.is_member:
        return []
    have = current_kinds(user)
    return [kind for kind in required_kinds() if kind not in have]


def give(user: User, ticked, *, ip: str | None, user_agent: str | None) -> list[Consent]:
    """Record the person's answers: a consent for each ticked kind not already in force at its current version; the
    optional ones left unticked are withdrawn. A required one missing is refused."""
    ticked = {ConsentKind(kind) for kind in ticked}
    asked = asked_kinds()
    absent = [kind for kind in consent_texts.required(abroad=ConsentKind.TRANSFER_ABROAD in asked)
              if kind not in ticked]
    if absent and user.is_member:
        raise ServiceError(gettext("Tick each required consent to go on."))
    now, in_force = utcnow(), active(user)
    have = {c.kind for c in in_force if c.version == consent_texts.current_version(c.kind)}
    given = [
        Consent(user_id=user.id, kind=kind, version=consent_texts.current_version(kind), given_dt=now,
                ip=(ip or None) and ip[:64], user_agent=(user_agent or "")[:MAX_USER_AGENT] or None)
        for kind in asked if kind in ticked and kind not in have
    ]
    db.session.add_all(given)
    withdrawn = [c for c in in_force if c.kind not in ticked and not consent_texts.TEXTS[c.kind].required]
    for consent in withdrawn:
        consent.withdrawn_dt = now
    if given or withdrawn:
        audit.record(user, "give_consent", user, given={c.kind.value: c.version for c in given},
                     withdrawn=sorted(c.kind.value for c in withdrawn), ip=ip)
    return given


def provision_given(organization_id):
    """The shared query rule (see the module's docstring): true when one of the organization's accounts has a
    provision consent in force, or when it has no account at all. `organization_id` is a column or a value."""
    people = aliased(User)
    return or_(
        ~exists().where(people.organization_id == organization_id),
        exists().where(
            Consent.user_id == User.id, User.organization_id == organization_id,
            Consent.kind == ConsentKind.PROVISION, Consent.withdrawn_dt.is_(None),
        ),
    )


def shown_to_partners(organization: Organization) -> bool:
    return bool(db.session.scalar(select(provision_given(organization.id))))


def without_provision(event: Event) -> list[tuple[Organization, Participation, list[User]]]:
    """The day's participants (not rejected or withdrawn) hidden from the other side, by name, with their accounts."""
    rows = db.session.execute(
        select(Organization, Participation).join(Participation)
        .where(Participation.event_id == event.id,
               Participation.status.in_([ParticipationStatus.APPLIED, ParticipationStatus.APPROVED]),
               ~provision_given(Organization.id))
        .order_by(func.lower(Organization.name))
    ).all()
    return [(org, part, sorted(org.users, key=lambda u: u.id)) for org, part in rows]
