"""Cancelling a meeting, looked at first: the meeting, both sides, its time, and who is e-mailed (as
`meetings.cancel` picks them), with a token of what was read; cancelling with the token refuses when the meeting
changed meanwhile (moved, already cancelled). Used by staff and by either side. It never commits."""

import hashlib
from dataclasses import dataclass, field

from flask_babel import gettext

from matchmaker.enums import MeetingStatus, RequestStatus
from matchmaker.models import Meeting, MeetingRequest, User
from matchmaker.services import ServiceError
from matchmaker.services import meetings as meeting_service


@dataclass
class CancelPreview:
    item: MeetingRequest
    meeting: Meeting | None  # the scheduled meeting freed, if it was placed
    told: list[User] = field(default_factory=list)  # e-mailed that it is cancelled
    calendars: list[User] = field(default_factory=list)  # sent a calendar cancellation (the invite was sent)
    token: str = ""


def _active(org) -> list[User]:
    return [u for u in org.users if u.active]


def cancel_preview(actor: User, item: MeetingRequest) -> CancelPreview:
    """What `meetings.cancel(actor, item)` does now: staff tell both sides, a side tells the other one; a
    published meeting whose invitation went out gets a calendar cancellation to both sides."""
    meeting = item.meeting if item.meeting is not None and item.meeting.status == MeetingStatus.SCHEDULED else None
    sides = [item.from_org, item.to_org]
    if not actor.is_staff:
        sides = [item.to_org if actor.organization_id == item.from_org_id else item.from_org]
    preview = CancelPreview(item, meeting, [u for org in sides for u in _active(org)])
    if meeting is not None and item.event.published and meeting.invited_sequence is not None:
        preview.calendars = _active(item.from_org) + _active(item.to_org)
    state = f"{item.id}:{item.status.value}"
    if meeting is not None:
        state += f":{meeting.id}:{meeting.sequence}:{meeting.start_dt.isoformat()}:{meeting.table_label}"
    preview.token = hashlib.sha256(state.encode()).hexdigest()[:32]
    return preview


def cancel_confirmed(actor: User, item: MeetingRequest, token: str | None) -> None:
    """`meetings.cancel`, refused when the request or its meeting is not what the confirmation page showed."""
    if item.status not in (RequestStatus.REQUESTED, RequestStatus.ACCEPTED):
        raise ServiceError(gettext("This request is already closed."))
    if token != cancel_preview(actor, item).token:
        raise ServiceError(gettext("The meeting changed since you looked at it (it may have moved): "
                                   "look at it again before cancelling."))
    meeting_service.cancel(actor, item)
