"""Locale, time zone and calendar of whoever reads, chosen per request; the request's gettext catalog read once;
dates and times in the reader's zone; and `init_app`, which gives templates these helpers.

Numbers, money and names are formatted in `formatting`. Rules are not made here: which languages need an
interpreter is `domain.languages`'s, which zone an organization's times are shown in is `domain.zones`'s
(registered for templates under their names).
"""

from datetime import date, datetime

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_context, pass_eval_context
from markupsafe import Markup

from matchmaker.domain import timefmt
from matchmaker.domain.erased_labels import MARKERS
from matchmaker.domain.languages import interpreter_need
from matchmaker.domain.timeslots import is_valid_zone
from matchmaker.domain.zones import organization_zone
from matchmaker.extensions import babel
from matchmaker.formatting import (
    format_locale,
    format_money,
    format_relative,
    format_share,
    format_usd,
    formatted_once,
    language_name,
    territory_name,
)

LANGUAGE_NAMES = {"en": "English", "ko": "한국어", "vi": "Tiếng Việt", "th": "ไทย", "id": "Bahasa Indonesia"}
ALIASES = {"in": "id"}  # browsers may send the old code for Indonesian


def translations():
    """The catalog of this request's locale, as Flask-Babel picks it, found once per request.

    Flask-Babel resolves the domain, the locale and its catalog through several context lookups on every
    call, which a page of a few hundred strings pays for in milliseconds. The catalog is kept beside Flask-Babel's
    own per-request state with the locale object it belongs to, so `force_locale` (mail in the recipient's language)
    and `refresh` are followed: a different or absent locale looks the catalog up again.
    """
    try:
        state = g._flask_babel
    except (AttributeError, RuntimeError):  # first call of the request, or no app context (NullTranslations)
        return get_translations()
    locale, domain = getattr(state, "babel_locale", None), getattr(state, "babel_domain", None)
    kept = getattr(state, "matchmaker_translations", None)
    if locale is not None and kept is not None and kept[0] is locale and kept[1] is domain:
        return kept[2]
    catalog = get_translations()
    state.matchmaker_translations = (state.babel_locale, getattr(state, "babel_domain", None), catalog)
    return catalog


def gettext(string: str, **variables) -> str:
    """Flask-Babel's `gettext` (same arguments and result) without its per-call lookups."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    """Flask-Babel's `lazy_gettext`, translated when shown through `gettext` above (labels shown many times a page:
    sectors, stages, report headings)."""
    return LazyString(gettext, string, **variables)


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Flask-Babel's `ngettext`: `num` is available to the text as %(num)d."""
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


@pass_eval_context
def template_gettext(eval_ctx, string: str, /, **variables) -> str:
    """`_()` in templates: as Jinja's newstyle gettext, the text is always a format string (%% is a percent sign)
    and, where the template escapes, Markup, so that the variables are escaped and the text is not."""
    text = translations().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text  # without either, % would give the text back


@pass_eval_context
def template_ngettext(eval_ctx, singular: str, plural: str, num: int, /, **variables) -> str:
    """`ngettext()` in templates, as Jinja's newstyle one: `num` is available to the text as %(num)d."""
    variables.setdefault("num", num)
    text = translations().ungettext(singular, plural, num)
    return (Markup(text) if eval_ctx.autoescape else text) % variables


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
    """The request's locale identifier ('en', 'ko'), kept with the locale object it was made from."""
    try:
        state = g._flask_babel
        locale = state.babel_locale
    except (AttributeError, RuntimeError):
        return str(get_locale() or "en")
    if locale is None:  # not chosen yet, or put back unchosen by a `force_locale` that ran first
        return str(get_locale() or "en")
    kept = getattr(state, "matchmaker_locale_name", None)
    if kept is None or kept[0] is not locale:
        kept = state.matchmaker_locale_name = (locale, str(locale or "en"))
    return kept[1]


def viewer_calendar(context=None) -> str | None:
    """The calendar of whoever reads: the recipient in an e-mail (its context has `recipient_zone` and
    `user`), otherwise the signed-in user. None means Gregorian."""
    if context is not None and "recipient_zone" in context and context.get("user") is not None:
        return getattr(context["user"], "calendar", None)
    if has_request_context() and current_user.is_authenticated:
        return current_user.calendar
    return None


