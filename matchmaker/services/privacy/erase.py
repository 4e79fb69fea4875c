"""Erasing a person or an organization: everything that names them is removed or anonymised, while what happened
stays countable (a held meeting stays held, feedback stays counted, the person shown as "Deleted participant").

A person: their account row is anonymised (an address that is no address, `deleted-<id>@invalid`, no password, no
sessions, no calendar link), their consents are deleted, the bodies of their messages and feedback comments replaced,
the e-mails sent to them emptied, and every other mention of their address, names and phone in any table replaced
(`scrub.sweep`). An organization with no members left: its name becomes "Deleted organization", its texts and
contacts cleared, and its names swept the same way. `plan_*` says what it will do first. Never commits."""

from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import delete, func, select, update

from matchmaker.domain.erased_labels import DELETED_NAME, DELETED_ORGANIZATION, REMOVED_MESSAGE
from matchmaker.domain.romanize import suggest_latin_name
from matchmaker.enums import OutboxStatus
from matchmaker.extensions import db
from matchmaker.models import (
    AuditLog,
    Feedback,
    Message,
    Organization,
    OutboxMessage,
    User,
)
from matchmaker.services import ServiceError, audit
from matchmaker.services.privacy.scrub import Replacer, sweep

UNUSABLE_PASSWORD = "!erased"  # no hash method: no password matches it


def erased_address(user: User) -> str:
    return f"deleted-{user.id}@invalid"


def is_erased(user: User) -> bool:
    return user.email == erased_address(user)


@dataclass
class Plan:
    """What erasing will change, counted before."""

    messages: int = 0  # message bodies they wrote
    feedback: int = 0  # feedback comments they wrote
    emails: int = 0  # e-mails sent to them, emptied
    consents: int = 0
    sign_ins: int = 0  # kept, as entries of an anonymous account
    phone: bool = False  # the organization's phone cleared (they were its last member)
    swept: dict = field(default_factory=dict)  # other rows that mention them, by table (after erasing)

    def as_dict(self) -> dict:
        return {"messages": self.messages, "feedback": self.feedback, "emails": self.emails,
                "consents": self.consents, "sign_ins": self.sign_ins, "phone": self.phone, "swept": self.swept}


def _consents():
    return db.metadata.tables.get("consents")


def _last_member(user: User) -> bool:
    """Whether `user` is the last member of their organization not yet erased."""
    if user.organization_id is None:
        return False
    others = db.session.scalars(select(User).where(User.organization_id == user.organization_id,
                                                   User.id != user.id)).all()
    return all(is_erased(other) for other in others)


def plan_person(user: User) -> Plan:
    """What `erase_person` would change for `user`."""
    count = lambda query: db.session.scalar(select(func.count()).select_from(query.subquery()))  # noqa: E731
    consents = _consents()
    return Plan(
        messages=count(select(Message.id).where(Message.author_id == user.id)),
        feedback=count(select(Feedback.id).where(Feedback.user_id == user.id, Feedback.comment.is_not(None))),
        emails=count(select(OutboxMessage.id).where(OutboxMessage.to_address == user.email)),
        consents=count(select(consents.c.id).where(consents.c.user_id == user.id)) if consents is not None else 0,
        sign_ins=count(select(AuditLog.id).where(AuditLog.actor_id == user.id, AuditLog.action == "login")),
        phone=bool(user.organization and user.organization.phone and _last_member(user)),
    )


def erase_person(actor: User | None, user: User, *, why: str = "request") -> Plan:
    """Erase `user` (see the module's docstring); `why` is "request", "staff" or "retention", for the audit."""
    if is_erased(user):
        raise ServiceError(gettext("This person's data is already erased."))
    if actor is not None and actor.id == user.id and user.is_staff:
        raise ServiceError(gettext("Staff cannot erase their own account; ask another administrator."))
    plan = plan_person(user)
    address, org = erased_address(user), user.organization
    identifiers = {user.email: address, user.name: DELETED_NAME}
    for latin in {user.name_latin, suggest_latin_name(user.name)} - {None, ""}:
        identifiers[latin] = DELETED_NAME
    if plan.phone:
        identifiers[org.phone] = ""
        org.phone = None
    db.session.execute(update(Message).where(Message.author_id == user.id).values(body=REMOVED_MESSAGE))
    db.session.execute(update(Feedback).where(Feedback.user_id == user.id).values(comment=None))
    # Mail not yet sent to them never goes out (it would go to the address that is no address).
    db.session.execute(update(OutboxMessage).where(OutboxMessage.to_address == user.email,
                                                   OutboxMessage.status != OutboxStatus.SENT)
                       .values(status=OutboxStatus.DISCARDED))
    db.session.execute(update(OutboxMessage).where(OutboxMessage.to_address == user.email).values(
        to_address=address, subject="", body_text="", body_html=None, calendar=None, last_error=None))
    consents = _consents()
    if consents is not None:
        db.session.execute(delete(consents).where(consents.c.user_id == user.id))
    user.email, user.name, user.name_latin = address, DELETED_NAME, None
    user.password_hash, user.calendar_token = UNUSABLE_PASSWORD, None
    user.active, user.verified = False, False
    user.session_version = (user.session_version or 0) + 1  # every session and remember-me cookie ends
    user.last_login_dt, user.locale, user.timezone, user.calendar = None, None, None, None
    plan.swept = sweep(Replacer(identifiers))
    audit.record(actor, "privacy.erase", user, why=why, **plan.as_dict())
    return plan


def organization_members_left(org: Organization) -> int:
    return sum(1 for member in org.users if not is_erased(member))


def erase_organization(actor: User | None, org: Organization) -> dict:
    """Erase an organization whose members are all erased (or that never had any)."""
    if org.name == DELETED_ORGANIZATION:
        raise ServiceError(gettext("This organization's data is already erased."))
    if organization_members_left(org):
        raise ServiceError(gettext("Erase its members first: an organization is erased once it has no members left."))
    identifiers = {name: DELETED_ORGANIZATION for name in (org.name, org.name_latin) if name}
    for contact in (org.phone, org.website):
        if contact:
            identifiers[contact] = ""
    org.name, org.name_latin, org.external_id = DELETED_ORGANIZATION, None, None
    org.description, org.texts, org.website, org.phone = None, {}, None, None
    org.existing_investors, org.portfolio = [], []
    # Other organizations' own names may hold this one's ("Acme" in "Acme Labs"): they stay theirs.
    swept = sweep(Replacer(identifiers), skip=("users", "organizations"))
    audit.record(actor, "privacy.erase_organization", org, swept=swept)
    return swept

