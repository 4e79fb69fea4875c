"""The day of the event at the desk: check-in by search or by the code on the agenda, a participant's day,
no-shows (absent for the day, or missing one meeting) and their ledger. The live board, the printouts and the
walk-ins are their own topics beside this one (`live_board`, `printouts`, `walkins`)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchmaker.access import db_id, get_or_404, get_or_none
from matchmaker.enums import Attendance, NoShowReason
from matchmaker.fields import options
from matchmaker.models import Event, Meeting, Organization, Participation
from matchmaker.services import checkin as checkin_service
from matchmaker.services import dayops as dayops_service
from matchmaker.services.queries import office_scope
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.dayops import REASON_LABELS, AbsentForm, CheckInForm, MissedMeetingForm
from matchmaker.staff.scope import check_office, office_event, offices
from matchmaker.web import perform


def _participation(participation_id: int) -> Participation:
    participation = get_or_404(Participation, participation_id)
    office_event(participation.event_id)
    return participation


@bp.get("/events/<int:event_id>/checkin")
def checkin(event_id: int):
    event = office_event(event_id)
    term = (request.args.get("q") or "").strip()
    participations = checkin_service.search_participants(event, term)
    return render_template(
        "staff/dayops/checkin.html", event=event, participations=participations, q=term,
        checkin_form=CheckInForm(), absent_form=AbsentForm(), REASON_LABELS=REASON_LABELS,
    )


@bp.post("/participations/<int:participation_id>/checkin")
def check_in(participation_id: int):
    participation = _participation(participation_id)
    form = CheckInForm()
    if form.validate_on_submit():
        _check_in(participation)
    else:
        flash(_("The form has expired; please try again."), "error")
    term = (form.q.data or "").strip()
    return redirect(url_for("staff.checkin", event_id=participation.event_id, q=term or None))


def _check_in(participation: Participation) -> None:
    name = participation.organization.display_name
    outcome = perform(lambda: checkin_service.check_in(current_user, participation))
    if outcome and outcome.value:
        flash(_("%(name)s is checked in.", name=name), "success")
    elif outcome:
        flash(_("%(name)s was already checked in.", name=name), "info")


@bp.post("/events/<int:event_id>/checkin/bulk")
def check_in_bulk(event_id: int):
    """Check in the participants ticked on the check-in page, in one go."""
    event = office_event(event_id)
    form = CheckInForm()
    term = (form.q.data or "").strip()
    back = redirect(url_for("staff.checkin", event_id=event.id, q=term or None))
    if not form.validate_on_submit():
        flash(_("The form has expired; please try again."), "error")
        return back
    try:
        ids = {db_id(v) for v in request.form.getlist("participation")}
    except ValueError:
        abort(400)
    participations = checkin_service.participations_in(event, ids)
    if len(participations) != len(ids):
        abort(404)
    if not participations:
        flash(_("Tick at least one participant first."), "error")
        return back
    outcome = perform(lambda: checkin_service.check_in_many(current_user, participations),
                      lambda done: ngettext("%(num)d participant is checked in.",
                                            "%(num)d participants are checked in.", done))
    if outcome and outcome.value < len(participations):
        flash(ngettext("%(num)d was checked in already.", "%(num)d were checked in already.",
                       len(participations) - outcome.value), "info")
    return back


@bp.get("/participations/<int:participation_id>/did-not-come")
def did_not_come(participation_id: int):
    """The participant page's one choice: absent for the day (its confirmation page) or a no-show at one meeting
    (the meetings' forms)."""
    participation = _participation(participation_id)
    kind = request.args.get("kind")
    if kind == "absent":
        return redirect(url_for("staff.absent_preview", participation_id=participation.id))
    if kind != "noshow":
        flash(_("Choose whether they are absent for the day or missed one meeting."), "error")
    return redirect(url_for("staff.participant_day", participation_id=participation.id, _anchor="meetings"))


@bp.route("/checkin/<token>", methods=["GET", "POST"])
def checkin_scan(token: str):
    """What staff's phone opens from the code on an agenda: who it is and their day; checking in is a
    POST (the button), never the GET itself."""
    participation = checkin_service.read_checkin_token(token)
    if participation is None:
        return render_template("meetings/checkin/bad_code.html"), 404
    office_event(participation.event_id)
    form = CheckInForm()
    if request.method == "POST":
        if form.validate_on_submit():
            _check_in(participation)
        else:
            flash(_("The form has expired; please try again."), "error")
        return redirect(url_for("staff.checkin_scan", token=token))
    return _participant_page(participation, form, url_for("staff.checkin_scan", token=token))


@bp.get("/participations/<int:participation_id>/day")
def participant_day(participation_id: int):
    participation = _participation(participation_id)
    form = CheckInForm()
    return _participant_page(participation, form, url_for("staff.check_in", participation_id=participation.id))


def _participant_page(participation: Participation, form: CheckInForm, checkin_action: str,
                      absent_form: AbsentForm | None = None, missed_form: MissedMeetingForm | None = None,
                      missed_meeting_id: int | None = None):
    """`missed_form`, `missed_meeting_id`: a no-show form sent back with its errors, for that meeting's row."""
    event = participation.event
    meetings = checkin_service.meetings_of(event, participation.organization_id)
    return render_template(
        "staff/dayops/participant.html", event=event, participation=participation, meetings=meetings,
        checkin_form=form, checkin_action=checkin_action, absent_form=absent_form or AbsentForm(),
        missed_form=missed_form or MissedMeetingForm(formdata=None), missed_meeting_id=missed_meeting_id,
        REASON_LABELS=REASON_LABELS,
    )


@bp.post("/participations/<int:participation_id>/absent")
def mark_absent(participation_id: int):
    participation = _participation(participation_id)
    form = AbsentForm()
    if not form.validate_on_submit():
        # The participant's page again, the form open with what was typed and the message under the reason,
        # rather than a redirect that loses it.
        form.reason.errors = [_("Choose the reason for the absence.")]
        action = url_for("staff.check_in", participation_id=participation.id)
        return _participant_page(participation, CheckInForm(formdata=None), action, absent_form=form), 400
    if participation.attendance == Attendance.ABSENT:  # a second click, or a colleague was quicker
        flash(_("%(name)s is already marked absent.", name=participation.organization.display_name), "info")
        return redirect(url_for("staff.walkins", event_id=participation.event_id))
    outcome = perform(
        lambda: dayops_service.mark_absent(current_user, participation, NoShowReason(form.reason.data),
                                           form.note.data),
        lambda freed: ngettext(
            "%(name)s is marked absent; %(num)d meeting is cancelled and the counterpart told.",
            "%(name)s is marked absent; %(num)d meetings are cancelled and their counterparts told.",
            len(freed), name=participation.organization.display_name),
    )
    if not outcome:
        return redirect(url_for("staff.checkin", event_id=participation.event_id))
    return redirect(url_for("staff.walkins", event_id=participation.event_id))


@bp.post("/meetings/<int:meeting_id>/missed")
def record_missed(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    event = office_event(meeting.event_id)
    sides = (meeting.request.from_org, meeting.request.to_org)
    form = MissedMeetingForm()
    form.organization_id.choices = options((o.id, o.display_name) for o in sides)
    back = request.form.get("participation_id", type=db_id)
    participation = get_or_none(Participation, back) if back else None
    if participation is not None and participation.event_id != event.id:
        participation = None
    if not form.validate_on_submit():
        if participation is None:
            flash(_("Choose who did not come and why."), "error")
            return redirect(url_for("staff.checkin", event_id=event.id))
        # The participant's page again, this meeting's form with what was typed and the message under the reason.
        form.reason.errors = [_("Choose why they did not come.")]
        action = url_for("staff.check_in", participation_id=participation.id)
        return _participant_page(participation, CheckInForm(formdata=None), action, missed_form=form,
                                 missed_meeting_id=meeting.id), 400
    organization = get_or_none(Organization, form.organization_id.data)
    perform(lambda: dayops_service.record_missed_meeting(current_user, meeting, organization,
                                                         NoShowReason(form.reason.data), form.note.data),
            lambda _entry: _("The no-show of %(name)s is recorded.", name=organization.display_name))
    if participation is not None:
        return redirect(url_for("staff.participant_day", participation_id=participation.id))
    return redirect(url_for("staff.checkin", event_id=event.id))


@bp.get("/noshows")
def noshows():
    """The ledger of no-shows of the staff member's office (every office for admins and office-less
    staff), by event and organization."""
    managed = offices()
    office_ids = None if office_scope(current_user) is None else [o.id for o in managed]
    events = dayops_service.ledger_events([o.id for o in managed])
    event_id = request.args.get("event", type=int)
    org_id = request.args.get("org", type=int)
    if event_id is not None:
        check_office(get_or_404(Event, event_id).program.office_id)
    organization = get_or_404(Organization, org_id) if org_id is not None else None
    entries = dayops_service.ledger(office_ids, event_id, org_id)
    return render_template("staff/dayops/noshows.html", entries=entries, events=events, event_id=event_id,
                           organization=organization, recorders=dayops_service.recorder_names(entries),
                           REASON_LABELS=REASON_LABELS)
