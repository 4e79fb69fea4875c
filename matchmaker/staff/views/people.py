"""A contact person's name in Latin letters, as staff correct it on the organization's page (the check-in desk
finds people by it). Only for organizations the staff member's office sees."""

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_404
from matchmaker.models import User
from matchmaker.services import accounts
from matchmaker.services import organization_list as organizations
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.people import LatinNameForm
from matchmaker.web import perform


@bp.post("/people/<int:user_id>/latin-name")
def set_latin_name(user_id: int):
    user = get_or_404(User, user_id)
    org = organizations.get_visible(current_user, user.organization_id) if user.organization_id else None
    if org is None:
        abort(404)  # staff accounts, and other offices' organizations, are not shown to exist
    form = LatinNameForm()
    if form.validate_on_submit() and perform(
        lambda: accounts.set_latin_name(current_user, user, form.name_latin.data),
        _("The name in Latin letters of %(name)s is saved.", name=user.name), error_field=form.name_latin,
    ):
        return redirect(url_for("staff.organization", org_id=org.id))
    # The organization's page again, with what was typed and the message under that person's field.
    return render_template("staff/organizations/organization.html", org=org, latin_forms={user.id: form}), 400
