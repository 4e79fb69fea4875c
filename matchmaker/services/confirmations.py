"""What an irreversible staff action will do, read from the database before it is done, for the confirmation pages:
publishing a schedule (meetings new, moved, cancelled; e-mails and people), sending suggestions (who gets what),
marking a participant absent and rejecting an approved one (the meetings cancelled). It never commits.

The publish preview counts as `invites.send_pending_invites` picks meetings and `invites.queue_invites` picks
attendees, and carries a token of the state it read: publishing with a token refuses when the schedule changed.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.enums import MeetingStatus, OrgKind, ParticipationStatus, RunStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, OutboxMessage, Participation, ScheduleRun, User
from matchmaker.services import ServiceError, recommendations
from matchmaker.services import meetings as meeting_service
from matchmaker.services.checkin import meetings_of
from matchmaker.services.events import decide


@dataclass
class PublishPreview:
    new: list[Meeting] = field(default_factory=list)  # never invited: an invitation
    moved: list[Meeting] = field(default_factory=list)  # changed since their invite: an update
    cancelled: list[Meeting] = field(default_factory=list)  # invited, then cancelled: a cancellation
    emails: int = 0
    people: int = 0
    token: str = ""

    @property
    def meetings(self) -> int:
        return len(self.new) + len(self.moved) + len(self.cancelled)


def _attendee_emails(meeting: Meeting) -> list[str]:
    request = meeting.request
    return [u.email for org in (request.from_org, request.to_org) for u in org.users if u.active]


def publish_preview(event: Event) -> PublishPreview:
    """What publishing now would send (the same choice of meetings and attendees as `send_pending_invites`)."""
    preview = PublishPreview()
    people: set[str] = set()
    digest = hashlib.sha256(f"{event.id}:{bool(event.published)}".encode())
    for meeting in db.session.scalars(select(Meeting).where(Meeting.event_id == event.id).order_by(Meeting.id)):
        fresh = meeting.invited_sequence is None or meeting.sequence > meeting.invited_sequence
        if meeting.status == MeetingStatus.SCHEDULED and fresh:
            (preview.new if meeting.invited_sequence is None else preview.moved).append(meeting)
        elif meeting.status == MeetingStatus.CANCELLED and meeting.invited_sequence is not None and fresh:
            preview.cancelled.append(meeting)
        else:
            continue
        emails = _attendee_emails(meeting)
        preview.emails += len(emails)
        people.update(emails)
        digest.update(f"|{meeting.id}:{meeting.status.value}:{meeting.sequence}:{meeting.version}"
                      f":{meeting.start_dt.isoformat()}:{meeting.table_label}:{len(emails)}".encode())
    preview.people = len(people)
    preview.token = digest.hexdigest()[:32]
    return preview


def run_active(event: Event) -> bool:
    """Whether a scheduler run of the day is queued or running (its result would change what is published)."""
    return db.session.scalar(select(ScheduleRun.id).where(
        ScheduleRun.event_id == event.id, ScheduleRun.status.in_((RunStatus.QUEUED, RunStatus.RUNNING))
    ).limit(1)) is not None


def check_publishable(event: Event, token: str | None) -> None:
    """Refuse publishing while a run is queued or running, or when `token` (from a preview) no longer matches."""
    if run_active(event):
        raise ServiceError(gettext("The scheduler is still working on this day: publish once its run is done."))
    if token is not None and token != publish_preview(event).token:
        raise ServiceError(gettext("The schedule changed since you looked at what publishing does: "
                                   "look at the new summary and publish again."))


@dataclass
class SuggestionsPreview:
    companies: int = 0  # organizations e-mailed, by side
    partners: int = 0
    emails: int = 0
    already_sent: int = 0  # people who have had theirs and get nothing again


def suggestions_preview(event: Event) -> SuggestionsPreview:
    """Who `recommendations.send_suggestions` would e-mail now (the same choice of organizations and people)."""
    prefix = f"suggestions:{event.id}:"
    done = set(db.session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.startswith(prefix, autoescape=True))))
    preview = SuggestionsPreview()
    for org in recommendations.approved_organizations(event):
        is_company = org.kind == OrgKind.COMPANY
        items = recommendations.for_company(event, org) if is_company else recommendations.for_partner(event, org)
        if not items:
            continue
        users = [u for u in org.users if u.active]
        fresh = [u for u in users if f"{prefix}{u.id}" not in done]
        preview.already_sent += len(users) - len(fresh)
        if fresh:
            preview.emails += len(fresh)
            if is_company:
                preview.companies += 1
            else:
                preview.partners += 1
    return preview


def meetings_freed_by_absence(participation: Participation, now: datetime | None = None) -> list[Meeting]:
    """The meetings `dayops.mark_absent` would cancel: the participant's scheduled ones not started yet."""
    now = now or utcnow()
    return [m for m in meetings_of(participation.event, participation.organization_id) if m.start_dt > now]


def meetings_cancelled_by_rejection(participation: Participation) -> list[Meeting]:
    """The meetings rejecting the participant cancels: an approved one's scheduled meetings (none otherwise)."""
    if participation.status != ParticipationStatus.APPROVED:
        return []
    return meetings_of(participation.event, participation.organization_id)


def decide_with_meetings(actor: User, participation: Participation, approve: bool, reason: str | None) -> int:
    """`events.decide`, and a rejected participant that was approved loses its scheduled meetings (cancelled as
    staff cancel a meeting: both sides told, calendars sent a cancellation). Returns how many were cancelled."""
    cancelled = [] if approve else meetings_cancelled_by_rejection(participation)
    decide(actor, participation, approve, reason)
    for meeting in cancelled:
        meeting_service.cancel(actor, meeting.request)
    return len(cancelled)
