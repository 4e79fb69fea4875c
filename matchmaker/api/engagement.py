"""/api/v1: Recommendations for a participant and meeting feedback.

A member reads its own organization's recommendations for a day it takes part in (approved), as its 'Recommended for
you' page lists them (`services.recommendations`, its shortlist first), and gives or updates its feedback on a
meeting that has started, through the feedback form's service (`services.feedback.save_feedback`: the same rules,
audit and webhook). Staff of the day's office (admins: every office) read any participant's list and both sides'
feedback, as their pages show it (the matrix, the report's table of meetings and feedback)."""

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from matchmaker.access import get_or_404, require_involved
from matchmaker.api.auth import documented_errors, protect
from matchmaker.api.catalog import staff_only
from matchmaker.api.outcomes import done
from matchmaker.api.pages import paginate, since
from matchmaker.api.schemas import PageArgs
from matchmaker.api.schemas_engagement import FeedbackSchema, NewFeedbackSchema, RecommendationSchema, reason_texts
from matchmaker.enums import MeetingStatus, OrgKind, ParticipationStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Feedback, Meeting, Organization
from matchmaker.services import feedback, recommendations
from matchmaker.services.meetings import requests_by_counterpart
from matchmaker.services.queries import counterparts_of, member_participation
from matchmaker.services.shortlist import shortlisted_ids
from matchmaker.staff.scope import check_office

blp = Blueprint("api_engagement", __name__, description=__doc__.split(": ", 1)[1].split("\n")[0])
protect(blp)  # a token on every call, rate limited per token
_errors = documented_errors(blp)


def _member() -> None:
    if not current_user.is_member:
        abort(403)


def _listed(event: Event, org: Organization) -> list:
    if org.kind == OrgKind.COMPANY:
        return recommendations.for_company(event, org)
    return recommendations.for_partner(event, org)


def _rows(event: Event, org: Organization, items: list, shortlist: frozenset[int]) -> list[dict]:
    existing = requests_by_counterpart(event.id, org.id)
    rows = []
    for item in items:
        other = item.partner if org.kind == OrgKind.COMPANY else item.company
        request = existing.get(other.id)
        rows.append({
            "org": other, "score": item.score, "forced": bool(getattr(item, "forced", False)),
            "shortlisted": other.id in shortlist,
            "reasons": [{"code": code, "params": params, "text": text}
                        for (code, params), text in zip(item.reasons, reason_texts(item.reasons), strict=True)],
            "request_id": request.id if request else None, "request_status": request.status if request else None,
        })
    return rows


@blp.get("/events/<int:event_id>/recommendations")
@blp.response(200, RecommendationSchema(many=True))
@_errors
def my_recommendations(event_id: int):
    """The member's 'Recommended for you' list for a day it takes part in (approved): its shortlist first, then the
    recommender's order, each with its score and reasons. Empty while the list is being computed."""
    _member()
    event = get_or_404(Event, event_id)
    mine = member_participation(event.id, current_user.organization_id)
    if mine is None or mine.status != ParticipationStatus.APPROVED:
        abort(403)
    org = current_user.organization
    items = _listed(event, org)
    if not items and not recommendations.cached(event):  # nothing stored for the day yet: computed as the page does
        recommendations.schedule_recompute([event.id])
        items = _listed(event, org)
    shortlist = shortlisted_ids(org.id)
    if shortlist and (items or recommendations.cached(event)):
        items = recommendations.shortlist_first(items, counterparts_of(event.id, org), shortlist,
                                                org.kind == OrgKind.COMPANY)
    return _rows(event, org, items, shortlist)


def _office_event(event_id: int) -> Event:
    staff_only()
    event = get_or_404(Event, event_id)
    check_office(event.program.office_id)
    return event


@blp.get("/events/<int:event_id>/organizations/<int:org_id>/recommendations")
@blp.response(200, RecommendationSchema(many=True))
@_errors
def participant_recommendations(event_id: int, org_id: int):
    """Staff: the recommender's list for one participant of the day (a company's best partners; for a partner, the
    companies in whose lists it is), as the matrix shows them. 404 for an organization not taking part."""
    event = _office_event(event_id)
    org = get_or_404(Organization, org_id)
    taking_part = member_participation(event.id, org.id)
    if taking_part is None or taking_part.status != ParticipationStatus.APPROVED:
        abort(404)
    return _rows(event, org, _listed(event, org), frozenset())


def _meeting(meeting_id: int) -> Meeting:
    """A meeting as the feedback pages show it: staff of its office; a member, its own on a published day."""
    meeting = get_or_404(Meeting, meeting_id)
    if current_user.is_staff:
        check_office(meeting.event.program.office_id)
        return meeting
    _member()
    require_involved(meeting.request)
    if not meeting.event.published or meeting.status != MeetingStatus.SCHEDULED:
        abort(404)
    return meeting


@blp.get("/meetings/<int:meeting_id>/feedback")
@blp.response(200, FeedbackSchema(many=True))
@_errors
def meeting_feedback(meeting_id: int):
    """A member: its own organization's feedback on the meeting (none or one); staff: both sides'."""
    meeting = _meeting(meeting_id)
    query = select(Feedback).where(Feedback.meeting_id == meeting.id)
    if not current_user.is_staff:
        query = query.where(Feedback.organization_id == current_user.organization_id)
    return db.session.scalars(query.order_by(Feedback.id)).all()


@blp.post("/meetings/<int:meeting_id>/feedback")
@blp.arguments(NewFeedbackSchema)
@blp.response(200, FeedbackSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def give_feedback(body, meeting_id: int):
    """Give (or update) the member's feedback on its meeting once it has started, as on the feedback form."""
    _member()
    meeting = _meeting(meeting_id)
    return done(lambda: feedback.save_feedback(current_user, meeting, **body))


@blp.get("/events/<int:event_id>/feedback")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, FeedbackSchema(many=True))
@_errors
def event_feedback(args, event_id: int):
    """Staff: every feedback given on the day's meetings (both sides), as the report's table of meetings shows."""
    event = _office_event(event_id)
    query = select(Feedback).join(Meeting, Feedback.meeting_id == Meeting.id).where(Meeting.event_id == event.id)
    return paginate(since(query, Feedback.updated_dt, args).order_by(Feedback.id), args)
