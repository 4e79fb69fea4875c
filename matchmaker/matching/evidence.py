"""What each feature block's reason says, for many pairs at once (explain.py assembles them per pair).

A reason's parameters are looked up with numpy over all the pairs that need them: which of the company's
sectors, stages, markets and languages the partner shares, its most recent similar deal, its activity and ticket,
the investors a co-investment tie goes through. Python then only builds the small (code, params) tuples, and
those are shared between pairs with the same content (the same partner's activity, the same sectors in common),
so a million suggestions of a 50,000 x 50,000 event take seconds rather than a Python pass per pair per block.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matchmaker.matching.features import EventFeatures
from matchmaker.matching.similar import SimilarDeals

Reason = tuple  # (code, params); see explain.Reason

_MIN_TEXT_SIMILARITY = 0.1


def _padded(lists: Sequence[Sequence[int]]) -> np.ndarray:
    """Rows of category indices, padded with -1 (a company's sectors, stages, markets or languages in order)."""
    width = max((len(x) for x in lists), default=0)
    out = np.full((len(lists), max(width, 1)), -1, dtype=np.int64)
    for r, x in enumerate(lists):
        out[r, : len(x)] = x
    return out


def _shared(own: np.ndarray, ok: np.ndarray, ci: np.ndarray, pj: np.ndarray) -> np.ndarray:
    """For each pair, which of the company's categories (own[ci], in its order) the partner has (ok[pj, .])."""
    slots = own[ci]
    return (slots >= 0) & ok[pj[:, None], np.maximum(slots, 0)]


def _list_ids(lists: Sequence[Sequence]) -> np.ndarray:
    """A number per distinct list (companies with the same sectors, markets or languages share one)."""
    ids: dict[tuple, int] = {}
    return np.array([ids.setdefault(tuple(x), len(ids)) for x in lists], dtype=np.int64)


def _grouped(list_ids: np.ndarray, ci: np.ndarray, mask: np.ndarray, build) -> list:
    """build(t) for every pair t, made once per group of pairs with the same company list and the same mask
    (so the same reasons) and shared by the group."""
    if mask.shape[1] > 40 or len(ci) == 0:
        return [build(t) for t in range(len(ci))]
    bits = (mask.astype(np.int64) << np.arange(mask.shape[1], dtype=np.int64)).sum(axis=1)
    _, first, inverse = np.unique((list_ids[ci] << 40) | bits, return_index=True, return_inverse=True)
    built = [build(t) for t in first.tolist()]
    return [built[u] for u in inverse.ravel().tolist()]


class ReasonEvidence:
    """Per-event look-up tables for the reasons; built once per ranking, for the pairs being explained.

    (Not the past outcomes a refit learns from, which the learning service gathers.)"""

    def __init__(self, features: EventFeatures):
        self.f = f = features
        self.n, self.m = f.shape
        # Sectors and stages the partner declares, or has done and does more than the population (lift > 0).
        s_index = f.sector_index
        declared = np.zeros((self.m, len(s_index)), dtype=bool)
        for j, sectors in enumerate(f.partner_sector_weights):
            declared[j, [s_index[s] for s in sectors]] = True
        self.sector_ok = declared | ((f.portfolio_sector_counts > 0) & (f.partner_sector_lift > 0))
        # A company's sectors, heaviest first (ties in the order given).
        self.company_sector_lists = [
            [s_index[s] for s, _ in sorted(sectors.items(), key=lambda kv: -kv[1])]
            for sectors in f.company_sector_weights
        ]
        self.company_sectors = _padded(self.company_sector_lists)
        self.company_sector_ids = _list_ids(self.company_sector_lists)
        t_index = f.stage_index
        declared = np.zeros((self.m, len(t_index)), dtype=bool)
        for j, stages in enumerate(f.partner_known_stages):
            declared[j, [t_index[s] for s in stages]] = True
        self.stage_ok = declared | ((f.portfolio_stage_counts > 0) & (f.partner_stage_lift > 0))
        self.company_stages = _padded([[t_index[s] for s in stages] for stages in f.company_known_stages])
        self.stage_vocab = f.stage_vocab
        self.sector_vocab = f.sector_vocab
        self._cache: dict = {}
        self.similar = SimilarDeals(features, self.company_sectors, self.company_sector_lists, self.company_stages)

    # --- sectors and a similar deal ---

    def sector(self, ci: np.ndarray, pj: np.ndarray, values: np.ndarray) -> list[list[Reason]]:
        mask = _shared(self.company_sectors, self.sector_ok, ci, pj)
        lists, vocab = self.company_sector_lists, self.sector_vocab

        def common(t):
            found = [vocab[s] for b, s in enumerate(lists[ci[t]]) if mask[t, b]]
            return [("sectors_in_common", {"sectors": found})] if found else []

        out = _grouped(self.company_sector_ids, ci, mask, common)
        deal = self.similar.pick(ci, pj, mask)
        names, years = self.f.deals.company_name, self.f.deals.year
        for t in np.flatnonzero(deal >= 0).tolist():
            d = deal[t]
            params = {"company": names[d]}
            if years[d] >= 0:
                params["year"] = int(years[d])
            out[t] = [*out[t], ("similar_portfolio", params)]
        return out

    # --- stage, markets, languages ---

    def stage(self, ci: np.ndarray, pj: np.ndarray, values: np.ndarray) -> list[list[Reason]]:
        mask = _shared(self.company_stages, self.stage_ok, ci, pj)
        first = np.where(mask.any(axis=1), mask.argmax(axis=1), -1)
        stage = np.where(first >= 0, self.company_stages[ci, np.maximum(first, 0)], -1).tolist()
        cache = self._cache.setdefault("stage", {})
        out = []
        for s in stage:
            if s < 0:
                out.append([])
                continue
            found = cache.get(s)
            if found is None:
                found = cache[s] = [("invests_at_stage", {"stage": self.stage_vocab[s]})]
            out.append(found)
        return out

    def _listed(self, name: str, company_lists, partner_sets, ci, pj, make) -> list[list[Reason]]:
        """Reasons from the company's items (in its order) that the partner also has."""
        tables = self._cache.get(name)
        if tables is None:
            vocab = sorted({x for xs in company_lists for x in xs})
            index = {x: k for k, x in enumerate(vocab)}
            ok = np.zeros((self.m, max(len(vocab), 1)), dtype=bool)
            for j, xs in enumerate(partner_sets):
                ok[j, [index[x] for x in xs if x in index]] = True
            own = _padded([[index[x] for x in xs] for xs in company_lists])
            tables = self._cache[name] = (ok, own, _list_ids(company_lists))
        ok, own, ids = tables
        mask = _shared(own, ok, ci, pj)
        return _grouped(ids, ci, mask, lambda t: make([x for b, x in enumerate(company_lists[ci[t]]) if mask[t, b]]))

    def market(self, ci, pj, values) -> list[list[Reason]]:
        return self._listed("market", self.f.company_wanted_markets, self.f.partner_active_markets, ci, pj,
                            lambda common: [("active_in_market", {"market": x}) for x in common][:3])

    def language(self, ci, pj, values) -> list[list[Reason]]:
        return self._listed("language", [c.languages for c in self.f.companies],
                            [q.languages for q in self.f.partners], ci, pj,
                            lambda common: [("common_language", {"languages": common})] if common else [])

    # --- per partner: activity, ticket ---

    def _per_partner(self, name: str, pj: np.ndarray, build) -> list[list[Reason]]:
        cache = self._cache.setdefault(name, {})
        missing = np.unique(pj[[j not in cache for j in pj.tolist()]]) if len(pj) else pj
        if len(missing):
            cache.update(zip(missing.tolist(), build(missing), strict=True))
        return [cache[j] for j in pj.tolist()]

    def activity(self, ci, pj, values) -> list[list[Reason]]:
        return self._per_partner("activity", pj, self._activity)

    def _activity(self, js: np.ndarray) -> list[list[Reason]]:
        d, ref = self.f.deals, self.f.ref_year
        count = np.diff(d.offsets)[js]
        dated = d.year >= 0
        n_dated = np.bincount(d.partner[dated], minlength=self.m)[js]
        first = np.full(self.m, np.iinfo(np.int64).max)
        np.minimum.at(first, d.partner[dated], d.year[dated])
        first = first[js]
        since = ref - 2 if ref is not None else None
        recent = (np.bincount(d.partner[dated & (d.year >= since)], minlength=self.m)[js] if since is not None
                  else np.zeros(len(js), dtype=np.int64))
        out = []
        for total, k, r, y in zip(count.tolist(), n_dated.tolist(), recent.tolist(), first.tolist(), strict=True):
            if total == 0:
                out.append([])
            elif since is not None and k and r:
                out.append([("active_investor", {"deals": r, "since": since})])
            else:
                out.append([("active_investor", {"deals": total, "since": y if k else None})])
        return out

    def ticket(self, ci, pj, values) -> list[list[Reason]]:
        return self._per_partner("ticket", pj, self._ticket)

    def _ticket(self, js: np.ndarray) -> list[list[Reason]]:
        d = self.f.deals
        known = ~np.isnan(d.amount)
        rows = np.flatnonzero(known & np.isin(d.partner, js))
        order = rows[np.lexsort((d.amount[rows], d.partner[rows]))]
        sizes = np.bincount(d.partner[order], minlength=self.m)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        values = d.amount[order]
        low, high = (self._percentile(values, starts[js], sizes[js], q) for q in (10, 90))
        out = []
        for j, size, lo, hi in zip(js.tolist(), sizes[js].tolist(), low.tolist(), high.tolist(), strict=True):
            declared = self.f.partners[j].ticket_usd
            if declared:
                out.append([("ticket_fits", {"min_usd": declared[0], "max_usd": declared[1]})])
            elif size:
                out.append([("ticket_fits", {"min_usd": lo, "max_usd": hi})])
            else:
                out.append([])
        return out

    @staticmethod
    def _percentile(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray, q: float) -> np.ndarray:
        """np.percentile (linear) of each group values[start:start + size], sorted ascending; nan if empty."""
        pos = q / 100 * np.maximum(sizes - 1, 0)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, np.maximum(sizes - 1, 0))
        t = pos - lo
        if not len(values):
            return np.full(len(sizes), np.nan)
        a = values[np.minimum(starts + lo, len(values) - 1)]
        b = values[np.minimum(starts + hi, len(values) - 1)]
        diff = b - a
        # numpy's own interpolation formula, so that the numbers are the same as np.percentile's
        return np.where(sizes > 0, np.where(t >= 0.5, b - diff * (1 - t), a + diff * t), np.nan)

    # --- text and ties ---

    def text(self, ci, pj, values) -> list[list[Reason]]:
        # How alike the texts are, before the block's shrinkage by the partner's evidence (features.py).
        weight = self.f.partner_text_evidence[pj]
        values = np.asarray(values, dtype=np.float32)
        similarity = np.divide(values, weight, out=np.zeros(len(pj), dtype=np.float32), where=weight > 0)
        return [[("similar_description", {"similarity": round(v, 2)})] if v >= _MIN_TEXT_SIMILARITY else []
                for v in similarity.tolist()]

    def coinvest(self, ci, pj, values) -> list[list[Reason]]:
        ties = self.f.ties
        width = max(self.m, 1)
        key = ci.astype(np.int64) * width + pj
        lo = np.searchsorted(ties._tie_key, key)
        hi = np.searchsorted(ties._tie_key, key + 1)
        out = []
        for i, a, b in zip(ci.tolist(), lo.tolist(), np.minimum(hi, lo + 2).tolist(), strict=True):
            display = ties._display[i]
            out.append([("coinvested_with", {"investor": display.get(name, name)})
                        for name in (ties.name_list[e] for e in ties._tie_investor[a:b].tolist())])
        return out

    def follow_on(self, ci, pj, values) -> list[list[Reason]]:
        same = [("existing_investor", {})]
        return [same] * len(ci)
