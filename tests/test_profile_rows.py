"""Reading participant rows from Excel, CSV and JSON Lines, and the problems each row can have."""

import codecs
import json

import pytest
from builders.workbooks import csv_bytes, xlsx_bytes

from matchmaker.domain import profile_updates
from matchmaker.domain.profile_rows import (
    COLUMNS,
    Problem,
    UnreadableFile,
    Vocabulary,
    cell_values,
    preferred_locale,
    read,
)

VOCABULARY = Vocabulary(
    sectors=frozenset({"ai", "robotics", "fintech"}), stages=frozenset({"seed", "series-a"}),
    locales=frozenset({"en", "ko", "vi", "th", "id"}),
)
HEADER = ["id", "kind", "name", "email", "sectors", "stages", "timezone", "ticket_min_usd", "ticket_max_usd"]
KOREAN_ROW = ["KR-1", "company", "한빛 로보틱스", "ceo@hanbit.example", "robotics; ai:0.5", "series-a",
              "Asia/Seoul", "1,000,000", "3000000"]
EXPECTED = {
    "id": "KR-1", "kind": "company", "name": "한빛 로보틱스", "email": "ceo@hanbit.example",
    "sectors": {"robotics": 1.0, "ai": 0.5}, "stages": ["series-a"], "timezone": "Asia/Seoul",
    "ticket_min_usd": 1_000_000, "ticket_max_usd": 3_000_000,
}


def only_row(table):
    (row,) = table.rows
    return row


def picked(values: dict) -> dict:
    return {key: values[key] for key in EXPECTED}


@pytest.mark.parametrize(("filename", "data"), [
    ("people.xlsx", xlsx_bytes([HEADER, KOREAN_ROW])),
    ("people.csv", csv_bytes([HEADER, KOREAN_ROW])),
    ("people.csv", codecs.BOM_UTF8 + csv_bytes([HEADER, KOREAN_ROW])),
    ("people.csv", csv_bytes([HEADER, KOREAN_ROW], encoding="cp949")),
    ("people.csv", csv_bytes([HEADER, KOREAN_ROW], encoding="euc-kr")),
    ("people.csv", csv_bytes([HEADER, KOREAN_ROW], encoding="utf-16")),
    ("PEOPLE.CSV", csv_bytes([HEADER, KOREAN_ROW], delimiter=";")),
], ids=["xlsx", "csv-utf8", "csv-utf8-bom", "csv-cp949", "csv-euc-kr", "csv-utf16", "csv-semicolons"])
def test_each_format_reads_the_same_row(filename, data):
    row = only_row(read(filename, data, VOCABULARY))
    assert row.line == 2
    assert row.problems == []
    assert picked(row.values) == EXPECTED


def test_jsonl_reads_the_profile_format():
    line = {"id": "KR-1", "kind": "company", "name": "한빛 로보틱스", "email": "ceo@hanbit.example",
            "sectors": {"robotics": 1, "ai": 0.5}, "stages": ["series-a"], "timezone": "Asia/Seoul",
            "ticket_usd": [1000000, 3000000], "portfolio": [{"sector": "ai", "stage": "seed", "year": 2020}]}
    data = ("\n" + json.dumps(line, ensure_ascii=False) + "\n").encode()
    row = only_row(read("people.jsonl", data, VOCABULARY))
    assert (row.line, row.problems) == (2, [])
    assert picked(row.values) == EXPECTED
    assert row.values["portfolio"] == [{"sector": "ai", "stage": "seed", "year": 2020}]


def test_cp949_beyond_euc_kr_is_read():
    # 똠 is in CP949 (Microsoft's extension) but not in EUC-KR.
    data = csv_bytes([["kind", "name", "email"], ["company", "똠방각하", "a@b.example"]], encoding="cp949")
    assert only_row(read("x.csv", data, VOCABULARY)).values["name"] == "똠방각하"


def test_headers_in_a_language_are_recognised_and_unknown_ones_reported():
    data = csv_bytes([["종류", "이름", "E-Mail ", "Favourite colour"], ["buyer", "Buyer Co", "b@b.example", "red"]])
    table = read("x.csv", data, VOCABULARY, headers={"종류": "kind", "이름": "name", "e-mail": "email"})
    assert table.unknown_columns == ["Favourite colour"]
    assert picked_subset(only_row(table).values) == {"kind": "buyer", "name": "Buyer Co", "email": "b@b.example"}


