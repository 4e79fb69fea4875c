"""Searching organizations' names in any script: both the name and its Latin spelling, case-insensitively,
after Unicode NFKC (full-width letters, compatibility forms) and with the diacritics of Latin letters folded
("nguyen" finds "Nguyễn"). Marks of other scripts (Thai vowels and tones, Hangul) are kept: they are letters
there. Plain Python: no Flask, no database."""

import unicodedata

# Latin letters with a stroke or a special form that no decomposition takes apart.
_LATIN_EXTRA = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "ı": "i", "ħ": "h", "ŧ": "t", "æ": "ae", "œ": "oe"})


def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")


def fold(text: str | None) -> str:
    """`text` as searches compare it: NFKC, case-folded, Latin diacritics dropped, spaces collapsed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    kept: list[str] = []
    base_is_latin = False
    for char in decomposed:
        if unicodedata.combining(char):
            if base_is_latin:
                continue  # a Latin letter's accent: dropped
        else:
            base_is_latin = _is_latin(char)
        kept.append(char)
    folded = unicodedata.normalize("NFC", "".join(kept)).translate(_LATIN_EXTRA)
    return " ".join(folded.split())


def name_matches(query: str, *names: str | None) -> bool:
    """Whether every word of `query` appears in one of `names` (an empty query matches everything)."""
    words = fold(query).split()
    haystack = " | ".join(fold(name) for name in names if name)
    return all(word in haystack for word in words)
