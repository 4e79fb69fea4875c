"""Profiles as the recommender sees them, and their parsing from JSON Lines (shared/formats/profile.md).

Parsing is strict about types (a wrong type is a malformed line the CLI reports with file and line) and lenient
about absence: every key but `id`, `kind` and `name` may be missing, because an event's profiles are often
half-filled and the model treats what is unknown as neutral rather than as a mismatch.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

COMPANY = "company"
PARTNER_KINDS = frozenset({"investor", "buyer"})
KINDS = PARTNER_KINDS | {COMPANY}

# Ordered so that neighbouring stages can share evidence (an investor doing seed often does pre-seed too).
STAGE_ORDER = ("pre-seed", "seed", "series-a", "series-b", "series-c+", "growth")
STAGES = (*STAGE_ORDER, "other")


class ProfileError(ValueError):
    """A profile that does not follow the format; `line` is set when it came from a file."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.path, self.line) if part is not None)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True, slots=True)
class Deal:
    """One past deal of a partner (a portfolio entry)."""

    sector: str | None
    stage: str | None
    year: int | None
    company: str | None = None
    amount_usd: float | None = None
    description: str = ""  # the portfolio company's description, when known


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    kind: str
    name: str
    sectors: Mapping[str, float] = field(default_factory=dict)  # code -> weight > 0
    stages: tuple[str, ...] = ()
    description: str = ""
    country: str | None = None
    markets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    timezone: str | None = None
    ticket_usd: tuple[float, float] | None = None
    portfolio: tuple[Deal, ...] = ()
    existing_investors: tuple[str, ...] = ()

    @property
    def is_company(self) -> bool:
        return self.kind == COMPANY


# --- normalization: the vocabulary is free, so the same code must compare equal however it was typed ---

def norm_code(value: str) -> str:
    """Sector and stage codes: case- and separator-insensitive ("Series A" == "series-a")."""
    return re.sub(r"[\s_]+", "-", value.strip().casefold())


def norm_stage(value: str) -> str:
    code = norm_code(value)
    return {"preseed": "pre-seed", "series-c": "series-c+", "series-d": "series-c+", "late": "growth"}.get(
        code, code
    )


_NOT_ALNUM = re.compile(r"[\W_]+")


