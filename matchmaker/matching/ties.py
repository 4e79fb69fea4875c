"""Who already invested in a company (follow-on), and who co-invested with them (co-investment network).

Investors and companies are matched by normalized name. The bipartite graph investor -> company comes from
partners' portfolios (a deal's company) and from companies' `existing_investors`; two investors are tied by the
companies they share. Everything is sparse: a company has a handful of investors, an investor a few dozen ties.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from matchmaker.matching.portfolio import Deals
from matchmaker.matching.profiles import Profile


class PairTable:
    """Vectorized look-up of entries of a sparse matrix (a missing entry is 0)."""

    def __init__(self, matrix: sp.spmatrix):
        coo = matrix.tocoo()
        self.width = max(matrix.shape[1], 1)
        keys = coo.row.astype(np.int64) * self.width + coo.col
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.values = coo.data[order].astype(np.float64)

    def get(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        out = np.zeros(len(rows), dtype=np.float64)
        if len(self.keys) == 0 or len(rows) == 0:
            return out
        want = np.asarray(rows, dtype=np.int64) * self.width + np.asarray(cols, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.keys, want), len(self.keys) - 1)
        hit = self.keys[pos] == want
        out[hit] = self.values[pos[hit]]
        return out


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, s + l) for each (s, l), vectorized."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return offsets + np.arange(total)


class Ties:
    def __init__(self, companies: Sequence[Profile], partners: Sequence[Profile], deals: Deals,
                 key: Callable[[str], str], propensity: np.ndarray, coinvest_prior: float):
        n, m = len(companies), len(partners)
        self.shape = (n, m)
        partner_keys = [key(q.name) for q in partners]
        # A name with no letters or digits normalizes to "": give such companies keys of their own.
        company_keys = [key(c.name) or f"\0company{i}" for i, c in enumerate(companies)]
        self.existing = [[k for k in dict.fromkeys(key(x) for x in c.existing_investors) if k] for c in companies]
        self._display = [{key(x): x for x in c.existing_investors} for c in companies]

        names: dict[str, int] = {}
        for k in partner_keys:
            names.setdefault(k, len(names))
        for own in self.existing:
            for k in own:
                names.setdefault(k, len(names))
        keys: dict[str, int] = {}
        for k in company_keys:
            keys.setdefault(k, len(keys))
        for k in deals.company:
            if k:
                keys.setdefault(k, len(keys))
        self.name_list = list(names)
        partner_row = np.array([names[k] for k in partner_keys], dtype=np.int64)
        company_col = np.array([keys[k] for k in company_keys], dtype=np.int64)

        # Edges investor -> company, weighted by recency for portfolio deals and 1 for declared investors.
        has_company = np.array([bool(k) for k in deals.company], dtype=bool)
        e1 = partner_row[deals.partner[has_company]] if m else np.zeros(0, dtype=np.int64)
        k1 = np.array([keys[k] for k in deals.company if k], dtype=np.int64)
        w1 = deals.weight[has_company]
        pairs = [(i, names[x]) for i, own in enumerate(self.existing) for x in own]
        ex_c = np.array([i for i, _ in pairs], dtype=np.int64)
        ex_e = np.array([e for _, e in pairs], dtype=np.int64)
        e = np.concatenate([e1, ex_e])
        k = np.concatenate([k1, company_col[ex_c]])
        w = np.concatenate([w1, np.ones(len(ex_e))])
        code, inverse = np.unique(e * max(len(keys), 1) + k, return_inverse=True)
        weight = np.zeros(len(code))
        np.maximum.at(weight, inverse, w)  # one edge per (investor, company): its most recent deal
        graph = sp.csr_matrix((weight, (code // max(len(keys), 1), code % max(len(keys), 1))),
                              shape=(len(names), len(keys)))
        graph_table = PairTable(graph)

        # Follow-on: a partner named among the company's investors, or with the company in its portfolio,
        # valued by how readily that partner re-invests.
        declared = sp.csr_matrix((np.ones(len(ex_c)), (ex_c, ex_e)), shape=(n, len(names)))
        in_graph = graph[:, company_col].T.tocsr()
        investors = ((declared + in_graph) > 0).astype(np.float64)
        to_partner = sp.csr_matrix((np.ones(m), (partner_row, np.arange(m))), shape=(len(names), m))
        follow = (investors @ to_partner).tocoo()
        self.follow_on = sp.csr_matrix(
            (propensity[follow.col].astype(np.float32), (follow.row, follow.col)), shape=(n, m)
        )
        follow_table = PairTable(self.follow_on)

        # Co-investment: for existing investor e and partner p, the companies they share, A(e, p), leaving out
        # the company being ranked (that would only restate the follow-on), against what independence predicts
        # (n_e n_p / N): log(1 + A / (kappa * expected)) is 0 without ties and grows with surprising ones.
        degree = np.asarray(graph.sum(axis=1)).ravel()
        total = float(graph.sum()) or 1.0
        ex_rows, ex_pos = np.unique(ex_e, return_inverse=True)
        shared = (graph[ex_rows] @ graph[partner_row].T).tocsr() if len(ex_rows) and m else sp.csr_matrix((0, m))
        starts, ends = shared.indptr[ex_pos], shared.indptr[ex_pos + 1]
        idx = _ranges(starts, ends - starts)
        tc = np.repeat(ex_c, ends - starts)
        te = np.repeat(ex_e, ends - starts)
        tp = shared.indices[idx].astype(np.int64)
        ta = shared.data[idx] - graph_table.get(te, company_col[tc]) * graph_table.get(partner_row[tp], company_col[tc])
        keep = (ta > 1e-9) & (te != partner_row[tp])
        keep &= follow_table.get(tc, tp) == 0  # a partner already on the cap table is the follow-on block's
        tc, te, tp, ta = tc[keep], te[keep], tp[keep], ta[keep]
        expected = degree[te] * degree[partner_row[tp]] / total
        value = np.log1p(ta / (coinvest_prior * np.maximum(expected, 1e-12)))
        # Averaged over the company's investors, so a long cap table does not by itself lift every partner.
        n_existing = np.array([max(len(x), 1) for x in self.existing], dtype=np.float64)
        self.coinvest = sp.csr_matrix(((value / n_existing[tc]).astype(np.float32), (tc, tp)), shape=(n, m))
        self.coinvest.sum_duplicates()

        order = np.lexsort((-ta, tp, tc))  # for explanations: which investors a tie goes through
        self._tie_key = tc[order] * max(m, 1) + tp[order]
        self._tie_investor = te[order]
        self._tie_shared = ta[order]
        self.follow_table = follow_table
        self.coinvest_table = PairTable(self.coinvest)

    def ties(self, i: int, j: int) -> list[tuple[str, float]]:
        """Company i's existing investors tied to partner j, strongest first: (display name, shared deals)."""
        key = i * max(self.shape[1], 1) + j
        lo, hi = np.searchsorted(self._tie_key, [key, key + 1])
        out = []
        for e, a in zip(self._tie_investor[lo:hi], self._tie_shared[lo:hi], strict=True):
            name = self.name_list[int(e)]
            out.append((self._display[i].get(name, name), float(a)))
        return out
