"""Meeting languages: what two participants have in common, and which interpreter they need when nothing.

Languages are BCP 47 codes as people list them ("ko", "en", "zh-Hant"); they are compared by their primary
subtag. A pair of languages is written in alphabetical order ("en", "ko"), as interpreters are booked per
unordered pair, and a resource of the scheduler is named `interp:en-ko`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Pair = tuple[str, str]

# Languages offered when staff book interpreters (the offices' markets, Korean, and common bridges);
# languages that participants list are offered too.
MEETING_LANGUAGES = ("ko", "en", "vi", "th", "id", "ms", "ja", "zh", "fr", "de", "es")

# Tie-break when several pairs would do: a bridge language interpreters most often cover.
BRIDGE_LANGUAGES = ("en",)


def normalize(codes: Iterable[str] | None) -> list[str]:
    """Primary subtags, lower case, first occurrence kept, in the order given."""
    out: list[str] = []
    for code in codes or ():
        base = str(code).strip().replace("_", "-").split("-")[0].lower()
        if base and base not in out:
            out.append(base)
    return out


def common_languages(a: Iterable[str] | None, b: Iterable[str] | None) -> list[str]:
    """Languages both speak, in the order of the first participant's list."""
    theirs = set(normalize(b))
    return [code for code in normalize(a) if code in theirs]


def make_pair(x: str, y: str) -> Pair:
    x, y = normalize([x])[0], normalize([y])[0]
    return (x, y) if x <= y else (y, x)


def resource_id(pair: Pair) -> str:
    return f"interp:{pair[0]}-{pair[1]}"


def pair_code(pair: Pair) -> str:
    """'en-ko', as stored in Meeting.language for an interpreted meeting."""
    return f"{pair[0]}-{pair[1]}"


def interpreter_pair(
    a: Iterable[str] | None, b: Iterable[str] | None, capacity: Mapping[Pair, int] | None = None
) -> Pair | None:
    """The language pair an interpreter must cover for a and b to meet, or None when they need none.

    None also when either side lists no language (nothing is known, so nothing is flagged). One bilingual
    interpreter bridges one language of each side; the pair chosen is, in order: one for which staff have
    interpreters (`capacity`: the most of them), one with a bridge language (English), then the one made of
    the languages each side lists first.
    """
    first, second = normalize(a), normalize(b)
    if not first or not second or common_languages(first, second):
        return None
    capacity = capacity or {}

    def rank(item):
        (i, x), (j, y) = item
        pair = make_pair(x, y)
        bridge = x in BRIDGE_LANGUAGES or y in BRIDGE_LANGUAGES
        return (-(capacity.get(pair, 0) > 0), -capacity.get(pair, 0), not bridge, i + j, pair)

    candidates = [(ix, jy) for ix in enumerate(first) for jy in enumerate(second)]
    (_, x), (_, y) = min(candidates, key=rank)
    return make_pair(x, y)


@dataclass(frozen=True)
class MeetingLanguage:
    """How two participants talk: in a common `language`, or through an interpreter for `pair`."""

    language: str | None
    pair: Pair | None

    @property
    def needs_interpreter(self) -> bool:
        return self.pair is not None

    @property
    def code(self) -> str | None:
        """The value of Meeting.language: 'ko', or 'en-ko' for an interpreted meeting."""
        return pair_code(self.pair) if self.pair else self.language


def meeting_language(
    a: Iterable[str] | None, b: Iterable[str] | None, capacity: Mapping[Pair, int] | None = None
) -> MeetingLanguage:
    common = common_languages(a, b)
    if common:
        return MeetingLanguage(common[0], None)
    return MeetingLanguage(None, interpreter_pair(a, b, capacity))


def interpreter_need(a, b) -> Pair | None:
    """For a flag: the languages (a's, then b's) an interpreter must bridge for organizations a and b to meet
    (anything with a `languages` list), or None when they share one or either is missing."""
    if a is None or b is None:
        return None
    pair = interpreter_pair(a.languages, b.languages)
    if pair is None:
        return None
    return pair if pair[0] in normalize(a.languages) else (pair[1], pair[0])
