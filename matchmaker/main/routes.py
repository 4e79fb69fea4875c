"""The front page (the offices and their coming days), the language menu, and the signed-in dashboard (staff and
admins go on to their own areas). The language picked is saved through the accounts service, by
`matchmaker.web.perform`."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import refresh
from flask_login import current_user, login_required

from matchmaker.enums import ParticipationStatus, RequestStatus
from matchmaker.models import Program
from matchmaker.services import accounts
from matchmaker.services.queries import (
    all_offices,
    coming_meetings_of,
    latest_requests_of,
    participations_of,
    upcoming_events,
)
from matchmaker.web import perform

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    offices = all_offices()
    by_office = {office.id: [] for office in offices}
    for event in upcoming_events():
        by_office[event.program.office_id].append(event)
    return render_template("main/home.html", offices=offices, by_office=by_office)


@bp.post("/language")
def set_language():
    code = request.form.get("lang", "")
    if code not in current_app.config["LANGUAGES"]:
        abort(400, "unknown language")
    if current_user.is_authenticated:
        perform(lambda: accounts.set_locale(current_user, code))
    refresh()
    target = request.form.get("next", "")
    # Same checks as after login: a local path, not //host, no backslash, no control characters.
    if not target.startswith("/") or target.startswith("//") or "\\" in target or not target.isprintable():
        target = url_for("main.home")
    response = redirect(target)
    response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.get("/dashboard")
@login_required
def dashboard():
    if current_user.is_admin:
        return redirect(url_for("admin.index"))
    if current_user.is_staff:
        return redirect(url_for("staff.index"))
    org_id = current_user.organization_id
    participations = participations_of(org_id)
    requests = latest_requests_of(org_id, limit=10)
    meetings = coming_meetings_of(org_id, limit=10)
    open_events = [
        e for e in upcoming_events() if e.id not in {p.event_id for p in participations}
    ]
    return render_template(
        "main/dashboard.html",
        participations=participations,
        requests=requests,
        meetings=meetings,
        open_events=open_events,
        RequestStatus=RequestStatus,
        ParticipationStatus=ParticipationStatus,
        Program=Program,
    )
