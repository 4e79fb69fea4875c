"""Programs, matchmaking days and who takes part in them: saving programs and days, applying, withdrawing, staff's
decisions on applications, and the lists and counts of them that staff pages show."""

from functools import cache

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import selectinload

from matchmaker.database import utcnow
from matchmaker.domain.rooms import MAX_LENGTH, RoomTemplateError, check_template
from matchmaker.enums import ParticipationStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Organization, Participation, Program, User
from matchmaker.services import ServiceError, audit, recommendations, virtual_rooms, webhooks
from matchmaker.services.mail import queue_email

EVENT_FIELDS = (
    "title", "description", "mode", "venue", "online_url", "timezone", "date", "day_start", "day_end",
    "slot_minutes", "breaks", "tables", "request_deadline_dt", "scheduling", "max_open_requests", "room_link_template",
)
PROGRAM_FIELDS = ("office_id", "title", "description", "start_date", "end_date")


def programs_in(office_ids: list[int]) -> list[Program]:
    """The programs of these offices, the latest first."""
    return list(db.session.scalars(
        select(Program).where(Program.office_id.in_(office_ids)).order_by(Program.start_date.desc())
    ))


def save_program(actor: User, program: Program | None, **values) -> Program:
    created = program is None
    program = program or Program()
    for key in PROGRAM_FIELDS:
        setattr(program, key, values[key])
    db.session.add(program)
    db.session.flush()
    audit.record(actor, "create_program" if created else "update_program", program)
    return program


def room_template_refusal(template: str | None) -> str | None:
    """Why staff's room link template cannot be used, in the current language (None: it can, or there is none)."""
    if not template:
        return None
    try:
        check_template(template)
    except RoomTemplateError as error:
        if error.kind == "unknown":
            return gettext("%(placeholder)s is not a placeholder; use {room}, {meeting} and {event} only.",
                           placeholder=error.name)
        if error.kind == "braces":
            return gettext("Every { needs its }: use {room}, {meeting} and {event} only.")
        if error.kind == "no_room":
            return gettext("The link needs {room}, so that each meeting's room is its own and cannot be guessed.")
        if error.kind == "too_long":
            return gettext("With its placeholders filled in the link may be longer than %(n)d characters.",
                           n=MAX_LENGTH)
        return gettext("With its placeholders filled in this is not an http:// or https:// link.")
    return None


def save_event(actor: User, program: Program, event: Event | None, **values) -> Event:
    if not program.start_date <= values["date"] <= program.end_date:
        raise ServiceError(gettext("The day must fall within the program's period."))
    refusal = room_template_refusal(values.get("room_link_template"))
    if refusal:
        raise ServiceError(refusal)
    created = event is None
    rooms = values.get("virtual_rooms", None if created else event.virtual_rooms) or None
    links_before = (None, None) if created else (event.room_link_template, event.online_url)
    event = event or Event(program=program)
    virtual_rooms.check_rooms_of(event, rooms, values["mode"], values.get("room_link_template"))
    for key in EVENT_FIELDS:
        setattr(event, key, values[key])
    event.virtual_rooms = rooms
    if not event.slots():
        raise ServiceError(gettext("The day has no room for a single slot; check the hours and breaks."))
    db.session.add(event)
    db.session.flush()
    virtual_rooms.apply_links(event, *links_before)
    virtual_rooms.apply_rooms(event)
    audit.record(actor, "create_event" if created else "update_event", event)
    return event


def participations_of(event: Event, status: str | None = None) -> list[Participation]:
    """The day's participations (all, or those of one status value) by status, then organization name."""
    return [
        p for p in sorted(event.participations, key=lambda p: (p.status.value, p.organization.name))
        if not status or p.status.value == status
    ]


def approved_participations(event: Event) -> list[Participation]:
    """The event's approved participations (from `event.participations`, loaded once), by id."""
    return sorted((p for p in event.participations if p.status == ParticipationStatus.APPROVED), key=lambda p: p.id)


