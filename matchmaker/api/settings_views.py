"""Settings → API tokens (/settings/api-tokens): a person creates personal access tokens for the JSON API (the
token is shown once, on the page the form leads to, and never again), sees their last use and expiry, and revokes them.
Changes go through `services.api_tokens` by `matchmaker.web.perform`."""

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange

from matchmaker.database import utcnow
from matchmaker.fields import one_line, options
from matchmaker.services import api_tokens
from matchmaker.web import perform

bp = Blueprint("api_settings", __name__, url_prefix="/settings/api-tokens")
SHOW_ONCE = "api_token_once"


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), filters=[one_line], validators=[DataRequired(), Length(max=api_tokens.MAX_NAME)])
    scope = SelectField(_l("Scope"), choices=options([("read", _l("Read")), ("write", _l("Read and write"))]),
                        default="read")
    days = IntegerField(_l("Valid for (days)"), default=api_tokens.DEFAULT_DAYS,
                        validators=[DataRequired(), NumberRange(min=1, max=api_tokens.MAX_DAYS)])
    submit = SubmitField(_l("Create token"))


@bp.route("", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    if form.validate_on_submit():
        outcome = perform(lambda: api_tokens.create(current_user, form.name.data, form.scope.data, form.days.data),
                          error_field=form.name)
        if outcome:
            # Shown on the next page only (then gone from the session), so reloading it creates no second token.
            session[SHOW_ONCE] = outcome.value[1]
            return redirect(url_for("api_settings.tokens"))
    plain = session.pop(SHOW_ONCE, None) if request.method == "GET" else None
    return render_template("api/tokens.html", form=form, plain=plain, tokens=api_tokens.tokens_of(current_user),
                           now=utcnow())


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    perform(lambda: api_tokens.revoke(current_user, token_id), _("The token is revoked: it no longer works."))
    return redirect(url_for("api_settings.tokens"))
