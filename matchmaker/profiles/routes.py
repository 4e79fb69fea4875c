"""A signed-in person's settings (name, language, zone, calendar, the personal calendar link) and a member's
organization profile. Views change state only through services, by `matchmaker.web.perform`."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required

from matchmaker.access import member_required
from matchmaker.domain.profile_texts import original_language
from matchmaker.domain.romanize import suggest_latin_name
from matchmaker.profiles.forms import ProfileForm, SettingsForm
from matchmaker.services import accounts, invites
from matchmaker.services.privacy.requests import open_request
from matchmaker.services.profiles import descriptions, text_languages, update_profile
from matchmaker.web import perform

bp = Blueprint("profiles", __name__)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    if request.method == "GET" and not current_user.calendar:
        form.calendar.data = "gregorian"
    if request.method == "GET" and not current_user.name_latin:
        form.name_latin.data = suggest_latin_name(current_user.name)  # a suggestion for a Korean name, to change
    if form.validate_on_submit() and perform(lambda: accounts.update_settings(
        current_user, name=form.name.data, locale=form.locale.data, timezone=form.timezone.data,
        calendar=form.calendar.data, name_latin=form.name_latin.data,
    )):
        refresh()  # the message below in the language just chosen
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("profiles.settings"))
    feed = None
    if current_user.is_member:
        token = perform(lambda: invites.feed_token(current_user)).value  # made (and kept) on the first visit
        feed = url_for("meetings.calendar_feed", token=token, _external=True)
    return render_template("profiles/settings.html", form=form, feed=feed, erasure=open_request(current_user))


@bp.route("/profile", methods=["GET", "POST"])
@member_required
def edit_profile():
    org = current_user.organization
    form = ProfileForm()
    languages = text_languages(org, current_user)
    if request.method == "GET":
        form.load(org, descriptions(org))
    if form.validate_on_submit() and perform(lambda: update_profile(current_user, org, **form.values(languages)),
                                             _("Your profile is saved.")):
        return redirect(url_for("profiles.edit_profile"))
    return render_template("profiles/edit.html", form=form, org=org, text_languages=languages,
                           original=original_language(org.description, org.description_lang))
