"""`python -m matchmaker.matching rank`: output per shared/formats/profile.md, exit 2 on a malformed line."""

import json
import subprocess
import sys

import pytest

from matchmaker.matching.cli import main

COMPANIES = [
    {"id": "c1", "kind": "company", "name": "Aiden Labs", "sectors": {"ai": 2, "cloud": 1}, "stages": ["series-a"],
     "description": "인공지능 기반 의료 영상 분석", "country": "KR", "markets": ["ID"], "languages": ["ko", "en"],
     "ticket_usd": [2000000, 5000000]},
    {"id": "c2", "kind": "company", "name": "Robo", "sectors": ["robotics"], "stages": ["seed"], "country": "KR"},
    {"id": "c3", "kind": "company", "name": "Blank", "sectors": [], "stages": []},
]
PARTNERS = [
    {"id": "p1", "kind": "investor", "name": "Jakarta AI Fund", "sectors": ["ai"], "stages": ["series-a"],
     "markets": ["ID"], "languages": ["en"], "ticket_usd": [1000000, 5000000]},
    {"id": "p2", "kind": "investor", "name": "Saigon Robotics", "sectors": ["robotics"], "stages": ["seed"],
     "markets": ["VN"], "languages": ["vi", "en"]},
    {"id": "p3", "kind": "buyer", "name": "Bangkok Retail", "sectors": ["e-commerce"], "markets": ["TH"]},
]


def write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path):
    return write(tmp_path / "c.jsonl", COMPANIES), write(tmp_path / "p.jsonl", PARTNERS)


def test_output_follows_the_format(files, capsys):
    companies, partners = files
    assert main(["rank", "--companies", companies, "--partners", partners, "--top", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["company"] for r in records] == ["c1", "c2", "c3"]  # one per company, in file order
    for r in records:
        assert set(r) == {"company", "partners"}
        assert 1 <= len(r["partners"]) <= 2
        scores = [p["score"] for p in r["partners"]]
        assert scores == sorted(scores, reverse=True)
        for p in r["partners"]:
            assert set(p) == {"id", "score", "reasons"}
            assert isinstance(p["score"], float) and p["reasons"] and all(isinstance(x, str) for x in p["reasons"])
    first = records[0]["partners"][0]
    assert first["id"] == "p1"
    assert "sectors in common: ai" in first["reasons"] and "invests at series-a" in first["reasons"]


def test_runs_as_a_module(files):
    companies, partners = files
    done = subprocess.run([sys.executable, "-m", "matchmaker.matching", "rank", "--companies", companies,
                           "--partners", partners], capture_output=True, text=True, check=True)
    assert len(done.stdout.splitlines()) == 3


MALFORMED = [
    ("partners", '{"id": "p9", "kind": "investor", "name": "X"', "invalid JSON"),
    ("partners", '{"id": "p9", "kind": "investor", "name": "X", "sectors": "ai"}', "'sectors'"),
    ("partners", '{"id": "p9", "kind": "company", "name": "X"}', "'kind' must be"),
    ("companies", '{"kind": "company", "name": "X"}', "missing 'id'"),
    ("companies", '["not", "an", "object"]', "JSON object"),
    ("companies", '{"id": "c1", "kind": "company", "name": "Again"}', "duplicate id"),
]


def with_bad_line(tmp_path, which, bad_line):
    rows = {"companies": COMPANIES, "partners": PARTNERS}
    paths = {}
    for name, content in rows.items():
        text = "".join(json.dumps(r) + "\n" for r in content)
        if name == which:
            text += bad_line + "\n"
        paths[name] = tmp_path / f"{name}.jsonl"
        paths[name].write_text(text, encoding="utf-8")
    return paths, f"{paths[which]}:{len(rows[which]) + 1}:"


@pytest.mark.parametrize(("which", "bad_line", "message"), MALFORMED)
def test_malformed_line_exits_2_naming_file_and_line(tmp_path, capsys, which, bad_line, message):
    paths, where = with_bad_line(tmp_path, which, bad_line)
    assert main(["rank", "--companies", str(paths["companies"]), "--partners", str(paths["partners"])]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert where in err and message in err


def test_process_exit_status_is_2(tmp_path):
    paths, where = with_bad_line(tmp_path, *MALFORMED[0][:2])
    done = subprocess.run([sys.executable, "-m", "matchmaker.matching", "rank", "--companies",
                           str(paths["companies"]), "--partners", str(paths["partners"])],
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"error: {where} invalid JSON") and done.stderr.count("\n") == 1


def test_missing_file_exits_2(tmp_path, files, capsys):
    _, partners = files
    assert main(["rank", "--companies", str(tmp_path / "nope.jsonl"), "--partners", partners]) == 2
    assert "nope.jsonl" in capsys.readouterr().err
