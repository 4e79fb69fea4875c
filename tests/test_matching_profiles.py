"""Profile parsing: the JSON Lines format of shared/formats/profile.md, strict on types, lenient on absence."""

import json

import pytest

from matchmaker.matching import ProfileError, parse_lines, profile_from_dict, read_jsonl

COMPANY = {"id": "c1", "kind": "company", "name": "Aiden Labs", "sectors": {"AI": 2, "cloud": 1},
           "stages": ["Series A"], "description": "인공지능", "country": "kr", "markets": ["id", "SG"],
           "languages": ["ko", "en-US"], "ticket_usd": [1000000, 3000000], "existing_investors": ["Kakao Ventures"]}


def test_valid_profile_is_normalized():
    p = profile_from_dict(COMPANY)
    assert p.sectors == {"ai": 2.0, "cloud": 1.0}
    assert p.stages == ("series-a",)
    assert p.country == "KR" and p.markets == ("ID", "SG")
    assert p.languages == ("ko", "en")
    assert p.ticket_usd == (1e6, 3e6)
    assert p.existing_investors == ("Kakao Ventures",)


def test_minimal_profile_and_list_sectors():
    p = profile_from_dict({"id": "p", "kind": "buyer", "name": "B", "sectors": ["E-Commerce"]})
    assert p.sectors == {"e-commerce": 1.0} and p.stages == () and p.portfolio == ()


def test_portfolio_entries():
    p = profile_from_dict({"id": "p", "kind": "investor", "name": "V", "portfolio": [
        {"company": "X", "sector": "ai", "stage": "seed", "year": 2023, "amount_usd": 500000},
        {"sector": "cloud", "stage": "series-b", "year": 2021}]})
    assert [d.company for d in p.portfolio] == ["X", None]
    assert p.portfolio[1].amount_usd is None


@pytest.mark.parametrize(("obj", "message"), [
    ([1, 2], "JSON object"),
    ({"kind": "company", "name": "x"}, "missing 'id'"),
    ({"id": "x", "name": "x"}, "missing 'kind'"),
    ({"id": "x", "kind": "startup", "name": "x"}, "'kind' must be one of"),
    ({"id": "x", "kind": "company"}, "missing 'name'"),
    ({"id": 3, "kind": "company", "name": "x"}, "'id' must be a string"),
    ({"id": "x", "kind": "company", "name": "x", "sectors": "ai"}, "'sectors'"),
    ({"id": "x", "kind": "company", "name": "x", "sectors": {"ai": "high"}}, "sector weight"),
    ({"id": "x", "kind": "company", "name": "x", "sectors": {"ai": -1}}, "must not be negative"),
    ({"id": "x", "kind": "company", "name": "x", "stages": "seed"}, "'stages' must be a list"),
    ({"id": "x", "kind": "company", "name": "x", "ticket_usd": [5, 1]}, "'ticket_usd'"),
    ({"id": "x", "kind": "company", "name": "x", "ticket_usd": [True, 2]}, "'ticket_usd'"),
    ({"id": "x", "kind": "company", "name": "x", "ticket_usd": 1000}, "'ticket_usd'"),
    ({"id": "x", "kind": "investor", "name": "x", "portfolio": [{"year": "2020"}]}, "portfolio entry 1"),
    ({"id": "x", "kind": "investor", "name": "x", "portfolio": {"a": 1}}, "'portfolio' must be a list"),
    ({"id": "x", "kind": "company", "name": "x", "existing_investors": [1]}, "'existing_investors'"),
])
def test_malformed_profiles(obj, message):
    with pytest.raises(ProfileError, match=message):
        profile_from_dict(obj)


def test_errors_name_file_and_line(tmp_path):
    path = tmp_path / "companies.jsonl"
    lines = [json.dumps(COMPANY), "", '{"id": "c2", "kind": "company", "name": ']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ProfileError) as error:
        read_jsonl(path)
    assert error.value.line == 3
    assert str(error.value).startswith(f"{path}:3: invalid JSON")


def test_duplicate_id_and_kind_restriction():
    line = json.dumps(COMPANY)
    with pytest.raises(ProfileError, match="duplicate id") as error:
        list(parse_lines([line, line], path="c.jsonl"))
    assert error.value.line == 2
    with pytest.raises(ProfileError, match="'kind' must be buyer or investor"):
        list(parse_lines([line], path="p.jsonl", kinds={"investor", "buyer"}))


def test_invalid_utf8_is_reported_at_its_line(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(json.dumps(COMPANY).encode() + b"\n\xff\xfe\n")
    with pytest.raises(ProfileError, match=r"p\.jsonl:2: not valid UTF-8"):
        read_jsonl(path)
