"""/api/v1 meeting requests of a member's organization: list and read them, send, accept, decline or withdraw one,
through the same services as the member's pages (`services.meetings`), so rules, audit and e-mails are identical;
an accepted meeting is cancelled after its preview, as on its confirmation page (`services.meeting_cancellation`).
Members only, as on the pages (staff get 403); sending and answering need a token with the write scope. A refusal of
the service (a deadline, a cap, a request already answered) is 409 with the service's message."""

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from matchmaker.access import get_or_404, require_involved
from matchmaker.api.auth import documented_errors, protect
from matchmaker.api.outcomes import done as _done
from matchmaker.api.pages import paginate, since
from matchmaker.api.schedule import missing_token
from matchmaker.api.schemas import AcceptSchema, MeetingRequestSchema, NewRequestSchema, PageArgs
from matchmaker.api.schemas_schedule import CancelPreviewSchema, CancelSchema, preview_answer
from matchmaker.enums import ParticipationStatus, RequestStatus, SchedulingMode
from matchmaker.models import Event, MeetingRequest, Organization
from matchmaker.services import meetings as service
from matchmaker.services.events import participation_of
from matchmaker.services.meeting_cancellation import cancel_confirmed, cancel_preview
from matchmaker.web import perform

blp = Blueprint("api_requests", __name__, description="Meeting requests: send, accept, decline, cancel (members).")
protect(blp)  # a token on every call, rate limited per token
_errors = documented_errors(blp)


def _member() -> None:
    if not current_user.is_member:
        abort(403)


def _request(request_id: int) -> MeetingRequest:
    _member()
    item = get_or_404(MeetingRequest, request_id)
    require_involved(item)
    if item.status == RequestStatus.REQUESTED and service.deadline_passed(item.event):
        perform(lambda: service.expire_if_due(item), quiet=True)
    return item


@blp.get("/requests")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, MeetingRequestSchema(many=True))
@_errors
def requests(args):
    """The requests the member's organization sent or received, on every day."""
    _member()
    query = since(service.requests_of(current_user.organization_id), MeetingRequest.updated_dt, args)
    return paginate(query.order_by(MeetingRequest.id), args)


@blp.get("/requests/<int:request_id>")
@blp.response(200, MeetingRequestSchema)
@_errors
def request_detail(request_id: int):
    return _request(request_id)


@blp.post("/events/<int:event_id>/requests")
@blp.arguments(NewRequestSchema)
@blp.response(201, MeetingRequestSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def send(body, event_id: int):
    """Ask another participant of the day for a meeting (the member's participation must be approved)."""
    _member()
    event = get_or_404(Event, event_id)
    mine = participation_of(event, current_user.organization)
    if mine is None or mine.status != ParticipationStatus.APPROVED:
        abort(403)
    target = get_or_404(Organization, body["to_org_id"])
    return _done(lambda: service.request_meeting(current_user, event, target, body["message"]))


@blp.post("/requests/<int:request_id>/accept")
@blp.arguments(AcceptSchema)
@blp.response(200, MeetingRequestSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def accept(body, request_id: int):
    """Accept a request the member's organization received; where participants pick times, `slot` is the time."""
    item = _request(request_id)
    slot = None
    if item.event.scheduling == SchedulingMode.PICK and body["slot"] is not None:
        slot = next((s for s in item.event.slots() if s.index == body["slot"]), None)
    _done(lambda: service.accept(current_user, item, slot))
    return item


@blp.post("/requests/<int:request_id>/decline")
@blp.response(200, MeetingRequestSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def decline(request_id: int):
    item = _request(request_id)
    _done(lambda: service.decline(current_user, item))
    return item


@blp.get("/requests/<int:request_id>/cancellation")
@blp.response(200, CancelPreviewSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def cancellation(request_id: int):
    """What cancelling the request or its meeting does (who is told, its time and place once the schedule is
    published), changing nothing, as the member's confirmation page; its `confirm_token` goes with the cancel."""
    item = _request(request_id)
    if item.status not in (RequestStatus.REQUESTED, RequestStatus.ACCEPTED):
        abort(409, _("This request is already closed."))
    show_time = item.event.published or item.event.scheduling == SchedulingMode.PICK
    return preview_answer(cancel_preview(current_user, item), show_time)


@blp.post("/requests/<int:request_id>/cancel")
@blp.arguments(CancelSchema)
@blp.response(200, MeetingRequestSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def cancel(body, request_id: int):
    """Withdraw a request still waiting for an answer, or cancel an accepted meeting with the `confirm_token` of
    GET /requests/{id}/cancellation (409 without it, or when the meeting changed since)."""
    item = _request(request_id)
    token = body["confirm_token"]
    if item.status == RequestStatus.ACCEPTED and token is None:
        missing_token("api_requests.cancellation", request_id=item.id)
    if token is not None:
        _done(lambda: cancel_confirmed(current_user, item, token))
    else:
        _done(lambda: service.cancel(current_user, item))
    return item
