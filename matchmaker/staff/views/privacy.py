"""Staff's privacy pages: the queue of requests to erase a person's data (list; a request with the preview of what
erasing removes, then erase, or reject with a reason), a person's data exported on their request (audited), and an
organization without members erased after a preview. Only people and organizations of the staff member's office
(admins: all); others are 404. What is erased and exported is in `services.privacy`."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.access import get_or_404
from matchmaker.enums import ErasureStatus
from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.profiles.privacy import download
from matchmaker.services import organization_list as organizations
from matchmaker.services.privacy import erase
from matchmaker.services.privacy import requests as erasure
from matchmaker.staff.blueprint import bp
from matchmaker.staff.forms.privacy import RejectErasureForm
from matchmaker.web import perform

SHOWN = 200  # the newest requests listed (open ones first)


@bp.get("/privacy")
def erasure_queue():
    items = db.session.scalars(erasure.visible(current_user).limit(SHOWN)).all()
    open_items = [i for i in items if i.status == ErasureStatus.REQUESTED]
    handled = [i for i in items if i.status != ErasureStatus.REQUESTED]
    return render_template("staff/privacy/queue.html", open_items=open_items, handled=handled)


def _visible_request(erasure_id: int):
    item = erasure.get_visible(current_user, erasure_id)
    if item is None:
        abort(404)
    return item


@bp.get("/privacy/<int:erasure_id>")
def erasure_request(erasure_id: int, form: RejectErasureForm | None = None):
    item = _visible_request(erasure_id)
    plan = erase.plan_person(item.user) if item.status == ErasureStatus.REQUESTED else None
    return render_template("staff/privacy/request.html", item=item, plan=plan, form=form or RejectErasureForm())


@bp.post("/privacy/<int:erasure_id>/erase")
def erase_request(erasure_id: int):
    item = _visible_request(erasure_id)
    if perform(lambda: erasure.carry_out(current_user, item), _("The person's data is erased.")):
        return redirect(url_for("staff.erasure_queue"))
    return redirect(url_for("staff.erasure_request", erasure_id=erasure_id))


@bp.post("/privacy/<int:erasure_id>/reject")
def reject_request(erasure_id: int):
    item = _visible_request(erasure_id)
    form = RejectErasureForm()
    if form.validate_on_submit() and perform(lambda: erasure.reject(current_user, item, form.reason.data),
                                             _("The request is rejected; the person is told why."),
                                             error_field=form.reason):
        return redirect(url_for("staff.erasure_queue"))
    return erasure_request(erasure_id, form=form), 400


def _visible_person(user_id: int) -> User:
    user = get_or_404(User, user_id)
    if not user.organization_id or organizations.get_visible(current_user, user.organization_id) is None:
        abort(404)  # staff accounts, and other offices' people, are not shown to exist
    return user


@bp.get("/people/<int:person_id>/data")
def person_data(person_id: int):
    return render_template("staff/privacy/person.html", person=_visible_person(person_id))


@bp.post("/people/<int:person_id>/data.json")
def person_data_json(person_id: int):
    return download(_visible_person(person_id), "json", current_user)


@bp.post("/people/<int:person_id>/data.xlsx")
def person_data_xlsx(person_id: int):
    return download(_visible_person(person_id), "xlsx", current_user)


@bp.route("/organizations/<int:org_id>/erase", methods=["GET", "POST"])
def erase_organization(org_id: int):
    org = organizations.get_visible(current_user, org_id)
    if org is None:
        abort(404)
    if request.method == "POST" and perform(lambda: erase.erase_organization(current_user, org),
                                            _("The organization's data is erased.")):
        return redirect(url_for("staff.organization", org_id=org.id))
    return render_template("staff/privacy/organization.html", org=org,
                           members_left=erase.organization_members_left(org))
