"""Sign-in, registration, e-mail confirmation, passwords and sign-out.

Throttling counts what an attacker needs many of and an attendee never does: failed sign-ins (per account and per
network address; a room of 200 people behind one address signs in freely) and account mails (per e-mail address and
per network address; registration and reset answer the same for known and unknown addresses, so both count).
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from limits import parse as parse_limit
from werkzeug.exceptions import SecurityError

from matchmaker.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from matchmaker.consent.routes import request_origin
from matchmaker.enums import OrgKind
from matchmaker.extensions import limiter
from matchmaker.i18n import viewer_locale
from matchmaker.services import accounts, consents
from matchmaker.services.tokens import read_password_token, read_verify_token
from matchmaker.web import perform, safe_next

bp = Blueprint("auth", __name__)


# --- throttling --------------------------------------------------------------------------------

def _setting(name: str):
    return lambda: current_app.config[name]


def _minutes(name: str) -> int:
    return max(1, parse_limit(current_app.config[name]).get_expiry() // 60)


def _typed_account() -> str:
    return "account:" + accounts.normalize_email(request.form.get("email", ""))


def _own_account() -> str:
    return f"user:{current_user.get_id().partition(':')[0]}" if current_user.is_authenticated else _network()


def _mail_address() -> str:
    """The address an account mail would go to: the one typed, or the signed-in user's own (resend)."""
    typed = request.form.get("email")
    if typed is None and current_user.is_authenticated:
        typed = current_user.email
    return "email:" + accounts.normalize_email(typed or "")


def _network() -> str:
    return "network:" + get_remote_address()


def _failed(response) -> bool:
    """A sign-in that did not get through: the form again, or a refused CSRF token. A refusal by the limit itself
    (429) is not counted again, so hammering a paused account does not use up its network's allowance."""
    return response.status_code not in (302, 429)


def _mail_answered(response) -> bool:
    """A form accepted: known and unknown addresses alike (a form with mistakes shown again is not counted)."""
    return response.status_code == 302


def _account_paused() -> str:
    minutes = _minutes("SIGNIN_FAILURES_PER_ACCOUNT")
    return ngettext(
        "Too many failed sign-ins to this account: it is paused for up to %(num)d minute. "
        "If you forgot the password, reset it.",
        "Too many failed sign-ins to this account: it is paused for up to %(num)d minutes. "
        "If you forgot the password, reset it.", minutes)


def _network_paused() -> str:
    minutes = _minutes("SIGNIN_FAILURES_PER_NETWORK")
    return ngettext(
        "Too many failed sign-ins from your network: try again in up to %(num)d minute.",
        "Too many failed sign-ins from your network: try again in up to %(num)d minutes.", minutes)


def _mails_paused() -> str:
    return _("Too many e-mails were asked for this address or from your network. Check your inbox (and spam "
             "folder) for the messages already sent, or try again later.")


_failures_per_account = limiter.limit(
    _setting("SIGNIN_FAILURES_PER_ACCOUNT"), key_func=_typed_account, methods=["POST"], deduct_when=_failed,
    error_message=_account_paused)
_failures_per_network = limiter.limit(
    _setting("SIGNIN_FAILURES_PER_NETWORK"), key_func=_network, methods=["POST"], deduct_when=_failed,
    error_message=_network_paused)
_password_failures_per_user = limiter.limit(
    _setting("SIGNIN_FAILURES_PER_ACCOUNT"), key_func=_own_account, methods=["POST"], deduct_when=_failed,
    error_message=_account_paused)
_mails_per_email = limiter.shared_limit(
    _setting("ACCOUNT_MAILS_PER_EMAIL"), "account-mail-email", key_func=_mail_address, methods=["POST"],
    deduct_when=_mail_answered, error_message=_mails_paused)
_mails_per_network = limiter.shared_limit(
    _setting("ACCOUNT_MAILS_PER_NETWORK"), "account-mail-network", key_func=_network, methods=["POST"],
    deduct_when=_mail_answered, error_message=_mails_paused)


