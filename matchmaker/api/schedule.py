"""/api/v1: The schedule: read a meeting; staff move and swap meetings and cancel one after a preview, through the
board's and the confirmation page's services (`services.board_changes`, `services.meeting_cancellation`), so the
rules, the audit entries, the e-mails and the webhooks are the pages'. Staff of the meeting's office (admins: all);
a member reads only its own meetings of a published day (its agenda). A refusal of the service (a locked meeting, a
busy participant, a version read before another change) is 409 with the service's message; a slot, table or meeting
that is not one of the day's is 422."""

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from flask_smorest import abort as abort_with

from matchmaker.access import get_or_404, get_or_none
from matchmaker.api.auth import documented_errors, protect
from matchmaker.api.catalog import staff_only
from matchmaker.api.outcomes import done
from matchmaker.api.schemas_schedule import (
    CancelPreviewSchema,
    CancelSchema,
    MoveSchema,
    ScheduledMeetingSchema,
    SwapSchema,
    preview_answer,
)
from matchmaker.enums import EventMode, MeetingStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting
from matchmaker.services import board_changes
from matchmaker.services.meeting_cancellation import cancel_confirmed, cancel_preview
from matchmaker.services.placement import table_ids
from matchmaker.services.queries import published_meetings_of
from matchmaker.staff.scope import check_office
from matchmaker.staff.views.schedule_board import scheduled_meeting

blp = Blueprint("api_schedule", __name__,
                description="The schedule: read a meeting; staff move, swap and cancel meetings.")
protect(blp)  # a token on every call, rate limited per token
_errors = documented_errors(blp)


def invalid(field: str, message: str):
    """A 422 shaped as the schemas' own (`errors.json.<field>`), for a value only the day can judge."""
    abort_with(422, messages={"json": {field: [message]}})


def missing_token(endpoint: str, **ids):
    """409: a meeting is cancelled only with the token of the preview read just before."""
    path = url_for(endpoint, **ids)
    abort(409, _("Read the cancellation first (GET %(path)s) and send its confirm_token.", path=path))


@blp.get("/meetings/<int:meeting_id>")
@blp.response(200, ScheduledMeetingSchema)
@_errors
def meeting(meeting_id: int):
    """One meeting: staff of its office see it in any state; a member its own meetings of a published day,
    cancelled ones too (with their status), as its meeting page shows them."""
    if current_user.is_staff:
        item = get_or_404(Meeting, meeting_id)
        check_office(item.event.program.office_id)
        return item
    query = published_meetings_of(current_user.organization_id, scheduled_only=False).where(
        Meeting.id == meeting_id)
    item = db.session.scalars(query).first()
    if item is None:
        abort(404)  # someone else's, or not published yet: not shown to exist
    return item


def _staff_meeting(meeting_id: int) -> Meeting:
    staff_only()
    return scheduled_meeting(meeting_id)


def _table(event: Event, table: str | None) -> str | None:
    tables = table_ids(event)
    if tables and table not in tables:
        invalid("table", _("Choose one of the day's rooms.") if event.mode == EventMode.ONLINE
                else _("Choose one of the day's tables."))
    if not tables and table is not None:
        invalid("table", _("This day has no tables: send null."))
    return table


@blp.post("/meetings/<int:meeting_id>/move")
@blp.arguments(MoveSchema)
@blp.response(200, ScheduledMeetingSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def move(body, meeting_id: int):
    """Staff move a scheduled meeting to a slot (its index) and table, as on the schedule board."""
    item = _staff_meeting(meeting_id)
    event = item.event
    slot = next((s for s in event.slots() if s.index == body["slot"]), None)
    if slot is None:
        invalid("slot", _("Not one of the day's slots."))
    table = _table(event, body["table"])
    done(lambda: board_changes.move(current_user, item, slot, table, version=body["version"]))
    return item


@blp.post("/meetings/<int:meeting_id>/swap")
@blp.arguments(SwapSchema)
@blp.response(200, ScheduledMeetingSchema(many=True))
@_errors
@blp.alt_response(409, response="CONFLICT")
def swap(body, meeting_id: int):
    """Staff exchange the slots and tables of two scheduled meetings of the same day; the answer is both."""
    item = _staff_meeting(meeting_id)
    other = get_or_none(Meeting, body["with_meeting_id"])
    if other is None or other.id == item.id or other.event_id != item.event_id \
            or other.status != MeetingStatus.SCHEDULED:
        invalid("with_meeting_id", _("Choose another scheduled meeting of the same day."))
    done(lambda: board_changes.swap(current_user, item, other, version=body["version"],
                                    other_version=body["with_version"]))
    return [item, other]


def _cancellable(meeting_id: int) -> Meeting:
    staff_only()
    item = get_or_404(Meeting, meeting_id)
    check_office(item.event.program.office_id)
    if item.status != MeetingStatus.SCHEDULED:
        abort(409, _("This meeting is cancelled already."))
    return item


@blp.get("/meetings/<int:meeting_id>/cancellation")
@blp.response(200, CancelPreviewSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def cancellation(meeting_id: int):
    """Staff: what cancelling the meeting does (both sides told, calendars), changing nothing; its `confirm_token`
    goes with the cancel."""
    item = _cancellable(meeting_id)
    return preview_answer(cancel_preview(current_user, item.request), show_time=True)


@blp.post("/meetings/<int:meeting_id>/cancel")
@blp.arguments(CancelSchema)
@blp.response(200, ScheduledMeetingSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def cancel(body, meeting_id: int):
    """Staff cancel the meeting with the preview's `confirm_token`: refused (409) when it changed since."""
    item = _cancellable(meeting_id)
    if body["confirm_token"] is None:
        missing_token("api_schedule.cancellation", meeting_id=item.id)
    done(lambda: cancel_confirmed(current_user, item.request, body["confirm_token"]))
    return item
