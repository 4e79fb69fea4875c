"""Locale and time-zone selection per request, and the template helpers that format with them."""

from datetime import date, datetime

from babel import Locale
from babel.numbers import format_compact_currency, format_percent
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from matchmaker.domain import timefmt
from matchmaker.domain.timeslots import is_valid_zone
from matchmaker.extensions import babel

LANGUAGE_NAMES = {"en": "English", "ko": "한국어", "vi": "Tiếng Việt", "th": "ไทย", "id": "Bahasa Indonesia"}
ALIASES = {"in": "id"}  # browsers may send the old code for Indonesian


def select_locale() -> str:
    """The user's setting, then the `lang` cookie, then Accept-Language, then English."""
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and jobs: callers use force_locale for a recipient
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated and current_user.locale in supported:
        return current_user.locale
    cookie = request.cookies.get("lang")
    if cookie in supported:
        return cookie
    header = [(ALIASES.get(lang.split("-")[0].lower(), lang), q) for lang, q in request.accept_languages]
    best = request.accept_languages.__class__(header).best_match(supported)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """The user's setting, then the zone of the event being shown, then UTC."""
    return viewer_zone()


def viewer_zone() -> str:
    if not has_request_context():
        return "UTC"
    if current_user.is_authenticated and is_valid_zone(current_user.timezone):
        return current_user.timezone
    zone = g.get("event_timezone")
    if is_valid_zone(zone):
        return zone
    return "UTC"


def viewer_locale() -> str:
    return str(get_locale() or "en")


def format_instant(value: datetime | None, zone: str | None = None) -> str:
    if value is None:
        return ""
    return timefmt.format_instant(value, zone or viewer_zone(), viewer_locale())


def format_clock(value: datetime | None, zone: str | None = None) -> str:
    if value is None:
        return ""
    return timefmt.format_clock(value, zone or viewer_zone(), viewer_locale())


def format_day(value: date | None) -> str:
    return "" if value is None else timefmt.format_day(value, viewer_locale())


def zone_label(value: datetime, zone: str | None = None) -> str:
    return timefmt.zone_label(value, zone or viewer_zone(), viewer_locale())


def territory_name(code: str | None) -> str:
    if not code:
        return ""
    return Locale.parse(viewer_locale()).territories.get(code.upper(), code)


def language_name(code: str | None) -> str:
    if not code:
        return ""
    return Locale.parse(viewer_locale()).languages.get(code, code)


def format_usd(amount) -> str:
    """'$1.5M' in the viewer's locale."""
    if amount is None:
        return ""
    return format_compact_currency(amount, "USD", locale=viewer_locale(), fraction_digits=1)


def format_share(value) -> str:
    return format_percent(value or 0, locale=viewer_locale())


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    from matchmaker.vocabulary import sector_label, stage_label

    app.jinja_env.filters.update(
        instant=format_instant, clock=format_clock, day=format_day, zone_label=zone_label,
        sector_label=sector_label, stage_label=stage_label, territory=territory_name,
        language_name=language_name, usd=format_usd, percent=format_share,
    )
    app.jinja_env.globals.update(
        viewer_zone=viewer_zone,
        viewer_locale=viewer_locale,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
    )
