"""Numbers, money, relative times and the names of territories and languages in the reader's locale, and the
table that keeps formatted texts once per worker (the date and time helpers in `i18n` use it too).

Formatting only: which locale, zone and calendar a reader has is chosen in `i18n`; nothing here decides a rule.
"""

from datetime import UTC, datetime
from decimal import Decimal

from babel import Locale
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent
from flask import g
from flask_babel import get_locale

from matchmaker.domain import timefmt


def format_locale() -> Locale:
    """The request's locale as Babel's object, for the formatting helpers: given an identifier string instead,
    Babel parses it again on every call (about half the cost of formatting a number)."""
    try:
        locale = g._flask_babel.babel_locale
    except (AttributeError, RuntimeError):
        locale = None
    return locale or get_locale() or Locale.parse("en")


def formatted_once(function, value, *args) -> str:
    """`function(value, *args)` for a formatting function whose text depends on nothing else (not the clock, not
    the request), formatted once per worker: pages show the same slot times, days, zones and amounts over and over,
    and Babel takes tens of microseconds for each. The value's type and own zone are part of the key: equal instants
    in two zones fall on different dates, and 1 == 1.0 == True. At most FORMATTED_KEPT texts are kept."""
    key = (function, type(value), value, getattr(value, "tzinfo", None), *args)
    text = _formatted.get(key)
    if text is None:
        text = function(value, *args)
        if len(_formatted) >= FORMATTED_KEPT:
            _formatted.clear()  # a few milliseconds to fill again; simpler than keeping an order
        _formatted[key] = text
    return text


FORMATTED_KEPT = 50_000
_formatted: dict = {}

# Currencies whose minor unit is not used in practice: amounts are shown whole.
WHOLE_CURRENCIES = {"KRW", "VND", "IDR"}
CURRENCIES = ("USD", "KRW", "SGD", "IDR", "VND", "THB", "MYR")


def format_money(amount, currency: str = "USD") -> str:
    """'₩1,234,568', 'US$1,500.00', 'Rp1.500.000' in the viewer's locale."""
    if amount is None:
        return ""
    currency = currency.upper()
    if currency in WHOLE_CURRENCIES:
        amount = Decimal(str(amount)).quantize(Decimal(1))  # Babel's precision for them is 0 too
    # format_currency(number, currency, format, locale)
    return formatted_once(format_currency, amount, currency, None, format_locale())


def format_relative(value: datetime | None, now: datetime | None = None) -> str:
    """'in 2 hours' or '2 hours ago', counted from now."""
    if value is None:
        return ""
    return timefmt.format_relative(value, now or datetime.now(UTC), format_locale())


def territory_name(code: str | None) -> str:
    if not code:
        return ""
    return format_locale().territories.get(code.upper(), code)


def language_name(code: str | None) -> str:
    if not code:
        return ""
    return format_locale().languages.get(code, code)


def format_usd(amount) -> str:
    """'$1.5M' in the viewer's locale."""
    if amount is None:
        return ""
    return formatted_once(_compact_usd, amount, format_locale())


def _compact_usd(amount, locale: Locale) -> str:
    return format_compact_currency(amount, "USD", locale=locale, fraction_digits=1)


def format_count(value) -> str:
    """'1,234' in the viewer's locale."""
    return formatted_once(format_decimal, value, None, format_locale())  # (number, format, locale)


def format_rating(value) -> str:
    """A mean rating with two decimals ('4.50') in the viewer's locale."""
    return formatted_once(format_decimal, round(value, 2), "0.00", format_locale())


def format_share(value) -> str:
    return formatted_once(format_percent, value or 0, None, format_locale())  # (number, format, locale)
