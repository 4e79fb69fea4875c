"""Members' feedback after their meetings: the list of meetings awaiting it, and the form per meeting (saved through
the feedback service, by `matchmaker.web.perform`)."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_404, member_required, require_involved
from matchmaker.enums import MeetingStatus, Outcome
from matchmaker.meetings.forms import FeedbackForm
from matchmaker.meetings.routes import bp
from matchmaker.models import Meeting
from matchmaker.services import feedback as service
from matchmaker.vocabulary import outcome_label
from matchmaker.web import perform


def _my_feedback(meeting: Meeting):
    """This request's cache of the member's own feedback, for the agenda's cells."""
    if "my_feedback" not in g:
        g.my_feedback = service.given_by(current_user.organization_id)
    return g.my_feedback.get(meeting.id)


def _awaiting_count() -> int:
    if "feedback_awaiting" not in g:
        g.feedback_awaiting = service.awaiting_count(current_user.organization_id)
    return g.feedback_awaiting


@bp.app_context_processor
def _feedback_helpers():
    """Callables, so that pages which never show them cost no query."""
    return {
        "feedback_awaiting_count": _awaiting_count,
        "my_feedback": _my_feedback,
        "feedback_open": service.can_give,
        "outcome_label": outcome_label,
    }


@bp.get("/feedback")
@member_required
def feedback_list():
    meetings = service.started_meetings(current_user.organization_id)
    given = service.given_by(current_user.organization_id)
    awaiting = service.awaiting_among(meetings, given)
    done = [m for m in meetings if m.id in given]
    return render_template("meetings/feedback/list.html", awaiting=awaiting, done=done, given=given)


@bp.route("/meetings/<int:meeting_id>/feedback", methods=["GET", "POST"])
@member_required
def feedback(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    require_involved(meeting.request)
    if not meeting.event.published or meeting.status != MeetingStatus.SCHEDULED:
        abort(404)
    g.event_timezone = meeting.event.timezone
    if not service.can_give(meeting):
        flash(_("You can give feedback once the meeting has started."), "info")
        return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    existing = service.feedback_of(meeting, current_user.organization_id)
    form = FeedbackForm(obj=existing)
    if request.method == "GET" and existing is not None:
        form.outcome.data = existing.outcome.value
    if form.validate_on_submit() and perform(
        lambda: service.save_feedback(
            current_user, meeting, rating=form.rating.data, follow_up=form.follow_up.data,
            outcome=Outcome(form.outcome.data), amount_usd=form.amount_usd.data,
            expected_amount_usd=form.expected_amount_usd.data, comment=form.comment.data,
        ),
        _("Thank you: your feedback is saved. You can update it later."),
    ):
        return redirect(url_for("meetings.feedback_list"))
    other = meeting.request.other_org(current_user.organization_id)
    return render_template("meetings/feedback/form.html", meeting=meeting, other=other, form=form, existing=existing)