def picked_subset(values):
    return {key: values[key] for key in ("kind", "name", "email")}


def problems_of(**cells) -> list[Problem]:
    base = {"kind": "company", "name": "Acme", "email": "a@acme.example"}
    data = xlsx_bytes([list({**base, **cells}), list({**base, **cells}.values())])
    return only_row(read("x.xlsx", data, VOCABULARY)).problems


@pytest.mark.parametrize(("cells", "expected"), [
    ({"name": ""}, [Problem("name", "required")]),
    ({"kind": None}, [Problem("kind", "required")]),
    ({"email": " "}, [Problem("email", "required")]),
    ({"kind": "vc"}, [Problem("kind", "bad_kind", "vc")]),
    ({"email": "x@"}, [Problem("email", "bad_email", "x@")]),
    ({"sectors": "ai; quantum"}, [Problem("sectors", "unknown_sector", "quantum")]),
    ({"sectors": "ai:lots"}, [Problem("sectors", "bad_weight", "ai:lots")]),
    ({"sectors": "ai:-1"}, [Problem("sectors", "bad_weight", "ai:-1")]),
    ({"stages": "seed, ipo"}, [Problem("stages", "unknown_stage", "ipo")]),
    ({"markets": "US, XY"}, [Problem("markets", "unknown_market", "XY")]),
    ({"languages": "ko, qq"}, [Problem("languages", "unknown_language", "qq")]),
    ({"locale": "fr"}, [Problem("locale", "unknown_locale", "fr")]),
    ({"timezone": "Asia/Atlantis"}, [Problem("timezone", "unknown_timezone", "Asia/Atlantis")]),
    ({"country": "Korea"}, [Problem("country", "bad_country", "KOREA")]),
    ({"ticket_min_usd": "a lot"}, [Problem("ticket_min_usd", "bad_number", "a lot")]),
    ({"ticket_min_usd": 2.5}, [Problem("ticket_min_usd", "bad_number", "2.5")]),
    ({"ticket_max_usd": -5}, [Problem("ticket_max_usd", "negative", -5)]),
    ({"ticket_min_usd": 10, "ticket_max_usd": 5}, [Problem("ticket_max_usd", "ticket_range", 5)]),
    ({"name": "x" * 201}, [Problem("name", "too_long", "x" * 40)]),
    ({"portfolio": "[1, 2]"}, [Problem("portfolio", "bad_portfolio", "[1, 2]")]),
    ({"portfolio": "not json"}, [Problem("portfolio", "bad_portfolio", "not json")]),
], ids=lambda value: None if isinstance(value, list) else "-".join(map(str, value)))
def test_problem_codes(cells, expected):
    assert problems_of(**cells) == expected


def test_clean_values_are_normalized():
    assert problems_of(kind="Investor", email="Boss@Acme.Example", country="kr", markets="us; id",
                       languages="KO, en-US", timezone="asia/seoul", ticket_min_usd="0") == []
    data = xlsx_bytes([["kind", "name", "email", "country", "markets", "languages", "timezone", "existing_investors"],
                       ["Investor", " Acme ", "Boss@Acme.Example", "kr", "us; id", "KO, en-US", "asia/seoul",
                        "Kakao Ventures, Inc.; Altos"]])
    values = only_row(read("x.xlsx", data, VOCABULARY)).values
    assert (values["kind"], values["name"], values["email"], values["country"]) == (
        "investor", "Acme", "boss@acme.example", "KR")
    assert (values["markets"], values["languages"], values["timezone"]) == (["US", "ID"], ["ko", "en-us"], "Asia/Seoul")
    assert values["existing_investors"] == ["Kakao Ventures, Inc.", "Altos"]


def test_bad_json_line_and_non_object_are_problems_of_their_line():
    data = b'{"kind": "buyer", "name": "B", "email": "b@b.example"}\n{oops\n[1, 2]\n'
    table = read("x.jsonl", data, VOCABULARY)
    assert [(row.line, row.problems) for row in table.rows] == [
        (1, []), (2, [Problem("line", "bad_json")]), (3, [Problem("line", "bad_json")]),
    ]