def _once(function, value, *args) -> str:
    """`function(value, *args)` once per request, for formatting that depends on the moment (a zone's current
    offset): the same key rules as `formatting.formatted_once`."""
    try:
        memo = g._matchmaker_formatted
    except AttributeError:
        memo = g._matchmaker_formatted = {}
    except RuntimeError:  # no app context: nothing to keep it in
        return function(value, *args)
    key = (function, type(value), value, getattr(value, "tzinfo", None), *args)
    text = memo.get(key)
    if text is None:
        text = memo[key] = function(value, *args)
    return text


def format_instant(value: datetime | None, zone: str | None = None, calendar: str | None = None) -> str:
    if value is None:
        return ""
    return formatted_once(timefmt.format_instant, value, zone or viewer_zone(), format_locale(),
                          calendar or viewer_calendar())


@pass_context
def instant_filter(context, value: datetime | None, zone: str | None = None) -> str:
    if value is None:
        return ""
    return formatted_once(
        timefmt.format_instant, value, zone or viewer_zone(), format_locale(), viewer_calendar(context)
    )


def format_clock(value: datetime | None, zone: str | None = None) -> str:
    if value is None:
        return ""
    return formatted_once(timefmt.format_clock, value, zone or viewer_zone(), format_locale())


def format_day(value: date | None, form: str = "full", calendar: str | None = None) -> str:
    """A date in a length (short, medium, long, full) or a skeleton (yMMMd), in the reader's calendar."""
    if value is None:
        return ""
    return formatted_once(timefmt.format_calendar_date, value, form, format_locale(), calendar or viewer_calendar())


@pass_context
def day_filter(context, value: date | None, form: str = "full") -> str:
    if value is None:
        return ""
    return formatted_once(timefmt.format_calendar_date, value, form, format_locale(), viewer_calendar(context))


@pass_context
def their_time(context, value: datetime | None, zone: str | None) -> str:
    """The hint beside a time: that instant in another party's zone, its date added when it differs."""
    if value is None or not is_valid_zone(zone):
        return ""
    viewer = context.get("recipient_zone") or viewer_zone()
    return formatted_once(timefmt.their_time, value, zone, format_locale(), viewer, viewer_calendar(context))


def zone_label(value: datetime, zone: str | None = None) -> str:
    return formatted_once(timefmt.zone_label, value, zone or viewer_zone(), format_locale())


def zone_name(zone: str | None, with_id: bool = False) -> str:
    """A zone named in the viewer's language ('한국 시간'), the IANA id after it with `with_id`."""
    if not is_valid_zone(zone):
        return zone or ""
    return _once(timefmt.zone_name, zone, format_locale(), with_id)


def shown_marker(value):
    """Jinja's finalize: what erasure stored in place of a name or a message, in the reader's language; any other
    value as it is."""
    if isinstance(value, str) and value in MARKERS:
        return translations().ugettext(value)
    return value


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.finalize = shown_marker
    # Flask-Babel installs callables that look the catalog up on every `_()` of a template; these read it once
    # per request (see `translations`). Same newstyle behaviour: autoescaping and %(name)s variables.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    # `_` and `gettext`, the strings of every page, without the two context calls per string of Jinja's newstyle
    # wrappers (the alias `_` looks `gettext` up, which calls the callable above).
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
    # The sector and stage labels' filters are `vocabulary.init_app`'s: the vocabulary's labels are lazy strings of
    # this module, so it sits above it.
    app.jinja_env.filters.update(
        instant=instant_filter, clock=format_clock, day=day_filter, zone_label=zone_label, zone_name=zone_name,
        territory=territory_name, language_name=language_name, usd=format_usd, percent=format_share,
        money=format_money, relative=format_relative, their_time=their_time,
    )
    app.jinja_env.globals.update(
        viewer_zone=viewer_zone,
        viewer_locale=viewer_locale,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        interpreter_need=interpreter_need,
        organization_zone=organization_zone,
    )
