"""Participant profiles as rows of an Excel workbook, a CSV file or JSON Lines (../shared/formats/profile.md).

The column set, and each row read by `profile_files` normalized (trimmed text, lists split on `;` or `,`, sectors
as a list or `code:weight`, whole numbers: one cell's value is `profile_cells`') and checked. A problem is a code
with the field and the offending value, never a sentence: the page words it in the reader's language. Duplicates
against the database are the service's business; duplicates within the file are found here.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from email_validator import EmailNotValidError, validate_email

from matchmaker.domain import profile_files, profile_texts
from matchmaker.domain.links import is_web_url
from matchmaker.domain.profile_cells import (
    CONTROL_CHARACTERS,
    NAME_SPLIT,
    cell_items,
    cell_text,
    countries,
    languages,
    whole_number,
    zones,
)
from matchmaker.domain.profile_files import UnreadableFile, header_key

__all__ = ["COLUMNS", "CONTROL_CHARACTERS", "DESCRIPTIONS", "Problem", "Row", "Table", "UnreadableFile", "Vocabulary",
           "cell_values", "header_key", "preferred_locale", "read"]

# The description in each language (`description` is the original, in whichever language it was written).
DESCRIPTIONS = tuple(f"description_{lang}" for lang in profile_texts.LANGUAGES)
# The column set, in the order of exported workbooks. Keys double as raw headers and JSON Lines keys.
COLUMNS = (
    "id", "kind", "name", "name_latin", "email", "contact_name", "contact_name_latin", "locale", "country",
    "website", "phone", "sectors", "stages", "markets", "languages", "timezone", "ticket_min_usd", "ticket_max_usd",
    "description", *DESCRIPTIONS, "existing_investors", "portfolio",
)
REQUIRED = ("kind", "name", "email")
KINDS = ("company", "investor", "buyer")
# Column widths of the database, so that a checked row always fits.
MAX_LENGTH = {"id": 64, "name": 200, "name_latin": 200, "email": 254, "contact_name": 120,
              "contact_name_latin": 200, "website": 300, "phone": 40,
              **dict.fromkeys(("description", *DESCRIPTIONS), profile_texts.MAX_TEXT)}
MAX_AMOUNT = 10**15  # well inside a BIGINT; no ticket is a quadrillion dollars
TEXT_FIELDS = ("id", "kind", "name", "name_latin", "email", "contact_name", "locale", "country", "website",
               "phone", "timezone", "description", *DESCRIPTIONS)


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    value: str | int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Row:
    line: int  # as the spreadsheet or editor numbers it; the header is line 1 of a CSV file
    values: dict
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"line": self.line, "values": self.values, "problems": [p.as_dict() for p in self.problems]}


@dataclass
class Table:
    rows: list[Row]
    unknown_columns: list[str]  # headers or keys that name no column: their data would be lost
    encoding: str | None = None  # the text encoding a CSV file was read in


@dataclass(frozen=True)
class Vocabulary:
    """The codes a row may use. Sectors, stages and the app's languages come from the caller."""

    sectors: frozenset[str]
    stages: frozenset[str]
    locales: frozenset[str]  # languages the app speaks (for e-mails)


def read(filename: str, data: bytes, vocabulary: Vocabulary, headers: Mapping[str, str] | None = None,
         encoding: str = "auto", preferred: str = "cp949") -> Table:
    """Read and check every row of a file (see `profile_files.records` for `encoding` and `preferred`); raises
    UnreadableFile."""
    records, unknown, used = profile_files.records(filename, data, COLUMNS, headers or {}, encoding, preferred)
    rows = [_check(line, raw, vocabulary) for line, raw in records]
    mark_duplicates(rows)
    return Table(rows=rows, unknown_columns=unknown, encoding=used)


# --- normalizing and checking (a cell's value: profile_cells.py) ----------------------------------

