"""One decision on several applications at once (ticked on the review queue or on a day's participant list), with
one reason: a GET shows what it will do (`services.bulk_decisions.preview`), changing nothing; the page's button
posts the decision with the preview's token, and `bulk_decisions.decide_all` does it all or nothing."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchmaker.access import db_id
from matchmaker.models import Participation
from matchmaker.services import bulk_decisions
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.registrations import DecisionForm
from matchmaker.staff.scope import check_office, office_event
from matchmaker.web import perform

MAX_SELECTED = 500


def _ids(values: list[str]) -> list[int]:
    ids = []
    for value in values[:MAX_SELECTED]:
        try:
            ids.append(db_id(value))
        except ValueError:
            abort(400)
    return ids


def _selection(ids: list[int]) -> list[Participation]:
    """The ticked participations, every one of an office the staff member manages (403 otherwise)."""
    participations = bulk_decisions.selected(ids)
    for p in participations:
        check_office(p.event.program.office_id)
    return participations


def _back() -> tuple[int | None, str]:
    """Where the selection was made: a day's page (`event`) or the review queue."""
    event_id = request.values.get("event", type=db_id)
    if event_id is None:
        return None, url_for("staff.reviews")
    office_event(event_id)
    return event_id, url_for("staff.event", event_id=event_id)


def _decision() -> bool:
    decision = request.values.get("decision")
    if decision not in ("approve", "reject"):
        abort(400)
    return decision == "approve"


def _page(participations, approve: bool, event_id: int | None, back: str, form: DecisionForm, status: int = 200):
    return render_template("staff/confirmations/bulk_decision.html", result=bulk_decisions.preview(
        participations, approve), event_id=event_id, back=back, form=form), status


@bp.get("/participations/decide")
def bulk_decision_preview():
    approve = _decision()
    event_id, back = _back()
    participations = _selection(_ids(request.args.getlist("participation")))
    if not participations:
        flash(_("Tick at least one application first."), "error")
        return redirect(back)
    form = DecisionForm(formdata=None, reason=request.args.get("reason", ""))
    if not approve and not (form.reason.data or "").strip():
        form.reason.errors = [_("Give the applicants a reason for the rejection.")]
    return _page(participations, approve, event_id, back, form)


@bp.post("/participations/decide")
def bulk_decide():
    approve = _decision()
    event_id, back = _back()
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    expected = {}
    for item in request.form.getlist("item")[:MAX_SELECTED]:  # "<id>:<status>", as the page showed them
        ident, _colon, status = item.partition(":")
        expected[_ids([ident])[0]] = status
    participations = _selection(list(expected))
    if not approve and not (form.reason.data or "").strip():  # under the field, the selection shown again
        form.reason.errors = [_("Give the applicants a reason for the rejection.")]
        return _page(participations, approve, event_id, back, form, 400)
    token = request.form.get("token")
    outcome = perform(
        lambda: bulk_decisions.decide_all(current_user, participations, approve, form.reason.data, expected, token),
        lambda done: ngettext("%(num)d application approved; the applicants are told by e-mail.",
                              "%(num)d applications approved; the applicants are told by e-mail.", done)
        if approve else ngettext("%(num)d application rejected; the applicants are told by e-mail.",
                                 "%(num)d applications rejected; the applicants are told by e-mail.", done),
    )
    if not outcome:  # the page again, read anew, with the message and what was typed kept
        return _page(participations, approve, event_id, back, form, 409)
    return redirect(back)
