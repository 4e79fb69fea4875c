"""A member's profile: what its organization tells the other side and the recommender (sectors, stages, markets,
languages, ticket sizes…). A verb of the service layer: it writes the audit log and asks for fresh recommendations
once the caller commits; it never commits itself."""

from matchmaker.models import Organization, User
from matchmaker.services import audit, recommendations


def update_profile(actor: User, org: Organization, *, name: str, name_latin: str | None, country: str | None,
                   website: str | None, phone: str | None, sectors: list[str], stages: list[str],
                   description: str | None, markets: list[str], languages: list[str], timezone: str,
                   ticket_min_usd: int | None, ticket_max_usd: int | None, existing_investors: list[str]) -> None:
    """Save the organization's profile as its member edited it. Sectors kept keep the weight they had (an import
    may have set one); a sector added weighs 1. The recommendations of the organization's approved days are
    computed again after the commit."""
    previous_weights = org.sectors or {}
    org.name = name.strip()
    org.name_latin = (name_latin or "").strip() or None
    org.country = (country or "").upper() or None
    org.website = website or None
    org.phone = phone or None
    org.sectors = {code: previous_weights.get(code, 1.0) for code in sectors}
    org.stages = list(stages)
    org.description = description or None
    org.markets = list(markets)
    org.languages = list(languages)
    org.timezone = timezone
    org.ticket_min_usd = ticket_min_usd
    org.ticket_max_usd = ticket_max_usd
    org.existing_investors = [line.strip() for line in existing_investors if line.strip()]
    audit.record(actor, "update_profile", org)
    recommendations.schedule_recompute(recommendations.events_of(org))
