"""A member's printable agenda and check-in code, and where a scanned check-in code leads.

The agenda page of one participant is also what staff print for everyone (staff/views/printouts.py), each in
the participant's own language and zone."""

import threading
from zoneinfo import ZoneInfo

import segno
from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import force_locale, get_locale, gettext
from flask_login import current_user, login_required
from markupsafe import Markup

from matchmaker.access import member_required
from matchmaker.database import utcnow
from matchmaker.domain.zones import organization_zone
from matchmaker.enums import EventMode
from matchmaker.meetings.routes import bp
from matchmaker.models import Participation
from matchmaker.services import checkin as checkin_service
from matchmaker.services.queries import approved_participations_of


def checkin_svg(participation: Participation) -> Markup:
    """The QR code of the participant's check-in link, as inline SVG."""
    title = gettext("Check-in code for %(event)s", event=participation.event.title)
    config = current_app.config
    # The link is the same for the same participation, key and address (its token is signed, not dated): the
    # key names those, so the link is built (a signature and a request context) only when the code is drawn.
    key = (participation.id, participation.organization_id, config["SECRET_KEY"], config["BASE_URL"], title)
    svg = _drawn.get(key)
    if svg is None:
        svg = _qr_svg(checkin_service.checkin_url(participation), title)
        with _drawn_lock:  # a threaded server's requests may draw at once
            _drawn[key] = svg
            while len(_drawn) > DRAWN_KEPT:
                _drawn.pop(next(iter(_drawn)))  # the oldest first
    return Markup(svg)


DRAWN_KEPT = 2048
_drawn: dict[tuple, str] = {}
_drawn_lock = threading.Lock()


def _qr_svg(url: str, title: str) -> str:
    """Encoding a QR code costs more than the rest of the agenda page, hence `checkin_svg` keeps the ones each
    worker drew (a few KB each, keyed by everything they show)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, title=title, svgclass="qr")


def upcoming_participations(organization) -> list[Participation]:
    """Approved participations whose check-in codes still work (up to the day after the event)."""
    now = utcnow()
    approved = approved_participations_of(organization.id)
    found = [
        p for p in approved
        if now.astimezone(ZoneInfo(p.event.timezone)).date() <= checkin_service.token_valid_until(p.event)
    ]
    return sorted(found, key=lambda p: (p.event.date, p.event_id))


@bp.app_template_global()
def checkin_passes() -> list[dict]:
    """For the member's agenda: one check-in code per coming matchmaking day with a desk (not online)."""
    if not (current_user.is_authenticated and current_user.is_member and current_user.organization):
        return []
    return [{"participation": p, "event": p.event, "svg": checkin_svg(p)}
            for p in upcoming_participations(current_user.organization) if has_desk(p.event)]


def has_desk(event) -> bool:
    """Whether people come to a venue (and so check in at a desk): not for online days."""
    return event.mode != EventMode.ONLINE


@bp.app_template_global()
def local_date(instant, zone: str):
    """The calendar date of an instant on a zone's clock: what a printed agenda is dated by."""
    return instant.astimezone(ZoneInfo(zone)).date()


def participant_locale(participation: Participation) -> str:
    """The language the organization's people chose (the first active account's), else the default."""
    for user in sorted(participation.organization.users, key=lambda u: u.id):
        if user.active and user.locale in current_app.config["LANGUAGES"]:
            return user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def participant_zone(participation: Participation) -> str:
    """The zone the participant's people read in: a member's own setting, else the organization's, else the
    event's."""
    return organization_zone(participation.organization, people_first=True) or participation.event.timezone


def agenda_page(participation: Participation, locale: str | None = None, zone: str | None = None,
                staff_copy: bool = False) -> Markup:
    """One printed page: the participant's meetings of the day, in their language and zone and the
    event's, with their check-in code. Participants see meetings only once the schedule is published."""
    locale = locale or participant_locale(participation)
    event = participation.event
    visible = staff_copy or event.published
    with force_locale(locale):
        html = render_template(
            "meetings/print/_agenda_page.html", participation=participation, event=event, visible=visible,
            meetings=checkin_service.meetings_of(event, participation.organization_id) if visible else [],
            zone=zone or participant_zone(participation), locale=locale,
            qr=checkin_svg(participation) if has_desk(event) else None,
        )
    return Markup(html)


@bp.get("/agenda/print")
@member_required
def print_agenda():
    """The member's own agenda for each coming day, one page each, ready to print."""
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    pages = [agenda_page(p, locale=locale, zone=current_user.timezone or None)
             for p in upcoming_participations(current_user.organization)]
    return render_template("meetings/print/agendas.html", pages=pages, event=None,
                           back=url_for("meetings.agenda"))


@bp.get("/checkin/<token>")
@login_required
def checkin_pass(token: str):
    """The link in the check-in code. Staff go on to check the participant in; a participant who opens
    their own code is told to show it at the desk."""
    participation = checkin_service.read_checkin_token(token)
    if participation is None:
        return render_template("meetings/checkin/bad_code.html"), 404
    if current_user.is_staff:
        return redirect(url_for("staff.checkin_scan", token=token))
    if not current_user.is_member:
        abort(403)
    own = participation.organization_id == current_user.organization_id
    # Their own code is shown again, so that the phone's screen can be held up to the desk's scanner.
    return render_template("meetings/checkin/show_at_desk.html", event=participation.event, own=own,
                           qr=checkin_svg(participation) if own else None)