def _check(line: int, raw: dict | None, vocabulary: Vocabulary) -> Row:
    if raw is None:
        return Row(line, {}, [Problem("line", "bad_json")])
    values, problems = {}, []
    for key in TEXT_FIELDS:
        value = raw.get(key)
        if isinstance(value, list | dict):
            problems.append(Problem(key, "bad_value", json.dumps(value, ensure_ascii=False)[:80]))
            value = None
        values[key] = cell_text(value) or None
    if latin := cell_text(raw.get("contact_name_latin")):  # a later column: only a file that has it says it
        values["contact_name_latin"] = latin
    for key in ("description", *DESCRIPTIONS):
        values[key] = profile_texts.clean(values[key]) or None  # line breaks as \n, whatever wrote the file
    for key in REQUIRED:
        if values[key] is None:
            problems.append(Problem(key, "required"))
    for key, limit in MAX_LENGTH.items():
        if values.get(key) is not None and len(values[key]) > limit:
            problems.append(Problem(key, "too_long", values[key][:40]))
    _check_codes(values, problems, vocabulary)
    _check_original(values, problems)
    _check_lists(raw, values, problems, vocabulary)
    _check_ticket(raw, values, problems)
    values["existing_investors"] = [str(name) for name in cell_items(raw.get("existing_investors"), NAME_SPLIT)]
    values["portfolio"] = _portfolio(raw.get("portfolio"), problems)
    problems.sort(key=lambda problem: COLUMNS.index(problem.field))  # as the columns read, left to right
    return Row(line, values, problems)


def _check_codes(values: dict, problems: list[Problem], vocabulary: Vocabulary) -> None:
    if values["kind"] is not None:
        values["kind"] = values["kind"].lower()
        if values["kind"] not in KINDS:
            problems.append(Problem("kind", "bad_kind", values["kind"]))
    if values["email"] is not None:
        try:
            validate_email(values["email"], check_deliverability=False)
        except EmailNotValidError:
            problems.append(Problem("email", "bad_email", values["email"]))
        values["email"] = values["email"].lower()
    if values["locale"] is not None:
        values["locale"] = values["locale"].lower()
        if values["locale"] not in vocabulary.locales:
            problems.append(Problem("locale", "unknown_locale", values["locale"]))
    if values["country"] is not None:
        values["country"] = values["country"].upper()
        if values["country"] not in countries():
            problems.append(Problem("country", "bad_country", values["country"]))
    if values["timezone"] is not None:
        zone = zones().get(values["timezone"].lower())
        if zone is None:
            problems.append(Problem("timezone", "unknown_timezone", values["timezone"]))
        values["timezone"] = zone or values["timezone"]
    if values["website"] is not None and not is_web_url(values["website"]):
        # The profile form's rule: a `javascript:` or `data:` address would otherwise become a link on staff pages.
        problems.append(Problem("website", "bad_url", values["website"][:80]))


def _check_original(values: dict, problems: list[Problem]) -> None:
    """The original (`description`) and its language's column, when both are filled, hold the same text."""
    if values["description"] is None:
        return
    by_lang = {key.split("_", 1)[1]: values[key] for key in DESCRIPTIONS if values[key] is not None}
    lang = profile_texts.row_language(values["description"], by_lang)
    if lang in by_lang and by_lang[lang] != values["description"]:
        problems.append(Problem(f"description_{lang}", "text_conflict", by_lang[lang][:40]))


def _check_lists(raw: dict, values: dict, problems: list[Problem], vocabulary: Vocabulary) -> None:
    values["sectors"] = _sectors(raw.get("sectors"), problems, vocabulary)
    values["stages"] = [code.lower() for code in map(str, cell_items(raw.get("stages")))]
    values["markets"] = [code.upper() for code in map(str, cell_items(raw.get("markets")))]
    values["languages"] = [code.lower() for code in map(str, cell_items(raw.get("languages")))]
    problems += [Problem("stages", "unknown_stage", c) for c in values["stages"] if c not in vocabulary.stages]
    problems += [Problem("markets", "unknown_market", c) for c in values["markets"] if c not in countries()]
    problems += [
        Problem("languages", "unknown_language", c) for c in values["languages"]
        if c.split("-")[0] not in languages()
    ]