@bp.errorhandler(429)
def throttled(error):
    return render_template("auth/throttled.html", message=error.description), 429


@bp.app_errorhandler(SecurityError)
def untrusted_host(error):
    """A request naming a host that is not ours (TRUSTED_HOSTS): Flask cannot build a single URL for it, so the
    answer is plain text. Refusing it keeps forged hosts out of every link the app writes."""
    return ("400 Bad Request: this server does not answer to that host name.\n", 400,
            {"Content-Type": "text/plain; charset=utf-8"})


# --- registration and confirmation -------------------------------------------------------------

@bp.route("/register", methods=["GET", "POST"])
@_mails_per_email
@_mails_per_network
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    form.ask(consents.asked_kinds(), consents.required_kinds())
    if request.method == "GET":
        form.locale.data = viewer_locale()
    ip, agent = request_origin()
    if form.validate_on_submit() and perform(
        lambda: accounts.register_member(
            email=form.email.data,
            password=form.password.data,
            name=form.name.data,
            name_latin=form.name_latin.data,
            kind=OrgKind(form.kind.data),
            organization_name=form.organization_name.data,
            organization_name_latin=form.organization_name_latin.data,
            country=(form.country.data or "").upper(),
            locale=form.locale.data,
            timezone=form.timezone.data,
            consents=form.ticked_consents(),
            origin=(ip, agent),
        ),
        # The same answer whether the address was new or already had an account (its owner is told by e-mail).
        _("Check your e-mail: we sent a message to %(email)s with the next step. Once you have confirmed the "
          "address, sign in here.", email=accounts.normalize_email(form.email.data)),
    ):
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form, destinations=consents.destinations(),
                           retain_years=current_app.config["PRIVACY_RETAIN_YEARS"])


@bp.get("/verify/<token>")
def verify_email(token: str):
    user = read_verify_token(token)
    if user is None:
        flash(_("This confirmation link is invalid or has expired. Sign in to get a new one."), "error")
        return redirect(url_for("auth.login"))
    perform(lambda: accounts.verify_email(user), _("Your e-mail address is confirmed."))
    return redirect(url_for("main.dashboard" if current_user.is_authenticated else "auth.login"))


@bp.post("/verify/resend")
@login_required
@_mails_per_email
@_mails_per_network
def resend_verification():
    if not current_user.verified and perform(lambda: accounts.send_verification(current_user)):
        flash(_("We sent you a new confirmation link."), "info")
    return redirect(url_for("main.dashboard"))


# --- signing in and out ------------------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
@_failures_per_account
@_failures_per_network
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
            perform(lambda: accounts.record_login(user))
            return redirect(safe_next() or url_for("main.dashboard"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    user = current_user._get_current_object()
    perform(lambda: accounts.sign_out(user))
    logout_user()
    flash(_("You are signed out, on this device and on every other one."), "info")
    return redirect(url_for("main.home"))


# --- passwords ---------------------------------------------------------------------------------

@bp.route("/reset", methods=["GET", "POST"])
@_mails_per_email
@_mails_per_network
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit() and perform(lambda: accounts.request_password_reset(form.email.data)):
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
    if form.validate_on_submit() and perform(lambda: accounts.reset_password(user, form.password.data)):
        logout_user()  # this browser too, if it was signed in: the reset ended every session of the account
        flash(_("Your password is changed and every session of your account has ended. Sign in with the new "
                "password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@_password_failures_per_user
def change_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit() and perform(
        lambda: accounts.change_password(user, form.current.data, form.password.data), error_field=form.current,
    ):
        # Every other session has ended; this browser stays signed in under the new version (and keeps a
        # remember-me cookie if it had one).
        remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
        login_user(user, remember=remembered)
        flash(_("Your password is changed. You are signed out on every other device."), "success")
        return redirect(url_for("profiles.settings"))
    return render_template("auth/change_password.html", form=form)
