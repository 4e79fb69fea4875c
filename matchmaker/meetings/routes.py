"""A company's or partner's own requests and agenda. Issue #3 adds requesting and answering."""

from flask import Blueprint, abort, g, render_template
from flask_login import current_user
from sqlalchemy import or_, select

from matchmaker.access import get_or_404, member_required, require_involved
from matchmaker.enums import MeetingStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingRequest

bp = Blueprint("meetings", __name__)


def _mine(query):
    org_id = current_user.organization_id
    return query.where(or_(MeetingRequest.from_org_id == org_id, MeetingRequest.to_org_id == org_id))


@bp.get("/requests")
@member_required
def requests():
    items = db.session.scalars(
        _mine(select(MeetingRequest)).order_by(MeetingRequest.created_dt.desc())
    ).all()
    return render_template("meetings/requests.html", items=items)


@bp.get("/requests/<int:request_id>")
@member_required
def request_detail(request_id: int):
    item = get_or_404(MeetingRequest, request_id)
    require_involved(item)
    return render_template("meetings/request.html", item=item)


@bp.get("/agenda")
@member_required
def agenda():
    meetings = db.session.scalars(
        _mine(select(Meeting).join(MeetingRequest))
        .join(Event, Meeting.event_id == Event.id)
        .where(Event.published.is_(True), Meeting.status == MeetingStatus.SCHEDULED)
        .order_by(Meeting.start_dt)
    ).all()
    return render_template("meetings/agenda.html", meetings=meetings)


@bp.get("/meetings/<int:meeting_id>")
@member_required
def meeting_detail(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    require_involved(meeting.request)
    if not meeting.event.published:
        abort(404)  # unpublished schedules are not shown to participants
    g.event_timezone = meeting.event.timezone
    return render_template("meetings/meeting.html", meeting=meeting)
