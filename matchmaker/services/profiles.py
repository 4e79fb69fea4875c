"""A member's profile: what its organization tells the other side and the recommender (sectors, stages, markets,
languages, ticket sizes, its description in several languages…). A verb of the service layer: it writes the audit
log and asks for fresh recommendations once the caller commits; it never commits itself."""

from matchmaker.domain import profile_texts
from matchmaker.models import Organization, User
from matchmaker.services import audit, recommendations


def descriptions(org: Organization) -> dict[str, str]:
    """The organization's description in each language it has one in (`profile_texts.by_language`)."""
    return profile_texts.by_language(org.description, org.description_lang, org.texts)


def text_languages(org: Organization, user: User | None = None) -> list[str]:
    """The languages the profile form offers a box for: Korean and English, the local language of the offices
    whose days the organization applied to (Indonesian in Jakarta, Vietnamese in Ho Chi Minh City…) when the app
    speaks it, the member's own, and every language the organization has a text in."""
    wanted = {"ko", "en", *descriptions(org)}
    wanted.update((p.event.program.office.locale or "").split("-")[0] for p in org.participations)
    if user is not None and user.locale:
        wanted.add(user.locale.split("-")[0])
    return [lang for lang in profile_texts.LANGUAGES if lang in wanted]


def update_profile(actor: User, org: Organization, *, name: str, name_latin: str | None, country: str | None,
                   website: str | None, phone: str | None, sectors: list[str], stages: list[str],
                   descriptions: dict[str, str], markets: list[str], languages: list[str], timezone: str,
                   ticket_min_usd: int | None, ticket_max_usd: int | None, existing_investors: list[str]) -> None:
    """Save the organization's profile as its member edited it. Sectors kept keep the weight they had (an import
    may have set one); a sector added weighs 1. `descriptions` holds the text of each language the form showed
    (an empty one: none in that language; languages not shown keep theirs); the original stays the first written
    while its language keeps a text. The recommendations of the organization's approved days are computed again
    after the commit."""
    previous_weights = org.sectors or {}
    org.name = name.strip()
    org.name_latin = (name_latin or "").strip() or None
    org.country = (country or "").upper() or None
    org.website = website or None
    org.phone = phone or None
    org.sectors = {code: previous_weights.get(code, 1.0) for code in sectors}
    org.stages = list(stages)
    kept = profile_texts.updated(org.description, org.description_lang, org.texts, by_lang=descriptions)
    org.description, org.description_lang, org.texts = kept.description, kept.description_lang, kept.texts
    org.markets = list(markets)
    org.languages = list(languages)
    org.timezone = timezone
    org.ticket_min_usd = ticket_min_usd
    org.ticket_max_usd = ticket_max_usd
    org.existing_investors = [line.strip() for line in existing_investors if line.strip()]
    audit.record(actor, "update_profile", org)
    recommendations.schedule_recompute(recommendations.events_of(org))
