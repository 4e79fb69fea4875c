"""A request's state in words, for every page that shows one (members' and staff's alike): `request_status(r)`
in a template gives its label and, when a scheduler run could not place it, why and what would help
(`services.request_states`); `unscheduled_requests()` the member's accepted requests not (yet) on the agenda."""

from flask_login import current_user

from matchmaker.meetings.routes import bp
from matchmaker.models import MeetingRequest
from matchmaker.services.request_states import StateText, accepted_not_scheduled, describe


@bp.app_template_global()
def request_status(item: MeetingRequest) -> StateText:
    return describe(item)


@bp.app_template_global()
def unscheduled_requests() -> list[MeetingRequest]:
    """For the member's agenda: accepted requests waiting for the schedule or that a run could not place."""
    if not (current_user.is_authenticated and current_user.is_member and current_user.organization_id):
        return []
    return accepted_not_scheduled(current_user.organization_id)
