"""The administrators' area: the agency's offices and its staff accounts. Views check nothing themselves (every
page needs an admin account) and change state only through services, by `matchmaker.web.perform`."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import admin_required, get_or_404
from matchmaker.admin.forms import OfficeForm, StaffForm
from matchmaker.enums import Role
from matchmaker.fields import options
from matchmaker.models import Office, User
from matchmaker.services import accounts
from matchmaker.services.offices import save_office
from matchmaker.services.queries import all_offices, staff_accounts
from matchmaker.web import perform

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@admin_required
def _admin_only():
    """Every page here needs an admin account."""


@bp.get("/")
def index():
    return render_template("admin/index.html", offices=all_offices(), staff=staff_accounts())


@bp.route("/offices/new", methods=["GET", "POST"])
def new_office():
    return _office_form(None)


@bp.route("/offices/<int:office_id>/edit", methods=["GET", "POST"])
def edit_office(office_id: int):
    return _office_form(get_or_404(Office, office_id))


def _office_form(office: Office | None):
    form = OfficeForm(obj=office)
    if form.validate_on_submit() and perform(
        lambda: save_office(current_user, office, name=form.name.data, city=form.city.data,
                            timezone=form.timezone.data, locale=form.locale.data, email=form.email.data),
        _("The office is saved."), error_field=form.name,
    ):
        return redirect(url_for("admin.index"))
    return render_template("admin/office_form.html", form=form, office=office)


@bp.route("/staff/new", methods=["GET", "POST"])
def new_staff():
    form = StaffForm()
    form.office_id.choices = options(
        [(0, _("All offices"))]
        + [(o.id, o.name) for o in all_offices()]
    )
    if form.validate_on_submit() and perform(
        lambda: accounts.create_staff(
            current_user,
            email=form.email.data,
            name=form.name.data,
            role=Role(form.role.data),
            office_id=form.office_id.data or None,
            locale=form.locale.data,
            timezone=form.timezone.data,
        ),
        _("The account is created; an invitation to choose a password is sent to %(email)s.",
          email=form.email.data.strip().lower()), error_field=form.email,
    ):
        return redirect(url_for("admin.index"))
    return render_template("admin/staff_form.html", form=form)


@bp.post("/users/<int:user_id>/active")
def set_active(user_id: int):
    user = get_or_404(User, user_id)
    perform(lambda: accounts.set_active(current_user, user, request.form.get("active") == "1"),
            _("The account is updated."))
    return redirect(url_for("admin.index"))
