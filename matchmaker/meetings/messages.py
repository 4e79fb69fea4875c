"""Messages between the two sides of a request: the thread shown on the request and meeting pages (through
`templates/meetings/_thread.html`), its own page, and posting (through the messages service, by
`matchmaker.web.perform`). A message that is refused comes back on the thread's page with what was typed."""

from flask import g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_404, member_required, require_involved
from matchmaker.enums import MeetingStatus
from matchmaker.meetings.forms import MessageForm
from matchmaker.meetings.routes import bp
from matchmaker.models import MeetingRequest
from matchmaker.services import messages as service
from matchmaker.web import perform


def _message_form(back: str = "") -> MessageForm:
    form = MessageForm(prefix="message")
    if not form.back.data:
        form.back.data = back
    return form


@bp.app_context_processor
def _thread_helpers():
    """Callables, so that pages which never show a thread cost no query."""
    return {"message_thread": service.thread_of, "message_form": _message_form, "can_post_message": service.can_post}


def _meeting_shown(item: MeetingRequest) -> bool:
    """Whether the request has a meeting page its members may open."""
    meeting = item.meeting
    return meeting is not None and meeting.status == MeetingStatus.SCHEDULED and item.event.published


def _back_to(item: MeetingRequest, back: str | None) -> str:
    """The page the message was written on: the meeting's (when it is shown) or the request's."""
    if back == "meeting" and _meeting_shown(item):
        return url_for("meetings.meeting_detail", meeting_id=item.meeting.id, _anchor="messages")
    return url_for("meetings.request_detail", request_id=item.id, _anchor="messages")


@bp.route("/requests/<int:request_id>/messages", methods=["GET", "POST"])
@member_required
def thread(request_id: int):
    """The thread on a page of its own; where a message is posted (and shown again with the reason when refused)."""
    item = get_or_404(MeetingRequest, request_id)
    require_involved(item)
    g.event_timezone = item.event.timezone
    form = _message_form()
    if form.validate_on_submit() and perform(
        lambda: service.post_message(current_user, item, form.body.data),
        _("Your message is sent; they get an e-mail about it."), error_field=form.body,
    ):
        return redirect(_back_to(item, form.back.data))
    other = item.other_org(current_user.organization_id)
    back_to_meeting = form.back.data == "meeting" and _meeting_shown(item)
    return render_template("meetings/thread.html", item=item, other=other, form=form,
                           back_url=_back_to(item, form.back.data), back_to_meeting=back_to_meeting)
