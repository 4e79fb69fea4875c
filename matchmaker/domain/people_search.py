"""The check-in desk's search: a participant is found by any of its names — the organization's name and Latin
name, its people's names and Latin names (or, where no Latin name is stored, the romanization suggested for a
Korean one) — in either script, ignoring case, accents, spaces and hyphens ("kim minjun", "KIM", "min-jun" and
"민준" all find "김민준"). Plain Python: no Flask, no database."""

from collections.abc import Iterable

from matchmaker.domain.name_search import fold
from matchmaker.domain.romanize import suggest_latin_name

_IGNORED = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\u00ad_.·")


def squash(text: str | None) -> str:
    """`text` as the desk's search compares it: folded (see name_search.fold), without spaces and hyphens."""
    return fold(text).translate(_IGNORED)


def searchable_names(name: str | None, name_latin: str | None) -> list[str]:
    """A name and its Latin spelling, the suggested romanization standing in for a Latin spelling not stored."""
    latin = name_latin or suggest_latin_name(name)
    return [text for text in (name, latin) if text]


def matches(query: str | None, names: Iterable[str | None]) -> bool:
    """Whether `query` appears in one of `names` (an empty query matches everything)."""
    wanted = squash(query)
    if not wanted:
        return True
    return any(wanted in squash(name) for name in names if name)
