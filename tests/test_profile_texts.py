"""Which description a reader sees (theirs, else English, else the original marked), and how the texts a member
types or a file brings are kept: plain functions of domain/profile_texts.py."""

import pytest

from matchmaker.domain.profile_texts import (
    Kept,
    Shown,
    all_texts,
    by_language,
    choose,
    clean,
    guess_language,
    row_language,
    stored,
    updated,
)

KOREAN, ENGLISH, INDONESIAN = "창고용 자율주행 로봇", "Warehouse robots", "Robot gudang otomatis"
BOTH = {"ko": {"description": KOREAN}, "en": {"description": ENGLISH}}


@pytest.mark.parametrize(("texts", "reader", "expected"), [
    (BOTH, "ko", Shown(KOREAN, "ko", marked=False)),  # the reader's language
    (BOTH, "en", Shown(ENGLISH, "en", marked=False)),
    (BOTH, "vi", Shown(ENGLISH, "en", marked=False)),  # else English, unmarked
    (BOTH, "ko-KR", Shown(KOREAN, "ko", marked=False)),  # a region does not hide the language
    ({"ko": {"description": KOREAN}}, "en", Shown(KOREAN, "ko", marked=True)),  # else the original, marked
    ({"ko": {"description": KOREAN}, "id": {"description": INDONESIAN}}, "th", Shown(KOREAN, "ko", marked=True)),
    ({"ko": {"description": KOREAN}, "id": {"description": INDONESIAN}}, "id", Shown(INDONESIAN, "id", False)),
])
def test_choose_reader_language_then_english_then_the_original_marked(texts, reader, expected):
    assert choose(KOREAN, "ko", texts, reader) == expected


def test_choose_an_original_in_english_is_never_marked():
    assert choose(ENGLISH, "en", {"en": {"description": ENGLISH}}, "th") == Shown(ENGLISH, "en", marked=False)


def test_choose_nothing_when_there_is_no_text():
    assert choose(None, None, {}, "en") is None
    assert choose("  ", None, {"en": {"description": ""}}, "en") is None


def test_choose_a_profile_saved_before_languages_guesses_the_originals_language():
    assert choose(KOREAN, None, {}, "en") == Shown(KOREAN, "ko", marked=True)
    assert choose(ENGLISH, None, {}, "ko") == Shown(ENGLISH, "en", marked=False)
    assert choose("บริษัทหุ่นยนต์", None, None, "en") == Shown("บริษัทหุ่นยนต์", "th", marked=True)


def test_choose_an_original_whose_language_lost_its_text_falls_back_to_any_text_marked():
    assert choose(None, None, {"id": {"description": INDONESIAN}}, "en") == Shown(INDONESIAN, "id", marked=True)


@pytest.mark.parametrize(("text", "expected"), [
    ("인공지능 기반 검사", "ko"), ("AI 기반 inspection", "ko"), ("ระบบหุ่นยนต์", "th"),
    ("Nền tảng thanh toán", "vi"), ("Platform pembayaran", "en"), ("", None), (None, None),
])
def test_guess_language_by_script(text, expected):
    assert guess_language(text) == expected


def test_clean_drops_control_characters_and_keeps_line_breaks():
    assert clean("\x0b Line one\r\nline\ttwo\x00 ") == "Line one\nline\ttwo"
    assert clean("\x01\x02") == ""


def test_by_language_puts_the_original_in_its_language_first_in_form_order():
    assert list(by_language(ENGLISH, "en", {"th": {"description": "ไทย"}, "ko": {"description": KOREAN}})) == [
        "ko", "en", "th"]


def test_all_texts_joins_every_language_the_original_first():
    assert all_texts(KOREAN, "ko", BOTH) == f"{KOREAN}\n\n{ENGLISH}"
    assert all_texts(ENGLISH, "en", BOTH) == f"{ENGLISH}\n\n{KOREAN}"
    assert all_texts(KOREAN, None, {}) == KOREAN  # a single text as it is, for the recommender
    assert all_texts(None, None, {}) == ""


def test_updated_from_the_form_keeps_the_original_while_its_box_has_text():
    kept = updated(KOREAN, "ko", {"ko": {"description": KOREAN}}, by_lang={"ko": KOREAN, "en": ENGLISH + "\r\n"})
    assert kept == Kept(KOREAN, "ko", BOTH)


def test_updated_original_follows_an_edit_of_its_box():
    kept = updated(KOREAN, "ko", BOTH, by_lang={"ko": "새 설명", "en": ENGLISH})
    assert (kept.description, kept.description_lang) == ("새 설명", "ko")


def test_updated_an_empty_box_means_no_text_in_that_language_and_the_original_moves():
    kept = updated(KOREAN, "ko", BOTH, by_lang={"ko": "  ", "en": ENGLISH})
    assert kept == Kept(ENGLISH, "en", {"en": {"description": ENGLISH}})
    assert updated(KOREAN, "ko", BOTH, by_lang={"ko": "", "en": ""}) == Kept(None, None, {})


def test_updated_languages_not_given_keep_their_text():
    kept = updated(KOREAN, "ko", {**BOTH, "id": {"description": INDONESIAN}}, by_lang={"en": "New English"})
    assert kept.texts == {"ko": {"description": KOREAN}, "en": {"description": "New English"},
                          "id": {"description": INDONESIAN}}


def test_updated_a_first_text_of_a_profile_without_one_becomes_the_original():
    assert updated(None, None, {}, by_lang={"id": INDONESIAN}) == Kept(INDONESIAN, "id",
                                                                      {"id": {"description": INDONESIAN}})


def test_updated_a_legacy_original_goes_into_its_guessed_language():
    kept = updated(KOREAN, None, {}, by_lang={"en": ENGLISH})
    assert kept == Kept(KOREAN, "ko", BOTH)


def test_updated_a_new_original_takes_the_language_of_the_column_with_the_same_text():
    kept = updated(None, None, {}, original=ENGLISH, by_lang={"ko": KOREAN, "en": ENGLISH})
    assert kept == Kept(ENGLISH, "en", BOTH)
    guessed = updated(None, None, {}, original=KOREAN, by_lang={"en": ENGLISH})
    assert guessed == Kept(KOREAN, "ko", BOTH)


def test_row_language_prefers_the_column_holding_the_same_text():
    assert row_language("Robot gudang", {"id": "Robot gudang", "en": "Warehouse"}) == "id"
    assert row_language("Robot gudang", {"en": "Warehouse"}) == "en"  # Latin script: taken for English


def test_stored_keeps_other_fields_of_a_language():
    texts = {"ko": {"description": KOREAN, "tagline": "로봇"}, "en": {"description": ENGLISH}}
    assert stored(texts, "description", {"en": "New"}) == {"ko": {"tagline": "로봇"}, "en": {"description": "New"}}
