"""The free texts of a profile that a partner reads (its description), in several languages: which one a reader
sees, and how the texts a member types or a file brings are kept.

An organization keeps each language's text in `texts` ({"en": {"description": "…"}, "ko": {…}}), and its original
(as first written) in `description`, with that language in `description_lang`; the original's language has the same
text in `texts`. Profiles saved before there were languages have only `description`: its language is guessed from
its script. A reader sees the text in their language, else in English, else the original, marked with its language.
Plain Python: no Flask, no database; the words of the mark ("(in Korean)") are the page's.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from matchmaker.domain.profile_cells import CONTROL_CHARACTERS

TEXT_FIELDS = ("description",)
# The app's languages, in the order the profile form and the file's columns offer them: Korean and English first.
LANGUAGES = ("ko", "en", "id", "vi", "th")
FALLBACK = "en"
MAX_TEXT = 5000  # characters of each text, in every language

_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_VIETNAMESE = re.compile(r"[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


@dataclass(frozen=True)
class Shown:
    """The text a reader sees, its language, and whether it is shown marked as being in another language."""

    text: str
    lang: str
    marked: bool


@dataclass(frozen=True)
class Kept:
    """What an organization stores: the original, its language, and every language's text."""

    description: str | None
    description_lang: str | None
    texts: dict


def clean(text: str | None) -> str:
    """A text as kept: control characters no one types left out (as an imported cell's), line breaks as `\\n`,
    trimmed; "" when nothing is left."""
    if not text:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", text).strip()


def guess_language(text: str | None) -> str | None:
    """The language of a text whose language nobody gave, by its script: Hangul is Korean, Thai script Thai,
    Vietnamese letters Vietnamese, any other text English (the profile form used to ask for Korean or English)."""
    if not text or not text.strip():
        return None
    text = unicodedata.normalize("NFC", text)
    if _HANGUL.search(text):
        return "ko"
    if _THAI.search(text):
        return "th"
    if _VIETNAMESE.search(text):
        return "vi"
    return FALLBACK


def _base(lang: str | None) -> str:
    """'ko-KR', 'ko_KR' -> 'ko'."""
    return (lang or "").replace("_", "-").split("-")[0].lower()


def _ordered(found: dict) -> dict:
    rank = {lang: position for position, lang in enumerate(LANGUAGES)}
    return dict(sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


def by_language(description: str | None, description_lang: str | None, texts: Mapping | None,
                field: str = "description") -> dict[str, str]:
    """Every language's text of `field`, in LANGUAGES order. The original counts in its language (guessed when
    none is stored, and then a text stored for that language comes first)."""
    found = {}
    for lang, entry in (texts or {}).items():
        value = entry.get(field) if isinstance(entry, Mapping) else None
        if isinstance(value, str) and value.strip():
            found[lang] = value
    if field == "description" and description and description.strip():
        if description_lang:
            found[description_lang] = description
        else:
            found.setdefault(guess_language(description), description)
    return _ordered(found)


def original_language(description: str | None, description_lang: str | None) -> str | None:
    return description_lang or guess_language(description)


def choose(description: str | None, description_lang: str | None, texts: Mapping | None, reader: str | None,
           field: str = "description") -> Shown | None:
    """Which text `reader` (a language code) sees: theirs, else English, else the original, marked; None when
    there is no text at all."""
    found = by_language(description, description_lang, texts, field)
    if not found:
        return None
    for lang in (_base(reader), FALLBACK):
        if lang in found:
            return Shown(found[lang], lang, marked=False)
    lang = original_language(description, description_lang)
    if lang not in found:
        lang = next(iter(found))
    return Shown(found[lang], lang, marked=True)


def all_texts(description: str | None, description_lang: str | None, texts: Mapping | None,
              field: str = "description") -> str:
    """Every language's text in one, the original first (what the recommender reads); a single text as it is."""
    found = by_language(description, description_lang, texts, field)
    original = original_language(description, description_lang)
    first = [found.pop(original)] if original in found else []
    return "\n\n".join(dict.fromkeys(first + list(found.values())))


def row_language(original: str, by_lang: Mapping[str, str]) -> str | None:
    """The language of a file's original text: the language column holding the same text, else its script's."""
    original = clean(original)
    same = next((lang for lang, text in by_lang.items() if clean(text) == original), None)
    return same or guess_language(original)


def updated(description: str | None, description_lang: str | None, texts: Mapping | None, *,
            original: str | None = None, by_lang: Mapping[str, str | None] | None = None,
            field: str = "description") -> Kept:
    """The texts after a change: `by_lang` sets each language given (an empty text: none in that language); a
    new `original` replaces the original (its language: `row_language`). The original stays in its language
    while that language has a text (which it then follows), else the first language with a text is the original."""
    found = by_language(description, description_lang, texts, field)
    lang = original_language(description, description_lang)
    given = {key: clean(text) for key, text in (by_lang or {}).items()}
    for key, text in given.items():
        if text:
            found[key] = text
        else:
            found.pop(key, None)
    if clean(original):
        original = clean(original)
        lang = row_language(original, {key: text for key, text in given.items() if text})
        found[lang] = original
    found = _ordered(found)
    if lang not in found:
        lang = next(iter(found), None)
    return Kept(found.get(lang), lang, stored(texts, field, found))


def stored(texts: Mapping | None, field: str, found: Mapping[str, str]) -> dict:
    """`texts` with `field` as `found` gives it in every language (other fields kept; a language without any text
    left out)."""
    kept = {}
    for lang, entry in (texts or {}).items():
        rest = {key: value for key, value in entry.items() if key != field} if isinstance(entry, Mapping) else {}
        if rest:
            kept[lang] = rest
    for lang, text in found.items():
        kept[lang] = {**kept.get(lang, {}), field: text}
    return _ordered(kept)