def _sectors(value, problems: list[Problem], vocabulary: Vocabulary) -> dict:
    """A list of codes (weight 1), `code:weight` items, or (JSON Lines) an object code -> weight."""
    pairs = list(value.items()) if isinstance(value, dict) else [
        tuple(str(item).split(":", 1)) if ":" in str(item) else (str(item), 1.0) for item in cell_items(value)
    ]
    sectors = {}
    for code, given in pairs:
        code = cell_text(code).lower()
        try:
            weight = float(cell_text(given))
        except ValueError:
            weight = None
        if weight is None or not 0 < weight <= 1000:
            problems.append(Problem("sectors", "bad_weight", f"{code}:{cell_text(given)}"))
            continue
        if code not in vocabulary.sectors:
            problems.append(Problem("sectors", "unknown_sector", code))
        sectors[code] = weight
    return sectors


def _check_ticket(raw: dict, values: dict, problems: list[Problem]) -> None:
    for key in ("ticket_min_usd", "ticket_max_usd"):
        try:
            values[key] = whole_number(raw.get(key))
        except (ValueError, TypeError):
            problems.append(Problem(key, "bad_number", cell_text(raw.get(key))[:40]))
            values[key] = None
            continue
        if values[key] is not None and values[key] < 0:
            problems.append(Problem(key, "negative", values[key]))
        elif values[key] is not None and values[key] > MAX_AMOUNT:
            problems.append(Problem(key, "bad_number", values[key]))
    low, high = values["ticket_min_usd"], values["ticket_max_usd"]
    if low is not None and high is not None and low > high:
        problems.append(Problem("ticket_max_usd", "ticket_range", high))


def _portfolio(value, problems: list[Problem]) -> list:
    """A partner's past deals: a list in JSON Lines, the same list written as JSON in a cell."""
    if value is None or not cell_text(value):
        return []
    deals = value
    if isinstance(value, str):
        try:
            deals = json.loads(value)
        except (ValueError, RecursionError):
            deals = None
    if not isinstance(deals, list) or not all(isinstance(deal, dict) for deal in deals):
        problems.append(Problem("portfolio", "bad_portfolio", cell_text(value)[:40]))
        return []
    return deals


def mark_duplicates(rows: list[Row]) -> None:
    """A second row with the e-mail or the external id of an earlier row: a problem naming the first line."""
    for key in ("email", "id"):
        first: dict[str, int] = {}
        for row in rows:
            value = row.values.get(key)
            if not value:
                continue
            folded = value.lower() if key == "email" else value
            if folded in first:
                row.problems.append(Problem(key, "duplicate", first[folded]))
            else:
                first[folded] = row.line


def preferred_locale(values: dict, locales: Iterable[str]) -> str | None:
    """The row's language for e-mails: its `locale`, else the first of its languages the app speaks."""
    locales = list(locales)
    if values.get("locale") in locales:
        return values["locale"]
    return next((code.split("-")[0] for code in values.get("languages") or [] if code.split("-")[0] in locales),
                None)


# --- writing cells ------------------------------------------------------------------------------

def cell_values(values: Mapping) -> list:
    """A normalized profile as the cells of one row, in COLUMNS order; reading them back gives the same."""
    def cell(key):
        value = values.get(key)
        if key == "sectors":
            value = value or {}
            if all(weight == 1 for weight in value.values()):
                return "; ".join(value)
            return "; ".join(f"{code}:{weight}" for code, weight in value.items())
        if key == "portfolio":
            return json.dumps(value, ensure_ascii=False) if value else None
        if isinstance(value, list):
            return "; ".join(map(str, value)) or None
        return value

    return [cell(key) for key in COLUMNS]
