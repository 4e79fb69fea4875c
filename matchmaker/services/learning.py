"""The recommender learns from what came of past days: which requests were accepted or declined, and how
both sides rated the meetings they had.

A refit gathers the outcomes of every past event (all offices: the pooled evidence serves each of them),
turns them into (company, partner, label) rows, calls `matchmaker.matching.fit` from the default weights,
and stores the model with what it learned from (`services.recommender_model`, which
`services.recommendations.compute` ranks with). The reports page's button asks for it in the background
(`start_refit` → `refit_job`, run by `matchmaker.jobs` as one transaction); it never commits.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.enums import MeetingStatus, OrgKind, Outcome, RequestStatus
from matchmaker.extensions import db
from matchmaker.jobs import enqueue_after_commit
from matchmaker.matching import Model, fit
from matchmaker.models import Event, Feedback, Meeting, MeetingRequest, Organization, User
from matchmaker.services import ServiceError, audit
from matchmaker.services.recommendations import profile_of, schedule_recompute
from matchmaker.services.recommender_model import write_model

POSITIVE, NEGATIVE = 1, 0


@dataclass(frozen=True)
class Evidence:
    rows: list[tuple[str, str, int]]  # (company id, partner id, label), as the recommender's profile ids
    org_ids: set[int]
    event_ids: list[int]
    first_date: date | None
    last_date: date | None
    requests_accepted: int
    requests_declined: int
    feedback_positive: int
    feedback_negative: int


def feedback_label(item: Feedback) -> int | None:
    """1 when the side liked it (rating 4-5, wants to follow up, or reached an outcome), 0 when it clearly did
    not (rating 1-2 and no follow-up), None in between."""
    if item.rating >= 4 or item.follow_up or item.outcome != Outcome.NONE:
        return POSITIVE
    if item.rating <= 2 and not item.follow_up:
        return NEGATIVE
    return None


def gather(before: date | None = None) -> Evidence:
    """The outcomes of the events held before `before` (today by default)."""
    before = before or utcnow().date()
    events = db.session.scalars(select(Event).where(Event.date < before).order_by(Event.date, Event.id)).all()
    event_ids = [e.id for e in events]
    requests = db.session.scalars(
        select(MeetingRequest).where(
            MeetingRequest.event_id.in_(event_ids),
            MeetingRequest.status.in_((RequestStatus.ACCEPTED, RequestStatus.DECLINED)),
        ).order_by(MeetingRequest.id)
    ).all() if event_ids else []
    feedback = db.session.execute(
        select(Feedback, MeetingRequest).join(Meeting, Feedback.meeting_id == Meeting.id)
        .join(MeetingRequest, Meeting.request_id == MeetingRequest.id)
        .where(Meeting.event_id.in_(event_ids), Meeting.status == MeetingStatus.SCHEDULED)
        .order_by(Feedback.id)
    ).all() if event_ids else []
    org_ids = {r.from_org_id for r in requests} | {r.to_org_id for r in requests}
    org_ids |= {r.from_org_id for _, r in feedback} | {r.to_org_id for _, r in feedback}
    kinds = dict(db.session.execute(
        select(Organization.id, Organization.kind).where(Organization.id.in_(org_ids))
    ).all())

    def pair(request: MeetingRequest) -> tuple[str, str]:
        company, partner = (
            (request.from_org_id, request.to_org_id) if kinds.get(request.from_org_id) == OrgKind.COMPANY
            else (request.to_org_id, request.from_org_id)
        )
        return str(company), str(partner)

    rows, counts = [], {"accepted": 0, "declined": 0, "positive": 0, "negative": 0}
    for request in requests:
        accepted = request.status == RequestStatus.ACCEPTED
        rows.append((*pair(request), POSITIVE if accepted else NEGATIVE))
        counts["accepted" if accepted else "declined"] += 1
    for item, request in feedback:
        label = feedback_label(item)
        if label is not None:
            rows.append((*pair(request), label))
            counts["positive" if label == POSITIVE else "negative"] += 1
    used = sorted({r.event_id for r in requests} | {r.event_id for _, r in feedback})
    dates = [e.date for e in events if e.id in set(used)]
    return Evidence(
        rows=rows, org_ids=org_ids, event_ids=used, first_date=min(dates, default=None),
        last_date=max(dates, default=None), requests_accepted=counts["accepted"],
        requests_declined=counts["declined"], feedback_positive=counts["positive"],
        feedback_negative=counts["negative"],
    )


def refit(actor: User | None = None, before: date | None = None) -> dict:
    """Fit the recommender on past outcomes and store it. Raises ServiceError when there is too little."""
    evidence = gather(before)
    orgs = db.session.scalars(
        select(Organization).where(Organization.id.in_(evidence.org_ids)).order_by(Organization.id)
    ).all()
    companies = [profile_of(o) for o in orgs if o.kind == OrgKind.COMPANY]
    partners = [profile_of(o) for o in orgs if o.kind != OrgKind.COMPANY]
    if len({label for *_, label in evidence.rows}) < 2:
        raise ServiceError(
            gettext("The recommender needs both positive and negative outcomes from past events to learn.")
        )
    try:
        model = fit(evidence.rows, companies, partners, base=Model(), today=utcnow().date())
    except ValueError as error:  # e.g. one organization on each side: nothing varies
        raise ServiceError(
            gettext("The recommender could not learn from these outcomes: %(error)s", error=str(error))
        ) from None
    data = {
        "refitted_dt": utcnow().isoformat(),
        "events": evidence.event_ids,
        "first_event_date": evidence.first_date.isoformat() if evidence.first_date else None,
        "last_event_date": evidence.last_date.isoformat() if evidence.last_date else None,
        "requests_accepted": evidence.requests_accepted,
        "requests_declined": evidence.requests_declined,
        "feedback_positive": evidence.feedback_positive,
        "feedback_negative": evidence.feedback_negative,
        "refitted_by": actor.email if actor is not None else None,
    }
    write_model({"model": model.to_dict(), "data": data})
    if actor is not None:
        audit.record(actor, "refit_recommender", actor, outcomes=len(evidence.rows), events=evidence.event_ids)
    return data


def upcoming_event_ids() -> list[int]:
    """The events whose recommendations should follow a new model (today and later)."""
    return list(db.session.scalars(select(Event.id).where(Event.date >= utcnow().date()).order_by(Event.id)))


def start_refit(actor: User) -> None:
    """Refit the recommender in the background (the reports page's button) once the caller commits."""
    enqueue_after_commit(refit_job, actor.id)


def refit_job(user_id: int | None = None) -> None:
    """Background refit (the reports page's button), then fresh recommendations for the upcoming days. Too little
    data is a refusal (ServiceError), which the job runner logs and rolls back."""
    actor = db.session.get(User, user_id) if user_id is not None else None
    refit(actor)
    schedule_recompute(upcoming_event_ids())
