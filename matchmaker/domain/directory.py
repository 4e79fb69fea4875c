"""The participants directory's filters, on plain data: kind, sector, stage, country, spoken language and a name
search in any script (`name_search`). Works on any objects with the profile's attributes (kind, sectors, stages,
country, languages, name, name_latin), so the service passes organizations and the tests plain records. When
nothing matches, `loosening` says how many each filter left out. No Flask, no database."""

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

from matchmaker.domain.name_search import name_matches

FILTERS = ("kind", "sector", "stage", "country", "language", "q", "shortlisted")


@dataclass(frozen=True)
class Criteria:
    """What the reader asked for; an empty value does not filter."""

    q: str = ""
    kind: str = ""
    sector: str = ""
    stage: str = ""
    country: str = ""
    language: str = ""
    shortlisted: bool = False

    def active(self) -> list[str]:
        """The filters in use, in the form's order."""
        return [name for name in FILTERS if getattr(self, name)]

    def without(self, name: str) -> "Criteria":
        empty = next(f.default for f in fields(self) if f.name == name)
        return replace(self, **{name: empty})


def _value(kind) -> str:
    return getattr(kind, "value", kind) or ""


def matches(org, criteria: Criteria, shortlist: frozenset[int] = frozenset()) -> bool:
    if criteria.kind and _value(org.kind) != criteria.kind:
        return False
    if criteria.sector and criteria.sector not in (org.sectors or {}):
        return False
    if criteria.stage and criteria.stage not in (org.stages or []):
        return False
    if criteria.country and (org.country or "").upper() != criteria.country:
        return False
    if criteria.language and criteria.language not in (org.languages or []):
        return False
    if criteria.shortlisted and org.id not in shortlist:
        return False
    return name_matches(criteria.q, org.name, org.name_latin)


def select(orgs: Iterable, criteria: Criteria, shortlist: frozenset[int] = frozenset()) -> list:
    """The organizations that pass every filter, in the order given."""
    return [org for org in orgs if matches(org, criteria, shortlist)]


def loosening(orgs: list, criteria: Criteria, shortlist: frozenset[int] = frozenset()) -> dict[str, int]:
    """For each filter in use: how many organizations there would be without it (those that would give some)."""
    counts = {name: len(select(orgs, criteria.without(name), shortlist)) for name in criteria.active()}
    return {name: count for name, count in counts.items() if count}
