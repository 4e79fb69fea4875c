"""A person's data from their Settings: download it (JSON or Excel, each download audited), ask for it to be erased
(a link is e-mailed to them) and confirm that from the link (no sign-in needed: the link is the proof). What is
exported, erased and asked is in `services.privacy`."""

import io

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.profiles.routes import bp
from matchmaker.services import tokens
from matchmaker.services.exports import XLSX_MIME
from matchmaker.services.privacy import export
from matchmaker.services.privacy import requests as erasure
from matchmaker.web import perform

JSON_MIME = "application/json"


def download(user, form: str, actor):
    """The file of `user`'s data in `form` ("json" or "xlsx"), the export audited as done by `actor`."""
    data = export.collect(user)
    perform(lambda: export.record_export(actor, user, form))
    if form == "json":
        body, mimetype = export.as_json(data).encode(), JSON_MIME
    else:
        body, mimetype = export.as_workbook(data), XLSX_MIME
    return send_file(io.BytesIO(body), mimetype=mimetype, as_attachment=True,
                     download_name=f"matchmaker-data-{user.id}.{form}")


@bp.post("/settings/data.json")
@login_required
def download_my_data_json():
    return download(current_user, "json", current_user)


@bp.post("/settings/data.xlsx")
@login_required
def download_my_data_xlsx():
    return download(current_user, "xlsx", current_user)


@bp.post("/settings/erase")
@login_required
def ask_erasure():
    perform(lambda: erasure.ask(current_user),
            _("We sent you an e-mail: open its link to confirm that your data should be erased."))
    return redirect(url_for("profiles.settings"))


@bp.route("/settings/erase/<token>", methods=["GET", "POST"])
def confirm_erasure(token: str):
    user = tokens.read_erasure_token(token)
    if user is None:
        abort(404)  # expired, altered, or the person is erased already
    done = False
    if request.method == "POST":
        done = bool(perform(lambda: erasure.confirm(user),
                            _("Your request is confirmed. Our staff erase your data and tell you if they cannot.")))
    return render_template("profiles/confirm_erasure.html", user=user, token=token, done=done,
                           pending=erasure.open_request(user))