def participation_of(event: Event, organization: Organization) -> Participation | None:
    return db.session.scalar(
        select(Participation).where(
            Participation.event_id == event.id, Participation.organization_id == organization.id
        )
    )


def apply_to_event(actor: User, event: Event) -> Participation:
    if not actor.verified:
        raise ServiceError(gettext("Confirm your e-mail address before applying."))
    if event.date < utcnow().date():
        raise ServiceError(gettext("This matchmaking day is over."))
    participation = participation_of(event, actor.organization)
    if participation is not None and participation.status != ParticipationStatus.WITHDRAWN:
        raise ServiceError(gettext("You have already applied to this matchmaking day."))
    if participation is None:
        participation = Participation(event=event, organization=actor.organization)
        db.session.add(participation)
    participation.status = ParticipationStatus.APPLIED
    participation.applied_dt = utcnow()
    participation.reason = None
    db.session.flush()
    audit.record(actor, "apply", participation, event_id=event.id)
    return participation


def withdraw(actor: User, participation: Participation) -> None:
    if participation.status == ParticipationStatus.WITHDRAWN:
        raise ServiceError(gettext("You have already withdrawn."))
    participation.status = ParticipationStatus.WITHDRAWN
    audit.record(actor, "withdraw", participation)


def decide(actor: User, participation: Participation, approve: bool, reason: str | None = None) -> None:
    """Approve or reject an application; the organization's users are told by e-mail, and the day's
    recommendations are computed again."""
    if participation.status == ParticipationStatus.WITHDRAWN:  # as the bulk decisions: it stays withdrawn
        raise ServiceError(gettext("This application was withdrawn by the organization: it can no longer be "
                                   "approved or rejected."))
    if not approve and not (reason or "").strip():
        raise ServiceError(gettext("Give the applicant a reason for the rejection."))
    participation.status = ParticipationStatus.APPROVED if approve else ParticipationStatus.REJECTED
    participation.reason = None if approve else reason.strip()
    participation.decided_dt = utcnow()
    participation.decided_by_id = actor.id
    audit.record(actor, "approve" if approve else "reject", participation, reason=participation.reason)
    if approve:
        webhooks.emit("participation.approved", participation.event.program.office_id,
                      webhooks.participation_payload(participation))
    recommendations.schedule_recompute([participation.event_id])  # once the decision is committed
    for user in participation.organization.users:
        queue_email(
            user,
            "participation_decided",
            _l("Your application to %(event)s", event=participation.event.title),
            "participation_decided",
            participation=participation,
            event=participation.event,
        )


def applications(office_id: int | None) -> Select:
    """Applications waiting for a decision in office `office_id` (None: every office's), the oldest first."""
    query = (
        select(Participation).join(Event).join(Program)
        .where(Participation.status == ParticipationStatus.APPLIED)
        .order_by(Participation.applied_dt, Participation.id)
    )
    return query if office_id is None else query.where(Program.office_id == office_id)


def applications_to_review(office_id: int | None) -> list[Participation]:
    """`applications(office_id)` with what the review queue shows of each: the organization, its people, the day."""
    return list(db.session.scalars(
        applications(office_id).options(
            selectinload(Participation.organization).selectinload(Organization.users),
            selectinload(Participation.event))
    ))


def applications_waiting(office_id: int | None) -> int:
    """How many `applications(office_id)` there are (the staff menu shows it on every page)."""
    if office_id is None:
        return db.session.scalar(_waiting_query(False))
    return db.session.scalar(_waiting_query(True), {"office_id": office_id})


@cache
def _waiting_query(one_office: bool):
    """Built once (per kind): building the select costs about as much CPU as running it."""
    query = (select(func.count()).select_from(Participation).join(Event).join(Program)
             .where(Participation.status == ParticipationStatus.APPLIED))
    return query.where(Program.office_id == bindparam("office_id")) if one_office else query
