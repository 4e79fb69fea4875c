from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required

from matchmaker.access import member_required
from matchmaker.extensions import db
from matchmaker.profiles.forms import ProfileForm, SettingsForm, split_codes
from matchmaker.services import accounts, audit, invites, recommendations

bp = Blueprint("profiles", __name__)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    if request.method == "GET" and not current_user.calendar:
        form.calendar.data = "gregorian"
    if form.validate_on_submit():
        accounts.update_settings(
            current_user, name=form.name.data, locale=form.locale.data, timezone=form.timezone.data,
            calendar=form.calendar.data,
        )
        db.session.commit()
        refresh()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("profiles.settings"))
    feed = None
    if current_user.is_member:
        token = invites.feed_token(current_user)
        db.session.commit()
        feed = url_for("meetings.calendar_feed", token=token, _external=True)
    return render_template("profiles/settings.html", form=form, feed=feed)


@bp.route("/profile", methods=["GET", "POST"])
@member_required
def edit_profile():
    org = current_user.organization
    form = ProfileForm()
    if request.method == "GET":
        form.process(obj=org)
        form.sectors.data = list(org.sectors or {})
        form.markets.data = ", ".join(org.markets or [])
        form.languages.data = ", ".join(org.languages or [])
        form.existing_investors.data = "\n".join(org.existing_investors or [])
    if form.validate_on_submit():
        previous_weights = org.sectors or {}
        org.name = form.name.data.strip()
        org.name_latin = (form.name_latin.data or "").strip() or None
        org.country = (form.country.data or "").upper() or None
        org.website = form.website.data or None
        org.phone = form.phone.data or None
        org.sectors = {code: previous_weights.get(code, 1.0) for code in form.sectors.data}
        org.stages = list(form.stages.data)
        org.description = form.description.data or None
        org.markets = split_codes(form.markets.data, upper=True)
        org.languages = split_codes(form.languages.data)
        org.timezone = form.timezone.data
        org.ticket_min_usd = form.ticket_min_usd.data
        org.ticket_max_usd = form.ticket_max_usd.data
        org.existing_investors = [
            line.strip() for line in (form.existing_investors.data or "").splitlines() if line.strip()
        ]
        audit.record(current_user, "update_profile", org)
        db.session.commit()
        recommendations.schedule_recompute(recommendations.events_of(org))
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("profiles.edit_profile"))
    return render_template("profiles/edit.html", form=form, org=org)
