"""Why a pair was suggested: structured reason codes with parameters, and their English rendering.

The codes and parameters are the interface to the web app, which translates them; `render` is the English used
by the command line. Reasons are listed by how much their block added to the pair's score, strongest first, and
only blocks that pulled the pair up are mentioned.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from matchmaker.matching.features import EventFeatures
from matchmaker.matching.model import Model

Reason = tuple[str, dict[str, Any]]

_MIN_CONTRIBUTION = 0.05  # log-odds; below this a block did not really speak for the pair
_MIN_TEXT_SIMILARITY = 0.1


def reasons_for(
    features: EventFeatures,
    model: Model,
    i: int,
    j: int,
    blocks: dict[str, float],
    *,
    forced: bool = False,
) -> list[Reason]:
    """Reason codes for company i and partner j, given the pair's block values."""
    company, partner = features.companies[i], features.partners[j]
    ranked = sorted(blocks, key=lambda name: -model.weights[name] * blocks[name])
    out: list[Reason] = [("forced_by_organizer", {})] if forced else []
    for name in ranked:
        if model.weights[name] * blocks[name] < _MIN_CONTRIBUTION:
            break
        out.extend(_BLOCK_REASONS[name](features, i, j, blocks[name], company, partner))
    if len(out) == int(forced):
        # Nothing pulled the pair up: it is here because every company gets suggestions (fair exposure).
        out.append(("few_signals", {}))
    return out


def _sector(features, i, j, value, company, partner):
    vocab = features.sector_vocab
    lift = features.partner_sector_lift[j]
    counts = features.portfolio_sector_counts[j]
    common = [s for s, _ in sorted(company.sectors.items(), key=lambda kv: -kv[1])
              if s in partner.sectors or (counts[vocab.index(s)] > 0 and lift[vocab.index(s)] > 0)]
    out: list[Reason] = []
    if common:
        out.append(("sectors_in_common", {"sectors": common}))
    deal = _similar_deal(company, partner, common)
    if deal is not None:
        params = {"company": deal.company}
        if deal.year is not None:
            params["year"] = deal.year
        out.append(("similar_portfolio", params))
    return out


def _similar_deal(company, partner, sectors):
    """The partner's most recent portfolio company in one of the sectors, at the company's stage if any."""
    own = company.name.casefold().strip()
    best, best_key = None, None
    for deal in partner.portfolio:
        if not deal.company or deal.sector not in sectors or deal.company.casefold().strip() == own:
            continue
        key = (deal.stage in company.stages, deal.year or 0)
        if best_key is None or key > best_key:
            best, best_key = deal, key
    return best


def _stage(features, i, j, value, company, partner):
    vocab = features.stage_vocab
    for stage in company.stages:
        k = vocab.index(stage)
        if stage in partner.stages or (features.portfolio_stage_counts[j, k] > 0
                                       and features.partner_stage_lift[j, k] > 0):
            return [("invests_at_stage", {"stage": stage})]
    return []


def _ticket(features, i, j, value, company, partner):
    if partner.ticket_usd:
        low, high = partner.ticket_usd
    else:
        amounts = features.partner_amounts[j]
        if len(amounts) == 0:
            return []
        low, high = (float(x) for x in np.percentile(amounts, [10, 90]))
    return [("ticket_fits", {"min_usd": low, "max_usd": high})]


def _market(features, i, j, value, company, partner):
    active = {x for x in (*partner.markets, partner.country) if x}
    wanted = list(company.markets) + ([company.country] if company.country else [])
    common = [x for x in dict.fromkeys(wanted) if x in active]
    return [("active_in_market", {"market": x}) for x in common[:3]]


def _language(features, i, j, value, company, partner):
    common = [x for x in company.languages if x in partner.languages]
    return [("common_language", {"languages": common})] if common else []


def _activity(features, i, j, value, company, partner):
    years = [d.year for d in partner.portfolio if d.year is not None]
    if not partner.portfolio:
        return []
    if features.ref_year is not None and years:
        since = features.ref_year - 2
        recent = sum(1 for y in years if y >= since)
        if recent:
            return [("active_investor", {"deals": recent, "since": since})]
    return [("active_investor", {"deals": len(partner.portfolio), "since": min(years) if years else None})]


def _text(features, i, j, value, company, partner):
    if value < _MIN_TEXT_SIMILARITY:
        return []
    return [("similar_description", {"similarity": round(float(value), 2)})]


def _coinvest(features, i, j, value, company, partner):
    ties = features.ties(i, j)[:2]
    return [("coinvested_with", {"investor": features.existing_display_name(i, name)}) for name, _ in ties]


def _follow_on(features, i, j, value, company, partner):
    return [("existing_investor", {})]


_BLOCK_REASONS = {
    "sector": _sector,
    "stage": _stage,
    "ticket": _ticket,
    "market": _market,
    "language": _language,
    "activity": _activity,
    "text": _text,
    "coinvest": _coinvest,
    "follow_on": _follow_on,
}


# --- English ---

def _usd(amount: float) -> str:
    for unit, size in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if amount >= size:
            value = amount / size
            return f"${value:.0f}{unit}" if value >= 10 or value == int(value) else f"${value:.1f}{unit}"
    return f"${amount:.0f}"


_ENGLISH = {
    "forced_by_organizer": lambda p: "selected by the organizers",
    "sectors_in_common": lambda p: "sectors in common: " + ", ".join(p["sectors"]),
    "similar_portfolio": lambda p: f"invested in a similar company: {p['company']}"
    + (f" ({p['year']})" if p.get("year") else ""),
    "invests_at_stage": lambda p: f"invests at {p['stage']}",
    "ticket_fits": lambda p: f"ticket fits: {_usd(p['min_usd'])}–{_usd(p['max_usd'])}",
    "active_in_market": lambda p: f"active in {p['market']}",
    "common_language": lambda p: "common language: " + ", ".join(p["languages"]),
    "active_investor": lambda p: f"active investor: {p['deals']} deals"
    + (f" since {p['since']}" if p.get("since") else ""),
    "similar_description": lambda p: "similar description",
    "coinvested_with": lambda p: f"co-invested with {p['investor']}",
    "existing_investor": lambda p: "already an investor in the company",
    "few_signals": lambda p: "few signals in common; suggested so that every company meets partners",
}


def render(reason: Reason) -> str:
    """One reason in plain English, e.g. ("invests_at_stage", {"stage": "series-a"}) -> "invests at series-a"."""
    code, params = reason
    try:
        return _ENGLISH[code](params)
    except KeyError:
        return code.replace("_", " ")
