"""The staff's view of the recommender for a day: scores, requests and accepted pairs in one matrix (read by
`services.day_pairs`), recomputing it, and e-mailing every participant its best suggestions."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchmaker.i18n import format_instant
from matchmaker.services import day_pairs, recommendations
from matchmaker.staff.blueprint import bp
from matchmaker.staff.scope import office_event
from matchmaker.web import perform


@bp.get("/events/<int:event_id>/matrix")
def matrix(event_id: int):
    event = office_event(event_id)
    sector = request.args.get("sector") or ""
    kind = request.args.get("kind") or ""
    shown = day_pairs.matrix(event, sector, kind)
    return render_template(
        "staff/matrix/matrix.html", event=event, companies=shown.companies, partners=shown.partners,
        scores=shown.scores, requests=shown.requests, rules=shown.rules, sector=sector, kind=kind,
        sectors=shown.sectors, computed=shown.computed,
    )


@bp.post("/events/<int:event_id>/matrix/recompute")
def recompute(event_id: int):
    event = office_event(event_id)
    if perform(lambda: recommendations.schedule_recompute([event.id])):
        flash(_("The recommendations are being recomputed."), "info")
    return redirect(url_for("staff.matrix", event_id=event.id))


@bp.post("/events/<int:event_id>/matrix/send")
def send_suggestions(event_id: int):
    """E-mail every approved participant its best suggestions, in its own language (once per person)."""
    event = office_event(event_id)
    outcome = perform(lambda: recommendations.send_suggestions(current_user, event))
    if not outcome:
        return redirect(url_for("staff.matrix", event_id=event.id))
    sent = outcome.value
    if sent.first_sent_dt is None:
        flash(ngettext("Suggestions sent: %(num)d e-mail.", "Suggestions sent: %(num)d e-mails.", sent.count),
              "success")
    elif sent.count:
        flash(ngettext("Suggestions were already sent %(when)s; %(num)d e-mail went to people approved since.",
                       "Suggestions were already sent %(when)s; %(num)d e-mails went to people approved since.",
                       sent.count, when=format_instant(sent.first_sent_dt)), "success")
    else:
        flash(_("Suggestions were already sent %(when)s, to everyone approved; nothing was sent again.",
                when=format_instant(sent.first_sent_dt)), "info")
    return redirect(url_for("staff.matrix", event_id=event.id))
