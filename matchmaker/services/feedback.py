"""Feedback after a meeting: each side gives (and may later update) its own rating, follow-up interest and
outcome; after each meeting's end both sides' members are asked once by e-mail."""

from datetime import datetime, timedelta
from functools import cache

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from matchmaker.database import utcnow
from matchmaker.enums import Attendance, MeetingStatus, Outcome
from matchmaker.extensions import db
from matchmaker.models import Event, Feedback, Meeting, NoShow, OutboxMessage, Participation, User
from matchmaker.services import ServiceError, audit, webhooks
from matchmaker.services.mail import queue_email
from matchmaker.services.queries import meeting_sides, published_meetings_of

FIELDS = ("rating", "follow_up", "outcome", "amount_usd", "expected_amount_usd", "comment")
# Meetings that ended longer ago are not asked about any more (e.g. when the job first runs on old data).
ASK_WITHIN = timedelta(days=14)


def has_started(meeting: Meeting, now: datetime | None = None) -> bool:
    return meeting.start_dt <= (now or utcnow())


def can_give(meeting: Meeting, now: datetime | None = None) -> bool:
    """Feedback is open on a scheduled meeting once it has started."""
    return meeting.status == MeetingStatus.SCHEDULED and has_started(meeting, now)


def feedback_of(meeting: Meeting, organization_id: int) -> Feedback | None:
    return db.session.scalar(
        select(Feedback).where(Feedback.meeting_id == meeting.id, Feedback.organization_id == organization_id)
    )


