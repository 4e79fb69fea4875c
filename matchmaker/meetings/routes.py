"""A company's or partner's side of a matchmaking day: counterparts, requests, answers, availability,
agenda. Views check who may act, then call the meetings service; they change state only through services, by
`matchmaker.web.perform`."""

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_404, member_required, require_involved
from matchmaker.enums import OrgKind, ParticipationStatus, RequestStatus, SchedulingMode
from matchmaker.fields import options
from matchmaker.i18n import format_instant
from matchmaker.meetings.forms import AcceptForm, AvailabilityForm, RequestForm
from matchmaker.models import Event, Meeting, MeetingRequest, Organization, Participation
from matchmaker.services import invites, proposals, recommendations
from matchmaker.services import meeting_cancellation as cancellation
from matchmaker.services import meetings as service
from matchmaker.services.availability import save_availability, slots_within, working_hours_default
from matchmaker.services.placement import free_slots
from matchmaker.services.queries import agenda_meetings, calendar_feed_user, counterparts_of, member_participation
from matchmaker.services.shortlist import shortlisted_ids
from matchmaker.web import perform

bp = Blueprint("meetings", __name__)


def _my_approved_participation(event: Event) -> Participation:
    participation = member_participation(event.id, current_user.organization_id)
    if participation is None or participation.status != ParticipationStatus.APPROVED:
        abort(403)
    return participation


def my_event(event_id: int) -> Event:
    """An event the current member takes part in (approved), shown in the event's zone by default."""
    event = get_or_404(Event, event_id)
    _my_approved_participation(event)
    g.event_timezone = event.timezone
    return event


@bp.route("/events/<int:event_id>/request/<int:org_id>", methods=["GET", "POST"])
@member_required
def new_request(event_id: int, org_id: int):
    event = get_or_404(Event, event_id)
    _my_approved_participation(event)
    target = get_or_404(Organization, org_id)
    form = RequestForm()
    # A check that changes nothing: its refusal is shown like a refused request's.
    if not perform(lambda: service.check_can_request(event, current_user.organization, target)):
        return redirect(url_for("meetings.counterparts", event_id=event.id))
    if form.validate_on_submit():
        sent = perform(lambda: service.request_meeting(current_user, event, target, form.message.data),
                       lambda item: _("Your request is sent to %(name)s.", name=target.display_name))
        if sent:
            return redirect(url_for("meetings.request_detail", request_id=sent.value.id))
    return render_template("meetings/request_form.html", event=event, target=target, form=form)


@bp.get("/requests")
@member_required
def requests():
    items = service.requests_newest_first(current_user.organization_id)
    return render_template("meetings/requests.html", items=items)


def _load_request(request_id: int) -> MeetingRequest:
    item = get_or_404(MeetingRequest, request_id)
    require_involved(item)
    # Only a waiting request past its day's deadline has anything to commit (a commit reloads every row read).
    if item.status == RequestStatus.REQUESTED and service.deadline_passed(item.event):
        perform(lambda: service.expire_if_due(item))
    g.event_timezone = item.event.timezone
    return item


@bp.route("/requests/<int:request_id>", methods=["GET", "POST"])
@member_required
def request_detail(request_id: int):
    item = _load_request(request_id)
    accept_form = AcceptForm(prefix="accept")
    edit_form = RequestForm(prefix="edit", obj=item)
    free = []
    if item.to_org_id == current_user.organization_id and item.status == RequestStatus.REQUESTED:
        if item.event.scheduling == SchedulingMode.PICK:
            free = free_slots(item)
            accept_form.slot.choices = options((s.index, format_instant(s.start)) for s in free)
    if edit_form.submit.data and edit_form.validate_on_submit():
        return _act(item, lambda: service.edit_request(current_user, item, edit_form.message.data),
                    _("Your request is updated."))
    return render_template(
        "meetings/request.html", item=item, accept_form=accept_form, edit_form=edit_form, free=free,
    )


@bp.post("/requests/<int:request_id>/accept")
@member_required
def accept(request_id: int):
    item = _load_request(request_id)
    form = AcceptForm(prefix="accept")
    slot = None
    if item.event.scheduling == SchedulingMode.PICK:
        # Any slot of the day passes the form: the service says when the one picked was taken meanwhile.
        slots = item.event.slots()
        form.slot.choices = options((s.index, "") for s in slots)
        if not form.validate_on_submit() or form.slot.data is None:
            flash(_("Choose a time for the meeting."), "error")
            return redirect(url_for("meetings.request_detail", request_id=item.id))
        slot = next((s for s in slots if s.index == form.slot.data), None)
    return _act(item, lambda: service.accept(current_user, item, slot), _("You accepted the meeting."))


@bp.post("/requests/<int:request_id>/decline")
@member_required
def decline(request_id: int):
    item = _load_request(request_id)
    return _act(item, lambda: service.decline(current_user, item), _("You declined the meeting."))


