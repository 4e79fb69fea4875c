"""The staff's view of the recommender for an event: scores, requests and accepted pairs in one matrix."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from matchmaker.enums import OrgKind, ParticipationStatus
from matchmaker.extensions import db
from matchmaker.models import MeetingRequest, PairRule
from matchmaker.services import audit, recommendations
from matchmaker.services.mail import queue_email
from matchmaker.staff.routes import bp, office_event

SUGGESTIONS_PER_EMAIL = 5


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
    """E-mail every approved participant its best suggestions, in its own language."""
    event = office_event(event_id)
    count = 0
    for participation in event.participations:
        if participation.status != ParticipationStatus.APPROVED:
            continue
        org = participation.organization
        items = (
            recommendations.for_company(event, org) if org.kind == OrgKind.COMPANY
            else recommendations.for_partner(event, org)
        )[:SUGGESTIONS_PER_EMAIL]
        if not items:
            continue
        names = [(r.partner if org.kind == OrgKind.COMPANY else r.company).display_name for r in items]
        for user in org.users:
            if user.active:
                queue_email(user, "suggestions", _l("Who to meet at %(event)s", event=event.title),
                            "suggestions", event=event, names=names)
                count += 1
    audit.record(current_user, "send_suggestions", event, messages=count)
    db.session.commit()
    flash(ngettext("Suggestions sent: %(num)d e-mail.", "Suggestions sent: %(num)d e-mails.", count), "success")
    return redirect(url_for("staff.matrix", event_id=event.id))
