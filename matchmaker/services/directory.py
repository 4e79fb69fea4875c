"""What the participants directory of a day shows a member: the approved organizations of the other side
(`queries.counterparts_of`), filtered and searched by `domain.directory` with the values read from the query
string, the choices each filter offers (only values some organization has), the member's shortlist, and, when
nothing matches, how many each filter in use left out. It reads; it changes nothing."""

from dataclasses import dataclass

from matchmaker.domain import directory
from matchmaker.domain.directory import Criteria
from matchmaker.models import Event, Organization
from matchmaker.services.queries import counterparts_of
from matchmaker.services.shortlist import shortlisted_ids

MAX_QUERY = 100  # characters of a name search


@dataclass(frozen=True)
class Choices:
    """The values each filter offers, from the organizations of the day."""

    kinds: list[str]
    sectors: list[str]
    stages: list[str]
    countries: list[str]
    languages: list[str]


@dataclass
class DirectoryPage:
    orgs: list[Organization]  # those that pass the filters, by name
    total: int  # the other side's organizations of the day, before filtering
    criteria: Criteria
    choices: Choices
    shortlist: frozenset[int]
    loosen: dict[str, int]  # filter name -> results without it (only when nothing matches)


def choices_of(orgs: list[Organization]) -> Choices:
    def values(read) -> list[str]:
        return sorted({value for org in orgs for value in read(org) if value})

    return Choices(
        kinds=values(lambda o: [o.kind.value]), sectors=values(lambda o: list(o.sectors or {})),
        stages=values(lambda o: o.stages or []), countries=values(lambda o: [(o.country or "").upper()]),
        languages=values(lambda o: o.languages or []),
    )


def _clean_query(text: str | None) -> str:
    """A name search as typed, without control characters, at most MAX_QUERY characters."""
    return " ".join("".join(c for c in (text or "") if c.isprintable() or c.isspace()).split())[:MAX_QUERY]


def criteria_from(args, choices: Choices) -> Criteria:
    """The filters of a query string; a value no organization has (a stale or forged link) does not filter."""
    def pick(name: str, allowed: list[str]) -> str:
        value = (args.get(name) or "").strip()
        value = value.upper() if name == "country" else value
        return value if value in allowed else ""

    return Criteria(
        q=_clean_query(args.get("q")), kind=pick("kind", choices.kinds), sector=pick("sector", choices.sectors),
        stage=pick("stage", choices.stages), country=pick("country", choices.countries),
        language=pick("language", choices.languages), shortlisted=args.get("shortlisted") == "1",
    )


def directory_page(event: Event, mine: Organization, args) -> DirectoryPage:
    """The directory of `event` for organization `mine`, filtered by the query string `args`."""
    everyone = counterparts_of(event.id, mine)
    choices = choices_of(everyone)
    criteria = criteria_from(args, choices)
    shortlist = shortlisted_ids(mine.id)
    shown = directory.select(everyone, criteria, shortlist)
    loosen = directory.loosening(everyone, criteria, shortlist) if not shown else {}
    return DirectoryPage(orgs=shown, total=len(everyone), criteria=criteria, choices=choices, shortlist=shortlist,
                         loosen=loosen)