@bp.get("/requests/<int:request_id>/cancel")
@member_required
def cancel_preview(request_id: int):
    """What cancelling an accepted meeting does (who is told, its time), before the one button that does it."""
    item = _load_request(request_id)
    if item.status != RequestStatus.ACCEPTED:
        return redirect(url_for("meetings.request_detail", request_id=item.id))
    show_time = item.event.published or item.event.scheduling == SchedulingMode.PICK
    return render_template("meetings/cancel.html", preview=cancellation.cancel_preview(current_user, item),
                           show_time=show_time)


@bp.post("/requests/<int:request_id>/cancel")
@member_required
def cancel(request_id: int):
    item = _load_request(request_id)
    if item.status == RequestStatus.ACCEPTED:  # a meeting: confirmed on its page first, and the other side knows
        token = request.form.get("token")
        if token is None:
            return redirect(url_for("meetings.cancel_preview", request_id=item.id))
        other = item.to_org if item.from_org_id == current_user.organization_id else item.from_org
        done = _("The meeting is cancelled; %(name)s is told by e-mail.", name=other.display_name)
        return _act(item, lambda: cancellation.cancel_confirmed(current_user, item, token), done)
    return _act(item, lambda: service.cancel(current_user, item), _("The request is cancelled."))


def _act(item: MeetingRequest, action, success: str):
    perform(action, success)
    return redirect(url_for("meetings.request_detail", request_id=item.id))


@bp.route("/events/<int:event_id>/availability", methods=["GET", "POST"])
@member_required
def availability(event_id: int):
    event = get_or_404(Event, event_id)
    participation = _my_approved_participation(event)
    g.event_timezone = event.timezone
    slots = event.slots()
    form = AvailabilityForm()
    form.slots.choices = options((s.index, "") for s in slots)
    if request.method == "GET":
        chosen = (
            slots_within(slots, participation.availability) if participation.availability
            else working_hours_default(slots, current_user.organization.timezone or current_user.timezone)
        )
        form.slots.data = [s.index for s in chosen]
    if form.validate_on_submit() and perform(
        lambda: save_availability(current_user, participation, slots, form.slots.data or []),
        _("Your availability is saved."), error_field=form.slots,
    ):
        return redirect(url_for("meetings.availability", event_id=event.id))
    other_zone = event.timezone if event.timezone != current_user.timezone else None
    return render_template("meetings/availability.html", event=event, form=form, slots=slots,
                           other_zone=other_zone)


@bp.get("/agenda")
@member_required
def agenda():
    meetings = agenda_meetings(current_user.organization_id)
    return render_template("meetings/agenda.html", meetings=meetings)


@bp.get("/meetings/<int:meeting_id>")
@member_required
def meeting_detail(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    require_involved(meeting.request)
    if not meeting.event.published:
        abort(404)  # participants see a schedule only once it is published
    g.event_timezone = meeting.event.timezone
    return render_template("meetings/meeting.html", meeting=meeting,
                           panel=proposals.panel(meeting, current_user.organization),
                           calendar_links=invites.add_to_calendar(meeting, current_user))


def _recommended_for(event: Event, mine: Organization) -> list:
    if mine.kind == OrgKind.COMPANY:
        return recommendations.for_company(event, mine)
    return recommendations.for_partner(event, mine)


@bp.get("/events/<int:event_id>/recommended")
@member_required
def recommended(event_id: int):
    """'Recommended for you': the recommender's best counterparts, with its reasons."""
    event = my_event(event_id)
    mine = current_user.organization
    items = _recommended_for(event, mine)
    # Nothing stored for the day yet (a partner's list may also be empty for good): compute, and read again in
    # case the job ran at once.
    if not items and not recommendations.cached(event):
        recommendations.schedule_recompute([event.id])  # a page that only reads: the job is enqueued at once
        items = _recommended_for(event, mine)
    is_company = mine.kind == OrgKind.COMPANY
    shortlist = shortlisted_ids(mine.id)
    if shortlist and (items or recommendations.cached(event)):  # the member's stars first, the ranking kept
        items = recommendations.shortlist_first(items, counterparts_of(event.id, mine), shortlist, is_company)
    existing = service.requests_by_counterpart(event.id, current_user.organization_id)
    return render_template("meetings/recommended.html", event=event, items=items, existing=existing,
                           is_company=is_company, shortlist=shortlist)


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    """The personal feed: the secret token is the key, so calendar apps can poll without signing in."""
    user = calendar_feed_user(token)
    if user is None or not user.active or not user.is_member:
        abort(404)
    response = Response(invites.feed_for(user), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="matchmaker.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.post("/calendar/renew")
@member_required
def renew_calendar_link():
    perform(lambda: invites.feed_token(current_user, renew=True),
            _("Your calendar link is renewed; the old one no longer works."))
    return redirect(url_for("profiles.settings"))
