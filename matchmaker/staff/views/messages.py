"""The messages between the two sides of a day's requests, for staff to read (never to write): the day's threads,
and one thread. Staff of another office get 403 (`staff.scope.office_event`)."""

from flask import abort, render_template

from matchmaker.access import get_or_404
from matchmaker.models import MeetingRequest
from matchmaker.services import messages as service
from matchmaker.staff.blueprint import bp
from matchmaker.staff.scope import office_event


@bp.get("/events/<int:event_id>/messages")
def event_messages(event_id: int):
    """Every request of the day that has messages, newest thread first."""
    event = office_event(event_id)
    return render_template("staff/messages/index.html", event=event, threads=service.threads_of_event(event))


@bp.get("/events/<int:event_id>/messages/<int:request_id>")
def event_thread(event_id: int, request_id: int):
    event = office_event(event_id)
    item = get_or_404(MeetingRequest, request_id)
    if item.event_id != event.id:
        abort(404)
    return render_template("staff/messages/thread.html", event=event, item=item, messages=service.thread_of(item))
