"""The partner's portfolio company most like the company: for the "invested in a similar company" reason.

Looked up for many pairs at once: per (partner, sector) and per (partner, sector, stage), the most recent deal is
found once with a sort, and each pair picks among its sectors in common with a few vectorized look-ups.
"""

from __future__ import annotations

import numpy as np

from matchmaker.matching.features import EventFeatures


class SimilarDeals:
    def __init__(self, features: EventFeatures, company_sectors: np.ndarray, company_sector_lists: list[list[int]],
                 company_stages: np.ndarray):
        """`company_sectors` and `company_stages` are the companies' sector and stage indices, padded with -1;
        `company_sector_lists` the same sectors unpadded."""
        self.f = features
        self.company_sectors = company_sectors
        self.company_sector_lists = company_sector_lists
        self.company_stages = company_stages
        self._found = None

    def _tables(self):
        """Per (partner, sector) and (partner, sector, stage): the most recent deal (first listed on a tie)."""
        if self._found is not None:
            return self._found
        d = self.f.deals
        n_sectors, n_stages = max(len(self.f.sector_vocab), 1), max(len(self.f.stage_vocab), 1)
        sector = np.array([self.f.sector_index.get(s, -1) if s else -1 for s in d.sector], dtype=np.int64)
        stage = np.array([self.f.stage_index.get(s, -1) if s else -1 for s in d.stage], dtype=np.int64)
        usable = (sector >= 0) & np.array([bool(c) for c in d.company_name], dtype=bool)
        year = np.where(d.year > 0, d.year, 0)
        idx = np.flatnonzero(usable)

        def best(keys):
            # Sorted by key, then newest first, then portfolio order: the first row of each key wins.
            order = np.lexsort((idx, -year[idx], keys))
            k = keys[order]
            first = np.r_[True, k[1:] != k[:-1]] if len(k) else np.zeros(0, dtype=bool)
            return k[first], idx[order][first]

        pair_key = d.partner[idx] * n_sectors + sector[idx]
        any_keys, any_deal = best(pair_key)
        ok = stage[idx] >= 0
        stage_key = np.where(ok, pair_key * n_stages + np.maximum(stage[idx], 0), -1)
        st_keys, st_deal = best(stage_key)
        keep = st_keys >= 0
        tables = (n_sectors, n_stages, year, (any_keys, any_deal), (st_keys[keep], st_deal[keep]))
        self._found = tables
        return tables

    def pick(self, ci: np.ndarray, pj: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The partner's most recent deal in a sector in common, at one of the company's stages if it has one.

        Deals in the company itself (a follow-on partner's earlier round) are not "similar": pairs whose pick is
        the company itself are redone deal by deal, leaving those out.
        """
        n_sectors, n_stages, year, (any_k, any_d), (st_k, st_d) = self._tables()
        p = len(ci)
        best = np.full(p, -1, dtype=np.int64)
        best_key = np.full(p, -1, dtype=np.int64)
        if p == 0 or len(any_k) == 0:
            return best

        def lookup(keys_table, deals_table, want):
            pos = np.minimum(np.searchsorted(keys_table, want), len(keys_table) - 1)
            hit = (keys_table[pos] == want) & (want >= 0)
            return np.where(hit, deals_table[pos], -1)

        stages = self.company_stages[ci]
        for b in range(mask.shape[1]):
            s = self.company_sectors[ci, b]
            on = mask[:, b]
            base = np.where(on, pj * n_sectors + np.maximum(s, 0), -1)
            candidates = [(lookup(any_k, any_d, base), 0)]
            for c in range(stages.shape[1]):
                st = stages[:, c]
                want = np.where(on & (st >= 0), base * n_stages + np.maximum(st, 0), -1)
                candidates.append((lookup(st_k, st_d, want), 1))
            for deal, at_stage in candidates:
                # Key: at the company's stage first, then the newest, then the earliest listed deal.
                key = np.where(deal >= 0, (at_stage << 48) + (year[np.maximum(deal, 0)] << 32)
                               + ((1 << 32) - 1 - deal), -1)
                better = key > best_key
                best = np.where(better, deal, best)
                best_key = np.where(better, key, best_key)
        names = self.f.deals.company_name
        companies = self.f.companies
        for t in np.flatnonzero(best >= 0).tolist():
            own = companies[ci[t]].name.casefold().strip()
            if names[best[t]].casefold().strip() == own:
                best[t] = self._slow(int(ci[t]), int(pj[t]), mask[t], own)
        return best

    def _slow(self, i: int, j: int, mask: np.ndarray, own: str) -> int:
        d = self.f.deals
        sectors = {self.f.sector_vocab[s] for b, s in enumerate(self.company_sector_lists[i]) if mask[b]}
        stages = set(self.f.companies[i].stages)
        best, best_key = -1, None
        for t in range(*d.of(j).indices(len(d))):
            name = d.company_name[t]
            if not name or d.sector[t] not in sectors or name.casefold().strip() == own:
                continue
            key = (d.stage[t] in stages, max(int(d.year[t]), 0))
            if best_key is None or key > best_key:
                best, best_key = t, key
        return best

