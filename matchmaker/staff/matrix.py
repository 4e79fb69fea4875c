"""The staff's view of the recommender for an event: scores, requests and accepted pairs in one matrix."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from matchmaker.enums import OrgKind, ParticipationStatus
from matchmaker.extensions import db
from matchmaker.i18n import format_instant
from matchmaker.models import MeetingRequest, PairRule
from matchmaker.services import ServiceError, recommendations
from matchmaker.staff.routes import bp, office_event


@bp.get("/events/<int:event_id>/matrix")
def matrix(event_id: int):
    event = office_event(event_id)
    sector = request.args.get("sector") or ""
    kind = request.args.get("kind") or ""
    approved = [p.organization for p in event.participations if p.status == ParticipationStatus.APPROVED]
    companies = sorted((o for o in approved if o.kind == OrgKind.COMPANY), key=lambda o: o.name)
    partners = sorted((o for o in approved if o.kind != OrgKind.COMPANY), key=lambda o: o.name)
    if sector:
        companies = [o for o in companies if sector in (o.sectors or {})]
    if kind in (OrgKind.INVESTOR.value, OrgKind.BUYER.value):
        partners = [o for o in partners if o.kind.value == kind]
    recs = db.session.scalars(select(recommendations.Recommendation).where(
        recommendations.Recommendation.event_id == event.id)).all()
    scores = {(r.company_id, r.partner_id): r for r in recs}
    requests = {
        (r.org_low_id, r.org_high_id): r
        for r in db.session.scalars(select(MeetingRequest).where(MeetingRequest.event_id == event.id))
    }
    rules = {
        (r.org_low_id, r.org_high_id): r
        for r in db.session.scalars(select(PairRule).where(PairRule.event_id == event.id))
    }
    sectors = sorted({code for o in approved if o.kind == OrgKind.COMPANY for code in (o.sectors or {})})
    return render_template(
        "staff/matrix.html", event=event, companies=companies, partners=partners, scores=scores,
        requests=requests, rules=rules, sector=sector, kind=kind, sectors=sectors, computed=bool(recs),
    )


@bp.post("/events/<int:event_id>/matrix/recompute")
def recompute(event_id: int):
    event = office_event(event_id)
    recommendations.schedule_recompute([event.id])
    flash(_("The recommendations are being recomputed."), "info")
    return redirect(url_for("staff.matrix", event_id=event.id))


@bp.post("/events/<int:event_id>/matrix/send")
def send_suggestions(event_id: int):
    """E-mail every approved participant its best suggestions, in its own language (once per person)."""
    event = office_event(event_id)
    try:
        sent = recommendations.send_suggestions(current_user, event)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("staff.matrix", event_id=event.id))
    db.session.commit()
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
