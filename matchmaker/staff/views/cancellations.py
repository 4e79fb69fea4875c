"""Staff cancel a meeting through a confirmation page: a GET names the meeting, both sides, its time with the zone
and who is e-mailed (`services.meeting_cancellation`), changing nothing; its button posts with the page's token,
and a meeting that changed meanwhile is refused."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import db_id, get_or_404, get_or_none
from matchmaker.enums import MeetingStatus
from matchmaker.models import Meeting, Participation
from matchmaker.services.meeting_cancellation import cancel_confirmed, cancel_preview
from matchmaker.staff.blueprint import bp
from matchmaker.staff.scope import office_event
from matchmaker.web import perform


def _back(meeting: Meeting) -> tuple[int | None, str]:
    """The participant's page the cancel was opened from (`participation`), else the day's page."""
    ident = request.values.get("participation", type=db_id)
    participation = get_or_none(Participation, ident) if ident else None
    if participation is not None and participation.event_id == meeting.event_id:
        return participation.id, url_for("staff.participant_day", participation_id=participation.id)
    return None, url_for("staff.event", event_id=meeting.event_id)


@bp.get("/meetings/<int:meeting_id>/cancel")
def cancel_meeting_preview(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    office_event(meeting.event_id)
    participation_id, back = _back(meeting)
    if meeting.status != MeetingStatus.SCHEDULED:
        flash(_("This meeting is cancelled already."), "info")
        return redirect(back)
    return render_template("staff/confirmations/cancel_meeting.html", event=meeting.event,
                           preview=cancel_preview(current_user, meeting.request), back=back,
                           participation_id=participation_id)


@bp.post("/meetings/<int:meeting_id>/cancel")
def cancel_meeting(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    office_event(meeting.event_id)
    _participation_id, back = _back(meeting)
    item = meeting.request
    outcome = perform(lambda: cancel_confirmed(current_user, item, request.form.get("token")),
                      _("The meeting of %(a)s and %(b)s is cancelled; both sides are told by e-mail.",
                        a=item.from_org.display_name, b=item.to_org.display_name))
    if not outcome:
        return redirect(url_for("staff.cancel_meeting_preview", meeting_id=meeting.id,
                                participation=_participation_id))
    return redirect(back)
