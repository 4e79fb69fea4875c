"""One cell of a profile file read as a plain value (`profile_rows` checks whole rows with these): trimmed text
without control characters, a list split on `;` or `,`, a whole number; and the codes a cell may hold that Babel
and the time-zone database know (countries, languages, zones). No Flask, no database.
"""

import re
from functools import cache
from zoneinfo import available_timezones

from babel import Locale

NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}  # Babel's territories that are no ISO country

# Control characters no one means to type (tab and line breaks aside): PostgreSQL refuses NUL in text and an
# Excel export refuses them all, so they are dropped as the file is read.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

LIST_SPLIT = re.compile(r"[;,\n]")
NAME_SPLIT = re.compile(r"[;\n]")  # names may hold commas ("Kakao Ventures, Inc.")


@cache
def countries() -> frozenset[str]:
    return frozenset(c for c in Locale("en").territories if len(c) == 2 and c.isalpha()) - NOT_COUNTRIES


@cache
def languages() -> frozenset[str]:
    return frozenset(code for code in Locale("en").languages if code.isalpha())


@cache
def zones() -> dict[str, str]:
    """Lower-cased name -> IANA name, so that `asia/seoul` is read as Asia/Seoul."""
    return {zone.lower(): zone for zone in available_timezones()}


def cell_text(value) -> str:
    """A cell as trimmed text; Excel's 123.0 for a typed-in number is 123."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return CONTROL_CHARACTERS.sub("", str(value)).strip()


def cell_items(value, pattern=LIST_SPLIT) -> list:
    """A cell as a list: a list given as such (JSON Lines), else the text split on `pattern`; blanks dropped."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        parts = value
    else:
        parts = pattern.split(cell_text(value))
    return [item for item in map(cell_text, parts) if item]


def whole_number(value) -> int | None:
    """'1,500,000', '1500000', 1500000.0 -> 1500000; ValueError when not a whole number."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    text = re.sub(r"[\s,_]", "", cell_text(value))
    if not text:
        return None
    if re.fullmatch(r"-?\d+\.0*", text):  # "1500000.00"
        text = text.split(".")[0]
    return int(text)
