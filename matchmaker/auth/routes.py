from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from matchmaker.auth.forms import LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from matchmaker.enums import OrgKind
from matchmaker.extensions import db, limiter
from matchmaker.i18n import viewer_locale
from matchmaker.services import ServiceError, accounts
from matchmaker.services.tokens import read_password_token, read_verify_token

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = viewer_locale()
    if form.validate_on_submit():
        try:
            user = accounts.register_member(
                email=form.email.data,
                password=form.password.data,
                name=form.name.data,
                kind=OrgKind(form.kind.data),
                organization_name=form.organization_name.data,
                organization_name_latin=form.organization_name_latin.data,
                country=(form.country.data or "").upper(),
                locale=form.locale.data,
                timezone=form.timezone.data,
            )
        except ServiceError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome! We sent you a link to confirm your e-mail address."), "success")
            return redirect(url_for("profiles.edit_profile"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.find_user_by_email(form.email.data)
        if user is None or not user.check_password(form.password.data):
            form.password.errors.append(_("The e-mail address or the password is wrong."))
        elif not user.active:
            form.email.errors.append(_("This account has been deactivated."))
        else:
            login_user(user, remember=form.remember.data)
            accounts.record_login(user)
            db.session.commit()
            return redirect(_safe_next() or url_for("main.dashboard"))
    return render_template("auth/login.html", form=form)


def _safe_next() -> str | None:
    target = request.args.get("next", "")
    # Only same-site paths: never an absolute URL or a scheme-relative one (//evil.example), and no
    # control characters: browsers drop tabs and newlines, so /\t/evil.example would become //evil.example.
    if target.startswith("/") and not target.startswith("//") and "\\" not in target and target.isprintable():
        return target
    return None


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.get("/verify/<token>")
def verify_email(token: str):
    user = read_verify_token(token)
    if user is None:
        flash(_("This confirmation link is invalid or has expired. Sign in to get a new one."), "error")
        return redirect(url_for("auth.login"))
    accounts.verify_email(user)
    db.session.commit()
    flash(_("Your e-mail address is confirmed."), "success")
    return redirect(url_for("main.dashboard" if current_user.is_authenticated else "auth.login"))


@bp.post("/verify/resend")
@login_required
@limiter.limit(_login_limit)
def resend_verification():
    if not current_user.verified:
        accounts.send_verification(current_user)
        db.session.commit()
        flash(_("We sent you a new confirmation link."), "info")
    return redirect(url_for("main.dashboard"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account uses this address, we sent it a link to reset the password."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = read_password_token(token)
    if user is None:
        flash(_("This reset link is invalid or has expired. Ask for a new one."), "error")
        return redirect(url_for("auth.request_reset"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.reset_password(user, form.password.data)
        db.session.commit()
        flash(_("Your password is changed. Sign in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
