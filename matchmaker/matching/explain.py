"""Why a pair was suggested: structured reason codes with parameters, and their English rendering.

The codes and parameters are the interface to the web app, which translates them; `render` is the English used
by the command line. Reasons are listed by how much their block added to the pair's score, strongest first, and
only blocks that pulled the pair up are mentioned.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from matchmaker.matching.features import SIDE_COUNT, EventFeatures
from matchmaker.matching.model import Model

Reason = tuple[str, dict[str, Any]]

_MIN_CONTRIBUTION = 0.05  # log-odds; below this a block did not really speak for the pair
_MIN_TEXT_SIMILARITY = 0.1


def explain_pairs(
    features: EventFeatures,
    model: Model,
    rows: np.ndarray,
    cols: np.ndarray,
    blocks: dict[str, np.ndarray],
    forced: np.ndarray | None = None,
) -> list[list[Reason]]:
    """Reason codes for each pair (rows[t], cols[t]), given the pairs' block values (scoring.PairScores)."""
    names = list(blocks)
    contribution = np.column_stack(
        [SIDE_COUNT[name] * model.weights[name] * blocks[name].astype(np.float64) for name in names]
    ) if names else np.zeros((len(rows), 0))
    # Python lists, not numpy scalars, in the per-pair loop: indexing numpy arrays one element at a time is
    # what would dominate here.
    order = np.argsort(-contribution, axis=1, kind="stable").tolist()
    contribution = contribution.tolist()
    values = {name: blocks[name].tolist() for name in names}
    forced_list = forced.tolist() if forced is not None else [False] * len(rows)
    cache: dict = {}  # per-partner reasons (activity, ticket) are the same for every company
    out = []
    for t, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        is_forced = forced_list[t]
        reasons: list[Reason] = [("forced_by_organizer", {})] if is_forced else []
        row = contribution[t]
        for b in order[t]:
            if row[b] < _MIN_CONTRIBUTION:
                break
            name = names[b]
            if name in _PER_PARTNER:
                found = cache.get((name, j))
                if found is None:
                    found = cache[name, j] = _BLOCK_REASONS[name](features, i, j, values[name][t])
                reasons.extend(found)
            else:
                reasons.extend(_BLOCK_REASONS[name](features, i, j, values[name][t]))
        if len(reasons) == int(is_forced):
            # Nothing pulled the pair up: it is here because every company gets suggestions (fair exposure).
            reasons.append(("few_signals", {}))
        out.append(reasons)
    return out


def reasons_for(features: EventFeatures, model: Model, i: int, j: int, *, forced: bool = False) -> list[Reason]:
    """Reason codes for one pair: company index i, partner index j."""
    from matchmaker.matching.scoring import score_pairs

    rows, cols = np.array([i]), np.array([j])
    blocks = score_pairs(features, model, rows, cols).blocks
    return explain_pairs(features, model, rows, cols, blocks, np.array([forced]))[0]


def _sector(features, i, j, value):
    company, partner = features.companies[i], features.partners[j]
    index = features.sector_index
    lift = features.partner_sector_lift[j]
    counts = features.portfolio_sector_counts[j]
    common = [s for s, _ in sorted(company.sectors.items(), key=lambda kv: -kv[1])
              if s in partner.sectors or (counts[index[s]] > 0 and lift[index[s]] > 0)]
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
    if not sectors:
        return None
    own = company.name.casefold().strip()
    best, best_key = None, None
    for deal in partner.portfolio:
        if not deal.company or deal.sector not in sectors or deal.company.casefold().strip() == own:
            continue
        key = (deal.stage in company.stages, deal.year or 0)
        if best_key is None or key > best_key:
            best, best_key = deal, key
    return best


def _stage(features, i, j, value):
    partner = features.partners[j]
    for stage in features.companies[i].stages:
        k = features.stage_index[stage]
        if stage in partner.stages or (features.portfolio_stage_counts[j, k] > 0
                                       and features.partner_stage_lift[j, k] > 0):
            return [("invests_at_stage", {"stage": stage})]
    return []


def _ticket(features, i, j, value):
    partner = features.partners[j]
    if partner.ticket_usd:
        low, high = partner.ticket_usd
    else:
        amounts = features.deals.amounts(j)
        if len(amounts) == 0:
            return []
        low, high = (float(x) for x in np.percentile(amounts, [10, 90]))
    return [("ticket_fits", {"min_usd": low, "max_usd": high})]


def _market(features, i, j, value):
    active = features.partner_active_markets[j]
    return [("active_in_market", {"market": x}) for x in features.company_wanted_markets[i] if x in active][:3]


def _language(features, i, j, value):
    partner = features.partners[j]
    common = [x for x in features.companies[i].languages if x in partner.languages]
    return [("common_language", {"languages": common})] if common else []


def _activity(features, i, j, value):
    deals = features.deals
    years = deals.year[deals.of(j)]
    if len(years) == 0:
        return []
    dated = years[years >= 0]
    if features.ref_year is not None and len(dated):
        since = features.ref_year - 2
        recent = int((dated >= since).sum())
        if recent:
            return [("active_investor", {"deals": recent, "since": since})]
    return [("active_investor", {"deals": len(years), "since": int(dated.min()) if len(dated) else None})]


def _text(features, i, j, value):
    if value < _MIN_TEXT_SIMILARITY:
        return []
    return [("similar_description", {"similarity": round(value, 2)})]


def _coinvest(features, i, j, value):
    return [("coinvested_with", {"investor": name}) for name, _ in features.ties.ties(i, j)[:2]]


def _follow_on(features, i, j, value):
    return [("existing_investor", {})]


_PER_PARTNER = {"activity", "ticket"}  # reasons that do not depend on the company
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