def save_feedback(actor: User, meeting: Meeting, *, rating: int, follow_up: bool = False,
                  outcome: Outcome | str = Outcome.NONE, amount_usd: int | None = None,
                  expected_amount_usd: int | None = None, comment: str | None = None) -> Feedback:
    """Create or update the actor's organization's feedback on `meeting`."""
    if not actor.is_member or not meeting.request.involves(actor.organization_id):
        raise ServiceError(gettext("Only the organizations that met can give feedback on a meeting."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ServiceError(gettext("This meeting was cancelled; there is nothing to give feedback on."))
    if not has_started(meeting):
        raise ServiceError(gettext("You can give feedback once the meeting has started."))
    if not 1 <= int(rating) <= 5:
        raise ServiceError(gettext("Choose a rating from 1 to 5."))
    for amount in (amount_usd, expected_amount_usd):
        if amount is not None and amount < 0:
            raise ServiceError(gettext("Amounts cannot be negative."))
    item = feedback_of(meeting, actor.organization_id)
    created = item is None
    if created:
        item = Feedback(meeting_id=meeting.id, organization_id=actor.organization_id)
        db.session.add(item)
    item.user_id = actor.id
    item.rating = int(rating)
    item.follow_up = bool(follow_up)
    item.outcome = Outcome(outcome)
    item.amount_usd = amount_usd
    item.expected_amount_usd = expected_amount_usd
    item.comment = (comment or "").strip() or None
    try:
        db.session.flush()
    except IntegrityError:
        # A colleague (or a double click) saved the organization's first feedback on it a moment ago. The failed
        # flush has ended the transaction: roll it back before anything else reads the database.
        db.session.rollback()
        raise ServiceError(gettext(
            "Someone of your organization has just saved feedback on this meeting; check it and save again."
        )) from None
    audit.record(actor, "give_feedback" if created else "update_feedback", item, meeting_id=meeting.id,
                 rating=item.rating, follow_up=item.follow_up, outcome=item.outcome.value)
    webhooks.emit("feedback.submitted", meeting.event.program.office_id, {"feedback": {
        "meeting_id": meeting.id, "organization_id": item.organization_id, "rating": item.rating,
        "follow_up": item.follow_up, "outcome": item.outcome.value}})
    return item


def started_meetings(organization_id: int, now: datetime | None = None) -> list[Meeting]:
    """The organization's meetings that have started, latest first."""
    return list(db.session.scalars(
        published_meetings_of(organization_id).where(Meeting.start_dt <= (now or utcnow()))
        .options(*meeting_sides()).order_by(Meeting.start_dt.desc(), Meeting.id)
    ))


def given_by(organization_id: int) -> dict[int, Feedback]:
    """The organization's own feedback, by meeting id."""
    rows = db.session.scalars(select(Feedback).where(Feedback.organization_id == organization_id))
    return {f.meeting_id: f for f in rows}


def awaiting(organization_id: int, now: datetime | None = None) -> list[Meeting]:
    """Started meetings the organization has not given feedback on yet, leaving out missed ones (a no-show
    or an absent side): like the e-mail, the list and the badge do not ask about a meeting that did not happen."""
    return awaiting_among(started_meetings(organization_id, now), given_by(organization_id))


def awaiting_among(started: list[Meeting], given: dict[int, Feedback]) -> list[Meeting]:
    """Of `started` meetings, those without feedback in `given` (see `given_by`) and not missed."""
    missed = _missed(started)
    return [m for m in started if m.id not in given and m.id not in missed]


def awaiting_count(organization_id: int, now: datetime | None = None) -> int:
    """How many meetings `awaiting` lists, for the menu's badge on every member page: read without the
    organizations of each meeting or the feedback's contents, which the count does not need."""
    params = {"organization_id": organization_id, "now": now or utcnow()}
    return len(awaiting_among(list(db.session.scalars(_started_without_feedback(), params)), {}))


@cache
def _started_without_feedback():
    """The badge's query, built once (it runs on every member page): started meetings without the organization's
    feedback, with their requests (the sides, to leave out missed meetings)."""
    organization_id = bindparam("organization_id")
    given = select(Feedback.id).where(Feedback.meeting_id == Meeting.id, Feedback.organization_id == organization_id)
    return (
        published_meetings_of(organization_id).where(Meeting.start_dt <= bindparam("now"), ~given.exists())
        .options(contains_eager(Meeting.request))  # the request published_meetings_of joins already
    )


def _missed(meetings: list[Meeting]) -> set[int]:
    """Ids of the meetings that were missed: a no-show was recorded for the meeting, or one side missed
    the day."""
    event_ids = {m.event_id for m in meetings}
    if not event_ids:
        return set()
    no_shows = db.session.execute(
        select(NoShow.event_id, NoShow.organization_id, NoShow.meeting_id).where(NoShow.event_id.in_(event_ids))
    ).all()
    absent = db.session.execute(
        select(Participation.event_id, Participation.organization_id).where(
            Participation.event_id.in_(event_ids), Participation.attendance == Attendance.ABSENT,
        )
    ).all()
    missed_meetings = {(n.event_id, n.meeting_id) for n in no_shows if n.meeting_id is not None}
    missed_days = {(n.event_id, n.organization_id) for n in no_shows if n.meeting_id is None}
    missed_days |= {tuple(row) for row in absent}
    return {
        m.id for m in meetings
        if (m.event_id, m.id) in missed_meetings
        or (m.event_id, m.request.from_org_id) in missed_days or (m.event_id, m.request.to_org_id) in missed_days
    }


def queue_feedback_requests(now: datetime | None = None) -> int:
    """Ask every member of both sides of each meeting that ended (within ASK_WITHIN) for feedback, once.

    The dedupe key per meeting and user makes the database refuse a second copy, so running this often
    (from `flask outbox remind`) never asks twice. Sides that already gave feedback and meetings that were
    missed are not asked.
    """
    now = now or utcnow()
    meetings = db.session.scalars(
        select(Meeting).join(Event, Meeting.event_id == Event.id).where(
            Event.published.is_(True), Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.end_dt <= now, Meeting.end_dt > now - ASK_WITHIN,
        ).options(*meeting_sides()).order_by(Meeting.id)
    ).all()
    missed = _missed(meetings)
    existing = set(db.session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like("feedback-%"))
    ))
    count = 0
    for meeting in meetings:
        if meeting.id in missed:
            continue
        for org in (meeting.request.from_org, meeting.request.to_org):
            if feedback_of(meeting, org.id) is not None:
                continue
            other = meeting.request.other_org(org.id)
            for user in sorted(org.users, key=lambda u: u.id):
                key = f"feedback-{meeting.id}-{user.id}"
                if not user.active or key in existing:
                    continue
                message = queue_email(
                    user, "feedback_request", _l("How was your meeting with %(name)s?", name=other.display_name),
                    "feedback_request", meeting=meeting, org=org, other=other,
                )
                message.dedupe_key = key
                existing.add(key)
                count += 1
    return count
