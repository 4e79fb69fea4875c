"""The privacy notice (public) and the consent page; `ask_first` sends a signed-in member to the consent page before
any other page while a required consent is missing at its text's current version.

Once a member's consents are found complete, the session remembers it for these texts' versions (so pages after the
first cost no query); a new version of any text changes the key, and the member is checked, and asked, again.
"""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.consent.forms import ConsentForm
from matchmaker.domain import consent_texts
from matchmaker.services import consents
from matchmaker.web import perform, safe_next

bp = Blueprint("consent", __name__)

# Pages a member reaches before answering: this page, the notice it links to, signing out, and the static files.
OPEN_ENDPOINTS = frozenset({"consent.ask", "consent.privacy", "auth.logout", "static", "main.set_language"})
SESSION_KEY = "consents_checked"


def request_origin() -> tuple[str | None, str | None]:
    """Where an answer came from: the network address (behind the configured proxies) and the browser."""
    return request.remote_addr, request.headers.get("User-Agent")


@bp.before_app_request
def ask_first():
    if request.endpoint in OPEN_ENDPOINTS or request.endpoint is None or request.blueprint == "health":
        return None
    if request.path.startswith("/api/"):
        return None  # the API authenticates by token alone and answers in JSON, never with a redirect
    if not current_user.is_authenticated or not current_user.is_member:
        return None  # staff and admin are not asked (see domain/consent_texts.py)
    key = f"{current_user.id}:{consent_texts.versions_key()}"
    if session.get(SESSION_KEY) == key:
        return None
    if consents.missing(current_user):
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("consent.ask", next=target.rstrip("?") if target else None))
    session[SESSION_KEY] = key
    return None


@bp.get("/privacy")
def privacy():
    config = current_app.config
    return render_template(
        "consent/privacy.html", destinations=consents.destinations(), texts=consent_texts.TEXTS,
        agency=config["AGENCY_NAME"], officer_name=config.get("PRIVACY_OFFICER_NAME"),
        officer_email=config["PRIVACY_OFFICER_EMAIL"], retain_years=config["PRIVACY_RETAIN_YEARS"],
        mail_days=config["MAIL_BODY_RETAIN_DAYS"],
    )


@bp.route("/consent", methods=["GET", "POST"])
@login_required
def ask():
    form = ConsentForm()
    form.ask(consents.asked_kinds(), consents.required_kinds() if current_user.is_member else [])
    user = current_user._get_current_object()
    if request.method == "GET":
        for kind in consents.current_kinds(user):
            if f"consent_{kind.value}" in form:
                form[f"consent_{kind.value}"].data = True
    ip, agent = request_origin()
    if form.validate_on_submit() and perform(
        lambda: consents.give(user, form.ticked_consents(), ip=ip, user_agent=agent),
        _("Thank you: your answers are saved."),
    ):
        return redirect(safe_next() or url_for("main.dashboard"))
    return render_template("consent/ask.html", form=form, destinations=consents.destinations(),
                           missing=consents.missing(user), retain_years=current_app.config["PRIVACY_RETAIN_YEARS"])


