"""Korean names in Latin letters: a suggestion by the Revised Romanization of Korean, syllable by syllable (as
names are written: no sound changes across syllables), with the surnames spelled the way their bearers usually
spell them ("Kim", "Lee", "Park"). Plain Python: no Flask, no database."""

_FIRST, _LAST = 0xAC00, 0xD7A3
_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
           "yu", "eu", "ui", "i")
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
           "ng", "t", "t", "k", "t", "p", "t")
_RIEUL_INITIAL, _RIEUL_FINAL = 5, 8

SURNAMES = {
    "김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang", "조": "Cho", "윤": "Yoon",
    "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh", "서": "Seo", "신": "Shin", "권": "Kwon", "황": "Hwang",
    "안": "Ahn", "송": "Song", "유": "Yoo", "홍": "Hong", "전": "Jeon", "고": "Ko", "문": "Moon", "양": "Yang",
    "손": "Son", "배": "Bae", "백": "Baek", "허": "Heo", "남": "Nam", "심": "Shim", "노": "Noh", "하": "Ha",
    "곽": "Kwak", "성": "Sung", "차": "Cha", "주": "Joo", "우": "Woo", "구": "Koo", "민": "Min", "류": "Ryu",
    "나": "Na", "진": "Jin", "지": "Ji", "엄": "Eom", "채": "Chae", "원": "Won", "천": "Cheon", "방": "Bang",
    "공": "Kong", "현": "Hyun", "함": "Ham", "변": "Byun", "염": "Yeom", "여": "Yeo", "추": "Choo", "도": "Do",
    "소": "So", "석": "Seok", "선": "Sun", "설": "Seol", "마": "Ma", "길": "Gil", "연": "Yeon", "표": "Pyo",
    "명": "Myung", "기": "Ki", "반": "Ban", "왕": "Wang", "금": "Keum", "옥": "Ok", "육": "Yook", "인": "In",
    "맹": "Maeng", "제": "Je", "모": "Mo", "탁": "Tak", "국": "Kook", "은": "Eun", "용": "Yong", "경": "Kyung",
    "봉": "Bong", "부": "Boo", "라": "Ra", "로": "Roh", "두": "Doo", "피": "Pi", "태": "Tae", "목": "Mok",
    "황보": "Hwangbo", "남궁": "Namgoong", "선우": "Sunwoo", "제갈": "Jegal", "독고": "Dokgo", "사공": "Sagong",
    "서문": "Seomun",
}
_COMPOUND_SURNAMES = tuple(surname for surname in SURNAMES if len(surname) == 2)


def _is_hangul(char: str) -> bool:
    return _FIRST <= ord(char) <= _LAST


def has_hangul(text: str | None) -> bool:
    return any(_is_hangul(char) for char in text or "")


def romanize_word(word: str) -> str:
    """Hangul syllables in Latin letters, one after another ("민준" → "minjun"); other characters are kept."""
    out: list[str] = []
    previous_final = None
    for char in word:
        if not _is_hangul(char):
            out.append(char)
            previous_final = None
            continue
        code = ord(char) - _FIRST
        initial, vowel, final = code // 588, (code % 588) // 28, code % 28
        onset = _INITIALS[initial]
        if initial == _RIEUL_INITIAL and previous_final == _RIEUL_FINAL:
            onset = "l"  # ㄹㄹ is written "ll"
        out.append(onset + _VOWELS[vowel] + _FINALS[final])
        previous_final = final
    return "".join(out)


def _split_surname(word: str) -> tuple[str, str]:
    if len(word) >= 3 and word.startswith(_COMPOUND_SURNAMES):
        return word[:2], word[2:]
    return word[:1], word[1:]


def _surname(surname: str) -> str:
    return SURNAMES.get(surname) or romanize_word(surname).capitalize()


def suggest_latin_name(name: str | None) -> str | None:
    """A Latin spelling for a Korean name ("김민준" → "Kim Minjun", "이 서연" → "Lee Seoyeon"), or None when the
    name has no Hangul in it (nothing to suggest)."""
    words = (name or "").split()
    if not words or not has_hangul(name):
        return None
    if len(words) == 1:
        surname, given = _split_surname(words[0])
        parts = [_surname(surname), romanize_word(given).capitalize()] if given else [_surname(surname)]
    else:
        parts = [_surname(words[0]) if has_hangul(words[0]) else words[0]]
        parts += [romanize_word(word).capitalize() for word in words[1:]]
    return " ".join(part for part in parts if part)