def test_duplicates_within_the_file_name_the_first_line():
    data = csv_bytes([
        ["id", "kind", "name", "email"],
        ["A", "company", "One", "one@x.example"],
        ["B", "company", "Two", "ONE@x.example"],
        ["A", "company", "Three", "three@x.example"],
    ])
    table = read("x.csv", data, VOCABULARY)
    assert [row.problems for row in table.rows] == [
        [], [Problem("email", "duplicate", 2)], [Problem("id", "duplicate", 2)],
    ]


@pytest.mark.parametrize(("filename", "data", "code"), [
    ("people.xls", b"whatever", "unknown_format"),
    ("people.xlsx", b"not a zip file", "bad_xlsx"),
    ("people.csv", b"name\r\n\x80\xff\x80", "bad_encoding"),
    ("people.csv", b"\r\n , \r\n", "empty"),
    ("people.jsonl", b"\xc0\xc1", "bad_encoding"),
])
def test_unreadable_files(filename, data, code):
    with pytest.raises(UnreadableFile) as error:
        read(filename, data, VOCABULARY)
    assert error.value.code == code


def test_cells_read_back_to_the_same_values():
    values = {
        "id": "KR-9", "kind": "company", "name": "Acme, Inc.", "name_latin": None, "email": "a@acme.example",
        "contact_name": "Kim", "locale": "ko", "country": "KR", "website": None, "phone": "010",
        "sectors": {"ai": 0.25, "fintech": 1.0}, "stages": ["seed"], "markets": ["US"], "languages": ["ko"],
        "timezone": "Asia/Seoul", "ticket_min_usd": 0, "ticket_max_usd": 10, "description": "Line one\nline two",
        "description_ko": "첫 줄\n둘째 줄", "description_en": "Line one\nline two", "description_id": None,
        "description_vi": None, "description_th": None, "existing_investors": ["Kakao Ventures, Inc."],
        "portfolio": [{"sector": "ai", "year": 2021}],
    }
    data = xlsx_bytes([list(COLUMNS), cell_values(values)])
    row = only_row(read("x.xlsx", data, VOCABULARY))
    assert (row.values, row.problems) == (values, [])


@pytest.mark.parametrize(("values", "expected"), [
    ({"locale": "th", "languages": ["ko"]}, "th"),
    ({"locale": None, "languages": ["fr", "ko-KR", "en"]}, "ko"),
    ({"locale": None, "languages": ["fr"]}, None),
])
def test_preferred_locale(values, expected):
    assert preferred_locale(values, ["en", "ko", "th"]) == expected


def test_changes_count_only_filled_cells_that_differ():
    current = {"id": None, "name": "Hanbit", "sectors": {"ai": 1.0}, "timezone": "Asia/Seoul",
               "description": "Robots.", "ticket_min_usd": 0, "stages": ["seed"]}
    values = {"id": "KR-1", "kind": "company", "email": "a@b.example", "name": "Hanbit", "sectors": {"ai": 1.0,
              "cloud": 1.0}, "timezone": "Asia/Tokyo", "description": None, "ticket_min_usd": None, "stages": []}
    assert profile_updates.changes(current, values) == [
        {"field": "id", "old": None, "new": "KR-1"},
        {"field": "sectors", "old": {"ai": 1.0}, "new": {"ai": 1.0, "cloud": 1.0}},
        {"field": "timezone", "old": "Asia/Seoul", "new": "Asia/Tokyo"},
    ]
    assert profile_updates.changes(current, {**current, "description": ""}) == []


@pytest.mark.parametrize(("current", "new", "expected"), [
    ({"ticket_min_usd": 100, "ticket_max_usd": None}, {"ticket_max_usd": 50}, [Problem("ticket_max_usd",
                                                                                       "ticket_range", 50)]),
    ({"ticket_min_usd": None, "ticket_max_usd": 100}, {"ticket_min_usd": 500}, [Problem("ticket_max_usd",
                                                                                        "ticket_range", 100)]),
    ({"ticket_min_usd": 100, "ticket_max_usd": 200}, {"ticket_max_usd": 150}, []),
])
def test_ticket_range_is_checked_after_the_changes(current, new, expected):
    changes = profile_updates.changes(current, new)
    assert profile_updates.merged_problems(current, changes) == expected
