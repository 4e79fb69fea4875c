"""The gettext catalogs under translations/ are complete, current and compilable.

Every catalog must hold every message the sources mark for translation (extracted afresh here exactly as
`make extract` does), with no untranslated or fuzzy entry, the same %(name)s placeholders as its msgid,
and no error that would stop `pybabel compile`. When one of these fails after a code change, run
`make extract`, translate what is new (terms: translations/GLOSSARY.md) and run `make translations`.
"""

import re
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
CATALOG_PATHS = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))

# %(name)s, %(num)d, %(n)5.2f …: the name and the conversion type must survive translation.
NAMED_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?([diouxXeEfFgGcrsa])")

# Key terms of translations/GLOSSARY.md that a test can hold every message to: when the English text
# holds the term (case-insensitive), the translation must hold the chosen rendering.
KEY_TERMS = {
    "ko": {
        "matchmaking day": "매칭 데이",
        "meeting request": "미팅 요청",
        "investor": "투자사",
        "buyer": "바이어",
        "time zone": "시간대",
        "outbox": "발송함",
        "audit log": "감사 로그",
    },
    "vi": {
        "meeting request": "yêu cầu gặp",
        "investor": "nhà đầu tư",
        "buyer": "nhà mua hàng",
        "time zone": "múi giờ",
        "outbox": "hộp thư đi",
        "audit log": "nhật ký hoạt động",
    },
    "th": {
        "matchmaking day": "งานจับคู่ธุรกิจ",
        "meeting request": "คำขอนัดประชุม",
        "investor": "นักลงทุน",
        "time zone": "เขตเวลา",
        "outbox": "กล่องขาออก",
        "audit log": "บันทึกการตรวจสอบ",
    },
    "id": {
        "meeting request": "permintaan pertemuan",
        "buyer": "pembeli",
        "time zone": "zona waktu",
        "outbox": "kotak keluar",
        "audit log": "log audit",
    },
}


def _pybabel() -> list[str]:
    beside_python = Path(sys.executable).with_name("pybabel")
    if beside_python.exists():
        return [str(beside_python)]
    found = shutil.which("pybabel")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from babel.messages.frontend import main; sys.exit(main())"]


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parent.parent.name)


def _key(message) -> tuple:
    """Context and every msgid (singular and plural), as a catalog must hold them."""
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    return (message.context, *ids)


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def _placeholders(text: str) -> set[str]:
    return {f"%({name}){kind}" for name, kind in NAMED_PLACEHOLDER.findall(text or "")}


def _label(message) -> str:
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    prefix = f"[{message.context}] " if message.context else ""
    return prefix + " / ".join(repr(i) for i in ids)


def _messages(catalog):
    return [m for m in catalog if m.id]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The message template of the sources as they are now (same options as `make extract`)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    result = subprocess.run(
        [*_pybabel(), "--quiet", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
         "-o", str(pot), "--no-location", "--sort-output", "."],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"pybabel extract failed:\n{result.stdout}\n{result.stderr}"
    with pot.open("rb") as handle:
        template = read_po(handle)
    assert len(_messages(template)) > 100, "extraction found almost nothing; is babel.cfg right?"
    return template


@pytest.fixture(scope="module", params=CATALOG_PATHS, ids=lambda p: p.parent.parent.name)
def catalog(request):
    return _read(request.param)


def test_catalogs_exist():
    languages = {p.parent.parent.name for p in CATALOG_PATHS}
    assert {"en", "ko"} <= languages, f"catalogs found: {sorted(languages)}"


def test_catalog_holds_every_message_of_the_sources(catalog, extracted):
    have = {_key(m) for m in _messages(catalog)}
    missing = [_label(m) for m in _messages(extracted) if _key(m) not in have]
    assert not missing, (
        f"{catalog.locale}: {len(missing)} message(s) of the sources are missing from the catalog; "
        "run `make extract` and translate them:\n  " + "\n  ".join(missing)
    )


def test_catalog_has_no_untranslated_or_fuzzy_entry(catalog):
    assert not catalog.fuzzy, f"{catalog.locale}: the catalog header is marked fuzzy"
    untranslated = [_label(m) for m in _messages(catalog) if not all(_forms(m))]
    fuzzy = [_label(m) for m in _messages(catalog) if m.fuzzy]
    assert not (untranslated or fuzzy), (
        f"{catalog.locale}: {len(untranslated)} untranslated and {len(fuzzy)} fuzzy message(s):\n  "
        + "\n  ".join([f"untranslated: {u}" for u in untranslated] + [f"fuzzy: {f}" for f in fuzzy])
    )


def test_plural_messages_have_one_form_per_plural_of_the_language(catalog):
    wrong = [
        f"{_label(m)}: {len(_forms(m))} form(s)"
        for m in _messages(catalog)
        if m.pluralizable and len(_forms(m)) != catalog.num_plurals
    ]
    assert not wrong, (
        f"{catalog.locale}: expected {catalog.num_plurals} plural form(s) each:\n  " + "\n  ".join(wrong)
    )


def test_placeholders_match_between_msgid_and_msgstr(catalog):
    problems = []
    for message in _messages(catalog):
        forms = _forms(message)
        if not any(forms):
            continue  # reported by the untranslated-entry test
        if message.pluralizable:
            singular, plural = (_placeholders(i) for i in message.id)
            allowed = [singular, plural]
            for index, form in enumerate(forms):
                found = _placeholders(form)
                last = index == len(forms) - 1
                # The last form serves "many", so it needs the plural's placeholders (Korean has only it).
                if found not in allowed or (last and found != plural):
                    problems.append(f"{_label(message)} msgstr[{index}]: {sorted(found)} vs {sorted(plural)}")
        else:
            expected, found = _placeholders(message.id), _placeholders(forms[0])
            if found != expected:
                problems.append(f"{_label(message)}: {sorted(found)} instead of {sorted(expected)}")
    assert not problems, f"{catalog.locale}: placeholders differ:\n  " + "\n  ".join(problems)


def test_catalog_compiles(catalog):
    errors = [
        f"{_label(message)}: {'; '.join(str(e) for e in errs)}" for message, errs in catalog.check()
    ]
    assert not errors, f"{catalog.locale}: `pybabel compile` would report:\n  " + "\n  ".join(errors)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    assert buffer.getvalue()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")  # the .mo magic number


def test_key_terms_follow_the_glossary(catalog):
    terms = KEY_TERMS.get(str(catalog.locale), {})
    off = []
    for message in _messages(catalog):
        english = " ".join(message.id if isinstance(message.id, (list, tuple)) else (message.id,)).lower()
        for term, rendering in terms.items():
            # Case-insensitive: labels start with a capital in most languages ("Zona waktu").
            if term in english and not all(rendering in form.lower() for form in _forms(message) if form):
                off.append(f"{_label(message)}: {term!r} should read {rendering!r}")
    assert not off, f"{catalog.locale}: terms differ from translations/GLOSSARY.md:\n  " + "\n  ".join(off)


def test_english_catalog_repeats_the_msgids():
    path = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
    differ = [
        _label(m)
        for m in _messages(_read(path))
        if _forms(m) != (list(m.id) if isinstance(m.id, (list, tuple)) else [m.id])
    ]
    assert not differ, "en: msgstr differs from msgid:\n  " + "\n  ".join(differ)
