"""The consent texts' register: which consents are asked, each text's current version, which are required, and the
countries personal data goes to (from the offices' and days' time zones). The wording itself is translated in
templates/consent/_texts.html; a change to a text's meaning gets a new version here, and everyone is asked again.

Plain data: no Flask, no database (the service passes the offices' and days' zones).

Who is asked: members (companies, investors, buyers), at registration and, when a version changed or they have none
(imported by staff), before any page at their next visit. Staff and admin accounts are not asked: they hold their
accounts as the agency's employees, under their employment, and are never shown to partners.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from babel.core import get_global

# The kinds: the values of enums.ConsentKind (the domain core does not import the data layer).
COLLECTION, PROVISION, TRANSFER_ABROAD, NEWS = "collection", "provision", "transfer_abroad", "news"
HOME_COUNTRY = "KR"  # where the agency (the controller) is: a transfer to anywhere else is a transfer abroad


@dataclass(frozen=True)
class ConsentText:
    kind: str  # a value of enums.ConsentKind
    version: str  # raised whenever the text's meaning changes (the date of the change)
    required: bool  # without it there is no account (collection) or no matchmaking (provision, transfer)


TEXTS = {
    COLLECTION: ConsentText(COLLECTION, "2026-12-06", required=True),
    PROVISION: ConsentText(PROVISION, "2026-12-06", required=True),
    # Required where partners are abroad: asked only when some office or day is outside HOME_COUNTRY.
    TRANSFER_ABROAD: ConsentText(TRANSFER_ABROAD, "2026-12-06", required=True),
    NEWS: ConsentText(NEWS, "2026-12-06", required=False),
}


def current_version(kind: str) -> str:
    return TEXTS[kind].version


def asked(abroad: bool) -> list[str]:
    """The consents registration asks for, in order: transfer abroad only when some partner is abroad."""
    return [kind for kind in TEXTS if kind != TRANSFER_ABROAD or abroad]


def required(abroad: bool) -> list[str]:
    return [kind for kind in asked(abroad) if TEXTS[kind].required]


def versions_key() -> str:
    """Every text's current version in one string: it changes when any text does."""
    return ";".join(f"{text.kind}={text.version}" for text in TEXTS.values())


def zone_country(zone: str | None) -> str | None:
    """The ISO country of an IANA time zone (Asia/Jakarta: ID), old names too (Asia/Saigon: VN); None for UTC."""
    if not zone:
        return None
    territories = get_global("zone_territories")
    country = territories.get(zone) or territories.get(get_global("zone_aliases").get(zone, ""))
    return country if country and country != "ZZ" else None  # ZZ: Babel's "unknown region" (UTC, Etc/…)


@dataclass(frozen=True)
class Destination:
    """A country personal data goes to, and the agency's offices there (their days' partners are the recipients)."""

    country: str
    offices: tuple[str, ...]


def destinations(places: Iterable[tuple[str, str | None]]) -> list[Destination]:
    """The countries abroad, by code, from (office name, time zone) pairs: each office's own zone and its days'."""
    by_country: dict[str, set[str]] = {}
    for office, zone in places:
        country = zone_country(zone)
        if country and country != HOME_COUNTRY:
            by_country.setdefault(country, set()).add(office)
    return [Destination(country, tuple(sorted(offices))) for country, offices in sorted(by_country.items())]