def norm_name(value: str) -> str:
    """Investor and company names, for matching `existing_investors` to partners and portfolios."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", value).casefold())


def norm_language(value: str) -> str:
    return value.strip().split("-")[0].split("_")[0].casefold()


# --- parsing ---

def _str(obj: Mapping, key: str, *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise ProfileError(f"missing {key!r}")
        return None
    if not isinstance(value, str):
        raise ProfileError(f"{key!r} must be a string")
    if required and not value.strip():
        raise ProfileError(f"{key!r} must not be empty")
    return value


def _str_list(obj: Mapping, key: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ProfileError(f"{key!r} must be a list of strings")
    return [item for item in value if item.strip()]


def _number(value, what: str) -> float:
    # bool is an int in Python; a true/false where a number belongs is a malformed line.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProfileError(f"{what} must be a number")
    return float(value)


def _sectors(obj: Mapping) -> dict[str, float]:
    value = obj.get("sectors")
    if value is None:
        return {}
    weights: dict[str, float] = {}
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise ProfileError("'sectors' must be a list of strings or an object of weights")
        for item in value:
            if item.strip():
                weights[norm_code(item)] = 1.0
    elif isinstance(value, dict):
        for key, weight in value.items():
            w = _number(weight, f"sector weight of {key!r}")
            if w < 0:
                raise ProfileError(f"sector weight of {key!r} must not be negative")
            if w > 0 and key.strip():
                weights[norm_code(key)] = weights.get(norm_code(key), 0.0) + w
    else:
        raise ProfileError("'sectors' must be a list of strings or an object of weights")
    return weights


def _ticket(obj: Mapping) -> tuple[float, float] | None:
    value = obj.get("ticket_usd")
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise ProfileError("'ticket_usd' must be [min, max]")
    low, high = (_number(v, "'ticket_usd'") for v in value)
    if low < 0 or high < low:
        raise ProfileError("'ticket_usd' must be [min, max] with 0 <= min <= max")
    return low, high


def _portfolio(obj: Mapping) -> tuple[Deal, ...]:
    value = obj.get("portfolio")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ProfileError("'portfolio' must be a list")
    deals = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise ProfileError(f"portfolio entry {index + 1} must be an object")
        try:
            sector = _str(item, "sector")
            stage = _str(item, "stage")
            company = _str(item, "company")
            year = item.get("year")
            if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
                raise ProfileError("'year' must be an integer")
            amount = item.get("amount_usd")
            amount = None if amount is None else _number(amount, "'amount_usd'")
            description = _str(item, "description") or ""
        except ProfileError as error:
            raise ProfileError(f"portfolio entry {index + 1}: {error.message}") from None
        deals.append(
            Deal(
                sector=norm_code(sector) if sector and sector.strip() else None,
                stage=norm_stage(stage) if stage and stage.strip() else None,
                year=year,
                company=company.strip() if company and company.strip() else None,
                amount_usd=amount if amount is not None and amount > 0 else None,
                description=description.strip(),
            )
        )
    return tuple(deals)


def profile_from_dict(obj) -> Profile:
    """Validate one decoded JSON object; raises ProfileError naming the offending key."""
    if not isinstance(obj, dict):
        raise ProfileError("a profile must be a JSON object")
    kind = _str(obj, "kind", required=True)
    if kind not in KINDS:
        raise ProfileError(f"'kind' must be one of company, investor, buyer (got {kind!r})")
    country = _str(obj, "country")
    return Profile(
        id=_str(obj, "id", required=True),
        kind=kind,
        name=_str(obj, "name", required=True),
        sectors=_sectors(obj),
        stages=tuple(dict.fromkeys(norm_stage(s) for s in _str_list(obj, "stages"))),
        description=_str(obj, "description") or "",
        country=country.strip().upper() if country and country.strip() else None,
        markets=tuple(dict.fromkeys(m.strip().upper() for m in _str_list(obj, "markets"))),
        languages=tuple(dict.fromkeys(norm_language(lang) for lang in _str_list(obj, "languages"))),
        timezone=_str(obj, "timezone"),
        ticket_usd=_ticket(obj),
        portfolio=_portfolio(obj),
        existing_investors=tuple(dict.fromkeys(n.strip() for n in _str_list(obj, "existing_investors"))),
    )


def parse_lines(
    lines: Iterable[str | bytes], *, path: str = "<input>", kinds: Iterable[str] | None = None
) -> Iterator[Profile]:
    """Profiles from JSON Lines; blank lines are skipped. Errors carry the file and the 1-based line."""
    allowed = set(kinds) if kinds is not None else None
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        try:
            if isinstance(line, bytes):
                # Decoded line by line so that bad bytes are reported at their line, not the whole file.
                try:
                    line = line.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError:
                    raise ProfileError("not valid UTF-8") from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as error:
                raise ProfileError(f"invalid JSON ({error.msg})") from None
            profile = profile_from_dict(obj)
            if allowed is not None and profile.kind not in allowed:
                raise ProfileError(f"'kind' must be {' or '.join(sorted(allowed))} here (got {profile.kind!r})")
            if profile.id in seen:
                raise ProfileError(f"duplicate id {profile.id!r}")
        except ProfileError as error:
            raise ProfileError(error.message, path=path, line=number) from None
        seen.add(profile.id)
        yield profile


def read_jsonl(path: str | Path, *, kinds: Iterable[str] | None = None) -> list[Profile]:
    with open(path, "rb") as handle:
        return list(parse_lines(handle, path=str(path), kinds=kinds))
