"""Which code page a CSV file was saved in: UTF-8, or what Excel writes in Korea (CP949), Thailand (Windows-874,
a superset of TIS-620) or Vietnam (Windows-1258).

Legacy code pages cannot be told apart by decoding alone: almost any bytes are valid Windows-1258, and Thai text
often decodes as CP949 without an error (into nonsense). So `decode` in `auto` mode takes UTF-8 when the bytes are
UTF-8 (with or without a byte-order mark), and otherwise the legacy code page whose text reads most like its own
script: Hangul syllables for CP949, Thai letters for Windows-874, Latin letters (with Vietnamese marks) for
Windows-1258. The office's usual code page wins a tie; when no code page fits even half the text, the bytes are
refused. Staff see which one was used and may choose another.
"""

import codecs
import unicodedata

AUTO = "auto"
UTF8 = "utf-8"
LEGACY = ("cp949", "cp874", "cp1258")
ENCODINGS = (UTF8, *LEGACY)  # what staff may choose besides AUTO
# Offices by zone (or language of the office) that receive files in their country's code page.
OFFICE_CODE_PAGES = {"Asia/Bangkok": "cp874", "Asia/Ho_Chi_Minh": "cp1258", "Asia/Saigon": "cp1258"}
LOCALE_CODE_PAGES = {"th": "cp874", "vi": "cp1258"}
# Korean Excel is the common case elsewhere: most files come from the Korean companies.
DEFAULT_CODE_PAGE = "cp949"
# Text read in the wrong code page still fits its script in part (Korean read as Windows-1258: about 0.4); below
# half, automatic reading gives up and asks staff to choose.
MIN_FIT = 0.5


class DecodeError(ValueError):
    """The bytes are not text in the chosen encoding (or, in auto mode, in any of them)."""

    def __init__(self, encoding: str):
        super().__init__(encoding)
        self.encoding = encoding


def office_code_page(timezone: str | None, locale: str | None = None) -> str:
    return OFFICE_CODE_PAGES.get(timezone or "") or LOCALE_CODE_PAGES.get(locale or "") or DEFAULT_CODE_PAGE


def decode(data: bytes, encoding: str = AUTO, preferred: str = DEFAULT_CODE_PAGE) -> tuple[str, str]:
    """(text, the encoding used). Text is in NFC, so that Windows-1258's separate tone marks join their letters
    ("Nguyê\u0303n" reads as "Nguyễn"). Raises DecodeError."""
    if encoding == AUTO:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return _strict(data, "utf-16"), "utf-16"
        try:
            return _strict(data, UTF8), UTF8
        except DecodeError:
            pass
        candidates = []
        for rank, code_page in enumerate(sorted(LEGACY, key=lambda c: c != preferred)):
            try:
                text = _strict(data, code_page)
            except DecodeError:
                continue
            candidates.append((_fit(text, code_page), -rank, code_page, text))
        fit, _, code_page, text = max(candidates, default=(0.0, 0, None, None))
        if fit < MIN_FIT:  # bytes that are no one's text: better refused than shown as nonsense
            raise DecodeError(AUTO)
        return text, code_page
    if encoding not in ENCODINGS:
        raise DecodeError(encoding)
    return _strict(data, encoding), encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode("utf-8-sig" if encoding == UTF8 else encoding)
    except UnicodeDecodeError:
        raise DecodeError(encoding) from None
    return unicodedata.normalize("NFC", text)


def _fit(text: str, code_page: str) -> float:
    """The share of the text's non-ASCII characters that belong to the code page's own script."""
    others = [c for c in text if ord(c) > 127]
    if not others:
        return 1.0
    return sum(1 for c in others if _own(c, code_page)) / len(others)


# Korean text also holds the symbols of KS X 1001 (㈜, ·, full-width forms); Thai text seldom holds the obsolete
# letters, the archaic marks and the signs after U+0E4E, which Korean bytes read as Windows-874 are full of.
_HANGUL = ((0xAC00, 0xD7A3), (0x3131, 0x318E), (0x3200, 0x321E), (0x3260, 0x327E), (0x3000, 0x3003),
           (0xFF01, 0xFF5E), (0x00B7, 0x00B7))
_RARE_THAI = {0x0E03, 0x0E05, 0x0E26, 0x0E3A, 0x0E4E}


def _own(char: str, code_page: str) -> bool:
    point = ord(char)
    if code_page == "cp949":
        return any(low <= point <= high for low, high in _HANGUL)
    if code_page == "cp874":
        return (0x0E01 <= point <= 0x0E4D or 0x0E50 <= point <= 0x0E59) and point not in _RARE_THAI
    return unicodedata.category(char) in ("Ll", "Lu", "Mn")  # Latin letters with their (tone) marks
