"""Retention that runs by itself (with the reminders, `flask outbox remind`, and alone as `flask privacy retention`):
members are erased `PRIVACY_RETAIN_YEARS` after their last day (the last event day their organization applied to;
without one, their last sign-in or registration), organizations once all their members are erased and their last day
is as old, and sent e-mails' bodies are emptied after `MAIL_BODY_RETAIN_DAYS`. A dry run says what it would do.
A run that changed something is audited. Never commits."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from matchmaker.database import utcnow
from matchmaker.enums import OutboxStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Event, Organization, OutboxMessage, Participation, User
from matchmaker.services import audit
from matchmaker.services.privacy.erase import (
    DELETED_ORGANIZATION,
    erase_organization,
    erase_person,
    is_erased,
)


class Retention:
    """What the audit entry of a run is about (no row of its own)."""

    id = None


@dataclass
class RetentionRun:
    people: list[str] = field(default_factory=list)  # "#<id> <role>": no address, so the output names nobody
    organizations: list[int] = field(default_factory=list)
    mail_bodies: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.people or self.organizations or self.mail_bodies)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _last_event_days() -> dict[int, date]:
    """Organization id → the last event day it applied to."""
    rows = db.session.execute(select(Participation.organization_id, func.max(Event.date))
                              .join(Event, Participation.event_id == Event.id)
                              .group_by(Participation.organization_id))
    return dict(rows.all())


def last_day(user: User, event_days: dict[int, date]) -> date:
    """The person's last day: their organization's last event day, else their last sign-in or registration."""
    if user.organization_id in event_days:
        return event_days[user.organization_id]
    return max(d for d in (user.last_login_dt, user.created_dt) if d is not None).date()


def due_people(now: datetime) -> list[User]:
    cutoff = years_before(now.date(), current_app.config["PRIVACY_RETAIN_YEARS"])
    event_days = _last_event_days()
    members = db.session.scalars(select(User).where(User.role.in_((Role.COMPANY, Role.PARTNER)))
                                 .order_by(User.id))
    return [u for u in members if not is_erased(u) and last_day(u, event_days) < cutoff]


def due_organizations(now: datetime, leaving: set[int] = frozenset()) -> list[Organization]:
    """Organizations whose members are all erased (or in `leaving`, ids about to be) and whose last day is past."""
    cutoff = years_before(now.date(), current_app.config["PRIVACY_RETAIN_YEARS"])
    event_days = _last_event_days()
    candidates = db.session.scalars(select(Organization).where(Organization.name != DELETED_ORGANIZATION)
                                    .order_by(Organization.id))
    return [o for o in candidates if o.users and all(is_erased(u) or u.id in leaving for u in o.users)
            and event_days.get(o.id, o.updated_dt.date()) < cutoff]


def _old_mail(now: datetime):
    cutoff = now - timedelta(days=current_app.config["MAIL_BODY_RETAIN_DAYS"])
    kept = (OutboxMessage.body_text != "") | OutboxMessage.body_html.is_not(None) | OutboxMessage.calendar.is_not(None)
    return OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_dt < cutoff, kept


def run(now: datetime | None = None, dry_run: bool = False) -> RetentionRun:
    """Apply retention at `now` (or only say what it would do)."""
    now = now or utcnow()
    result = RetentionRun()
    people = due_people(now)
    leaving = {user.id for user in people}
    for user in people:
        result.people.append(f"#{user.id} {user.role.value}")
        if not dry_run:
            erase_person(None, user, why="retention")
    for org in due_organizations(now, leaving):
        result.organizations.append(org.id)
        if not dry_run:
            erase_organization(None, org)
    old = _old_mail(now)
    result.mail_bodies = db.session.scalar(select(func.count(OutboxMessage.id)).where(*old))
    if not dry_run and result.mail_bodies:
        db.session.execute(update(OutboxMessage).where(*old).values(body_text="", body_html=None, calendar=None))
    if not dry_run and result.changed:
        audit.record(None, "privacy.retention", Retention(), people=len(result.people),
                     organizations=len(result.organizations), mail_bodies=result.mail_bodies,
                     retain_years=current_app.config["PRIVACY_RETAIN_YEARS"],
                     mail_body_days=current_app.config["MAIL_BODY_RETAIN_DAYS"])
    return result
