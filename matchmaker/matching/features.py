"""Feature blocks for every (company, partner) pair of an event.

Each block gives one number per pair, on a log-odds scale, with 0 meaning "no evidence either way" (unknown or
average). Almost every block is bilinear, value = u_company . v_partner, so that the scorer can evaluate all
pairs with one matrix product per row block instead of a Python loop over pairs. The exceptions are sparse by
nature (follow-on, co-investment: a few partners per company) and are kept as sparse company x partner
matrices.

Naive-Bayes reading of the blocks: the probability that a partner takes up a company is its activity times, per
attribute, the lift of the company's attribute in the partner's interests over the population, so log-lifts of
smoothed distributions are added up. Smoothing (a Dirichlet prior towards the population) is what keeps a
partner with three deals from looking like a specialist.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matchmaker.matching import text
from matchmaker.matching.profiles import STAGE_ORDER, Profile, norm_name

# Which side a block speaks for. The reciprocal score combines the two sides' fits (scoring.py).
# Company side: does the partner give what the company needs (its stage, its round size, its markets, a language
# to talk in, an active investor). Partner side: is the company what the partner goes for (its thesis and
# portfolio sectors, what its description says, its co-investment network, its own portfolio companies).
BLOCKS = {
    "stage": "company",
    "ticket": "company",
    "market": "company",
    "language": "company",
    "activity": "company",
    "sector": "partner",
    "text": "partner",
    "coinvest": "partner",
    "follow_on": "partner",
}

# log10 of USD: bins of half a decade from $10k to $1B+; amounts outside are clamped to the end bins.
_TICKET_LOW, _TICKET_STEP, N_TICKET_BINS = 4.0, 0.5, 11


@dataclass(frozen=True)
class FeatureParams:
    half_life_years: float = 3.0  # a deal from 3 years before the newest counts half (recency decay)
    prior_deals: float = 5.0  # Dirichlet strength: a partner's interests shrink towards the population's
    declared_deals: float = 3.0  # declared sectors/stages/ticket count like this many recent deals
    stage_spill: float = 0.25  # share of a deal's evidence given to each neighbouring stage
    ticket_spill: float = 0.5  # same for neighbouring round-size bins (round sizes are noisy)
    coinvest_prior: float = 1.0  # pseudo-count in the co-investment lift (a single shared deal is weak)
    text_dims: int = 64  # dimensions of the projected TF-IDF used to retrieve candidates in large events
    exact_text_budget: float = 3e7  # above this many multiply-adds the exact all-pairs cosine is skipped
    as_of: int | None = None  # reference year for recency; default: the newest deal year in the event


def _ticket_bin(amount: float) -> int:
    position = (math.log10(max(amount, 1.0)) - _TICKET_LOW) / _TICKET_STEP
    return int(min(max(math.floor(position), 0), N_TICKET_BINS - 1))


def _ticket_bins(low: float, high: float) -> range:
    return range(_ticket_bin(low), _ticket_bin(high) + 1)


def _log_lift(counts: np.ndarray, prior: float, spill: np.ndarray | None = None) -> np.ndarray:
    """log(theta_p / g): a partner's smoothed interest distribution over the population's.

    `counts` is partners x categories (recency-weighted deals plus declared pseudo-deals); `spill` a
    category x category kernel that lets neighbouring stages or round sizes share evidence.
    A partner with no evidence gets theta = g, so its lift is 0 everywhere (neutral).
    """
    if spill is not None:
        counts = counts @ spill
    if counts.shape[1] == 0:
        return counts.astype(np.float32)
    pooled = counts.sum(axis=0)
    k = counts.shape[1]
    # A little uniform mass so that a category no partner has ever done still has a finite lift.
    g = 0.9 * pooled / pooled.sum() + 0.1 / k if pooled.sum() > 0 else np.full(k, 1.0 / k)
    theta = (counts + prior * g) / (counts.sum(axis=1, keepdims=True) + prior)
    return np.log(theta / g).astype(np.float32)


def _spill_kernel(n: int, neighbours: Sequence[tuple[int, int]], spill: float) -> np.ndarray:
    kernel = np.eye(n)
    for a, b in neighbours:
        kernel[a, b] = kernel[b, a] = spill
    return kernel


def _normalize_rows(matrix: np.ndarray) -> np.ndarray:
    sums = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, sums, out=np.zeros_like(matrix), where=sums > 0)


class EventFeatures:
    """All feature blocks of one event (companies x partners). Built once, then queried by row blocks."""

    def __init__(self, companies: Sequence[Profile], partners: Sequence[Profile], params: FeatureParams | None = None):
        self.params = params = params or FeatureParams()
        self.companies = list(companies)
        self.partners = list(partners)
        n, m = len(self.companies), len(self.partners)
        self.shape = (n, m)
        years = [d.year for p in self.partners for d in p.portfolio if d.year is not None]
        self.ref_year = params.as_of if params.as_of is not None else (max(years) if years else None)
        self._deal_weights = [np.array([self._recency(d.year) for d in p.portfolio]) for p in self.partners]
        self.activity_deals = np.array([w.sum() for w in self._deal_weights], dtype=np.float64)

        self._build_sectors()
        self._build_stages()
        self._build_tickets()
        self._build_markets()
        self._build_languages()
        self._build_activity()
        self._build_text()
        self._build_ties()

    def _recency(self, year: int | None) -> float:
        if self.ref_year is None or year is None:
            return 0.5  # an undated deal: as if a half-life old
        return 0.5 ** (max(self.ref_year - year, 0) / self.params.half_life_years)

    # --- categorical interests ---

    def _build_sectors(self):
        p = self.params
        vocab = sorted({s for c in self.companies for s in c.sectors} | {s for q in self.partners for s in q.sectors}
                       | {d.sector for q in self.partners for d in q.portfolio if d.sector})
        self.sector_vocab = vocab
        index = {s: i for i, s in enumerate(vocab)}
        n, m, k = *self.shape, len(vocab)
        cs = np.zeros((n, k), dtype=np.float32)
        for i, c in enumerate(self.companies):
            for s, w in c.sectors.items():
                cs[i, index[s]] = w
        self.company_sectors = _normalize_rows(cs)
        counts = np.zeros((m, k))
        self.portfolio_sector_counts = np.zeros((m, k))
        for j, q in enumerate(self.partners):
            total = sum(q.sectors.values())
            for s, w in q.sectors.items():
                counts[j, index[s]] += p.declared_deals * w / total
            for d, w in zip(q.portfolio, self._deal_weights[j], strict=True):
                if d.sector:
                    counts[j, index[d.sector]] += w
                    self.portfolio_sector_counts[j, index[d.sector]] += 1
        self.partner_sector_lift = _log_lift(counts, p.prior_deals)

    def _build_stages(self):
        p = self.params
        vocab = list(STAGE_ORDER) + sorted(
            ({s for c in self.companies for s in c.stages} | {s for q in self.partners for s in q.stages}
             | {d.stage for q in self.partners for d in q.portfolio if d.stage}) - set(STAGE_ORDER)
        )
        self.stage_vocab = vocab
        index = {s: i for i, s in enumerate(vocab)}
        n, m, k = *self.shape, len(vocab)
        ct = np.zeros((n, k), dtype=np.float32)
        for i, c in enumerate(self.companies):
            for s in c.stages:
                ct[i, index[s]] = 1.0
        self.company_stages = _normalize_rows(ct)
        counts = np.zeros((m, k))
        self.portfolio_stage_counts = np.zeros((m, k))
        for j, q in enumerate(self.partners):
            for s in q.stages:
                counts[j, index[s]] += p.declared_deals / len(q.stages)
            for d, w in zip(q.portfolio, self._deal_weights[j], strict=True):
                if d.stage:
                    counts[j, index[d.stage]] += w
                    self.portfolio_stage_counts[j, index[d.stage]] += 1
        kernel = _spill_kernel(k, [(i, i + 1) for i in range(len(STAGE_ORDER) - 1)], p.stage_spill)
        self.partner_stage_lift = _log_lift(counts, p.prior_deals, kernel)

    def _build_tickets(self):
        p = self.params
        n, m, k = *self.shape, N_TICKET_BINS
        cb = np.zeros((n, k), dtype=np.float32)
        for i, c in enumerate(self.companies):
            if c.ticket_usd:
                bins = _ticket_bins(*c.ticket_usd)
                cb[i, bins.start: bins.stop] = 1.0
        self.company_tickets = _normalize_rows(cb)
        counts = np.zeros((m, k))
        self.partner_amounts: list[np.ndarray] = []
        for j, q in enumerate(self.partners):
            if q.ticket_usd:
                bins = _ticket_bins(*q.ticket_usd)
                counts[j, bins.start: bins.stop] += p.declared_deals / len(bins)
            amounts = []
            for d, w in zip(q.portfolio, self._deal_weights[j], strict=True):
                if d.amount_usd:
                    counts[j, _ticket_bin(d.amount_usd)] += w
                    amounts.append(d.amount_usd)
            self.partner_amounts.append(np.array(amounts))
        kernel = _spill_kernel(k, [(i, i + 1) for i in range(k - 1)], p.ticket_spill)
        self.partner_ticket_lift = _log_lift(counts, p.prior_deals, kernel)

    def _build_markets(self):
        vocab = sorted({x for c in self.companies for x in (*c.markets, c.country) if x}
                       | {x for q in self.partners for x in (*q.markets, q.country) if x})
        self.market_vocab = vocab
        index = {x: i for i, x in enumerate(vocab)}
        n, m, k = *self.shape, len(vocab)
        cm = np.zeros((n, k), dtype=np.float32)
        for i, c in enumerate(self.companies):
            for x in c.markets:
                cm[i, index[x]] = 1.0
            # Home market counts half: a partner active in Korea can still back a Korean company at home.
            if c.country and c.country not in c.markets:
                cm[i, index[c.country]] = 0.5 if c.markets else 1.0
        self.company_markets = _normalize_rows(cm)
        pm = np.zeros((m, k), dtype=np.float32)
        for j, q in enumerate(self.partners):
            active = {x for x in (*q.markets, q.country) if x}
            if active:  # known markets: +1 where active, -1 elsewhere; unknown stays 0
                pm[j, :] = -1.0
                for x in active:
                    pm[j, index[x]] = 1.0
        self.partner_markets = pm

    def _build_languages(self):
        vocab = sorted({x for c in self.companies for x in c.languages} | {x for q in self.partners for x in q.languages})
        self.language_vocab = vocab
        index = {x: i for i, x in enumerate(vocab)}

        def indicator(profiles):
            out = np.zeros((len(profiles), len(vocab)), dtype=np.float32)
            for i, prof in enumerate(profiles):
                for x in prof.languages:
                    out[i, index[x]] = 1.0
            return out

        self.company_languages = indicator(self.companies)
        self.partner_languages = indicator(self.partners)
        self.company_lang_known = (self.company_languages.sum(axis=1) > 0).astype(np.float32)
        self.partner_lang_known = (self.partner_languages.sum(axis=1) > 0).astype(np.float32)

    def _build_activity(self):
        has = np.array([bool(q.portfolio) for q in self.partners])
        a = self.activity_deals.copy()
        # A partner without a portfolio is of unknown activity, not inactive: give it the typical value.
        typical = float(np.median(a[has])) if has.any() else 0.0
        a[~has] = typical
        self.partner_activity = np.log((a + 1.0) / (typical + 1.0)).astype(np.float32)

    # --- text ---

    def _build_text(self):
        docs = [c.description for c in self.companies] + [q.description for q in self.partners]
        matrix = text.tfidf(docs)
        n = self.shape[0]
        self.company_text = matrix[:n]
        self.partner_text = matrix[n:]
        cols_c = np.bincount(self.company_text.indices, minlength=matrix.shape[1]) if n else 0
        cols_p = np.bincount(self.partner_text.indices, minlength=matrix.shape[1]) if self.shape[1] else 0
        cost = float(np.dot(cols_c, cols_p)) if n and self.shape[1] else 0.0
        # Exact sparse cosine for every pair when that is cheap (events of a few hundred profiles); otherwise
        # candidates are retrieved with a projected cosine and only they get the exact one.
        self.text_exact = cost <= self.params.exact_text_budget
        self.company_text_dense = self.partner_text_dense = None
        if not self.text_exact:
            dense = text.project(matrix, self.params.text_dims)
            self.company_text_dense, self.partner_text_dense = dense[:n], dense[n:]

    # --- follow-on and co-investment ties ---

    def _build_ties(self):
        """Who already invested in the company (follow-on), and who co-invested with them (network).

        Investors and companies are matched by normalized name. The bipartite graph investor -> company comes
        from partners' portfolios and from companies' `existing_investors`; two investors are tied by the
        companies they share.
        """
        n, m = self.shape
        p = self.params
        partner_keys = [norm_name(q.name) for q in self.partners]
        company_keys = [norm_name(c.name) for c in self.companies]
        names: dict[str, int] = {}
        keys: dict[str, int] = {}
        edges: dict[tuple[int, int], float] = {}

        def add(investor: str, company: str, weight: float):
            e = names.setdefault(investor, len(names))
            k = keys.setdefault(company, len(keys))
            edges[e, k] = max(edges.get((e, k), 0.0), weight)

        for j, q in enumerate(self.partners):
            for d, w in zip(q.portfolio, self._deal_weights[j], strict=True):
                if d.company and norm_name(d.company):
                    add(partner_keys[j], norm_name(d.company), w)
        existing = []
        for i, c in enumerate(self.companies):
            own = [norm_name(x) for x in c.existing_investors]
            own = [x for x in dict.fromkeys(own) if x]
            existing.append(own)
            for x in own:
                if company_keys[i]:
                    add(x, company_keys[i], 1.0)
        for key in partner_keys:
            names.setdefault(key, len(names))
        for key in company_keys:
            keys.setdefault(key, len(keys))
        self._tie_names = names
        self._name_list = list(names)
        self._existing = existing
        partners_by_name: dict[str, list[int]] = defaultdict(list)
        for j, key in enumerate(partner_keys):
            partners_by_name[key].append(j)

        if edges:
            (e_idx, k_idx), w = zip(*edges.keys(), strict=True), list(edges.values())
        else:
            e_idx, k_idx, w = (), (), ()
        graph = sp.csr_matrix((np.array(w, dtype=np.float64), (np.array(e_idx, dtype=np.int64),
                              np.array(k_idx, dtype=np.int64))), shape=(len(names), len(keys)))
        self._graph = graph
        company_col = np.array([keys[k] for k in company_keys], dtype=np.int64)
        partner_row = np.array([names[k] for k in partner_keys], dtype=np.int64)

        # Follow-on: a partner named among the company's investors, or with the company in its portfolio.
        graph_csc = graph.tocsc()
        rows, cols = [], []
        for i in range(n):
            found = {j for x in existing[i] for j in partners_by_name.get(x, ())}
            if company_keys[i]:
                investors = graph_csc.indices[graph_csc.indptr[company_col[i]]: graph_csc.indptr[company_col[i] + 1]]
                found |= {j for e in investors for j in partners_by_name.get(self._name_of(e), ())}
            rows.extend([i] * len(found))
            cols.extend(sorted(found))
        self.follow_on = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, m))

        # Co-investment: for existing investor e and partner p, the shared companies A(e, p) (leaving out the
        # company being ranked, which would only restate the follow-on) against what independence predicts
        # (n_e n_p / N): log(1 + A / (kappa * expected)) is 0 without ties and grows with surprising ties.
        degree = np.asarray(graph.sum(axis=1)).ravel()
        total = float(graph.sum()) or 1.0
        ex_rows = np.array([names[x] for x in sorted({x for own in existing for x in own})], dtype=np.int64)
        ex_pos = {int(e): r for r, e in enumerate(ex_rows)}
        shared = (graph[ex_rows] @ graph[partner_row].T).tocsr() if len(ex_rows) and m else sp.csr_matrix((0, m))
        tri_c, tri_e, tri_p, tri_a = [], [], [], []
        for i in range(n):
            for x in existing[i]:
                r = ex_pos[names[x]]
                lo, hi = shared.indptr[r], shared.indptr[r + 1]
                if hi == lo:
                    continue
                tri_c.append(np.full(hi - lo, i))
                tri_e.append(np.full(hi - lo, names[x]))
                tri_p.append(shared.indices[lo:hi])
                tri_a.append(shared.data[lo:hi])
        if tri_c:
            tc, te, tp, ta = (np.concatenate(a) for a in (tri_c, tri_e, tri_p, tri_a))
            own_col = company_col[tc]
            ta = ta - _lookup(graph, te, own_col) * _lookup(graph, partner_row[tp], own_col)
            keep = (ta > 1e-9) & (te != partner_row[tp])
            tc, te, tp, ta = tc[keep], te[keep], tp[keep], ta[keep]
            expected = degree[te] * degree[partner_row[tp]] / total
            value = np.log1p(ta / (p.coinvest_prior * np.maximum(expected, 1e-12)))
        else:
            tc = te = tp = np.zeros(0, dtype=np.int64)
            ta = value = np.zeros(0)
        # Averaged over the company's investors, so a long cap table does not by itself lift every partner.
        n_existing = np.array([max(len(x), 1) for x in existing], dtype=np.float64)
        self.coinvest = sp.csr_matrix(
            ((value / n_existing[tc]).astype(np.float32), (tc, tp)), shape=(n, m)
        )
        self.coinvest.sum_duplicates()
        self._coinvest_table = PairTable(self.coinvest)
        self._follow_on_table = PairTable(self.follow_on)
        order = np.lexsort((-ta, tp, tc))  # kept for explanations: which investor a tie goes through
        self._tie_key = tc[order] * max(m, 1) + tp[order]
        self._tie_investor = te[order]
        self._tie_shared = ta[order]

    def _name_of(self, row: int) -> str:
        return self._name_list[row]

    def ties(self, i: int, j: int) -> list[tuple[str, float]]:
        """The company's existing investors tied to partner j, strongest first, as (normalized name, shared)."""
        key = i * max(self.shape[1], 1) + j
        lo, hi = np.searchsorted(self._tie_key, [key, key + 1])
        return [(self._name_of(int(e)), float(a)) for e, a in zip(self._tie_investor[lo:hi], self._tie_shared[lo:hi],
                                                                   strict=True)]

    def existing_display_name(self, i: int, normalized: str) -> str:
        for x in self.companies[i].existing_investors:
            if norm_name(x) == normalized:
                return x
        return normalized

    # --- evaluation ---

    def dense_factors(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Bilinear blocks as (company factor, partner factor); the language one is the retrieval proxy."""
        n, m = self.shape
        factors = {
            "sector": (self.company_sectors, self.partner_sector_lift),
            "stage": (self.company_stages, self.partner_stage_lift),
            "ticket": (self.company_tickets, self.partner_ticket_lift),
            "market": (self.company_markets, self.partner_markets),
            # 2 * common - both_known: +1 with one language in common, -1 with none, 0 when unknown.
            "language": (np.hstack([self.company_languages, self.company_lang_known[:, None]]),
                         np.hstack([2 * self.partner_languages, -self.partner_lang_known[:, None]])),
            "activity": (np.ones((n, 1), dtype=np.float32), self.partner_activity[:, None]),
        }
        if not self.text_exact:
            factors["text"] = (self.company_text_dense, self.partner_text_dense)
        return factors

    def pair_blocks(self, ci: np.ndarray, pj: np.ndarray) -> dict[str, np.ndarray]:
        """Exact block values for the pairs (ci[k], pj[k])."""

        def rowdot(a, b):
            return np.einsum("ij,ij->i", a[ci], b[pj]) if a.shape[1] else np.zeros(len(ci), dtype=np.float32)

        common = rowdot(self.company_languages, self.partner_languages) > 0
        both = (self.company_lang_known[ci] * self.partner_lang_known[pj]) > 0
        blocks = {
            "sector": rowdot(self.company_sectors, self.partner_sector_lift),
            "stage": rowdot(self.company_stages, self.partner_stage_lift),
            "ticket": rowdot(self.company_tickets, self.partner_ticket_lift),
            "market": rowdot(self.company_markets, self.partner_markets),
            "language": np.where(common, 1.0, np.where(both, -1.0, 0.0)).astype(np.float32),
            "activity": self.partner_activity[pj],
            "text": _sparse_rowdot(self.company_text, self.partner_text, ci, pj),
            "coinvest": self._coinvest_table.get(ci, pj),
            "follow_on": self._follow_on_table.get(ci, pj),
        }
        return {k: np.asarray(v, dtype=np.float32) for k, v in blocks.items()}


class PairTable:
    """Vectorized look-up of entries of a sparse company x partner matrix (a missing entry is 0)."""

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


def _lookup(matrix: sp.spmatrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    return PairTable(matrix).get(rows, cols)


def _sparse_rowdot(a: sp.csr_matrix, b: sp.csr_matrix, ci: np.ndarray, pj: np.ndarray) -> np.ndarray:
    if a.nnz == 0 or b.nnz == 0 or len(ci) == 0:
        return np.zeros(len(ci), dtype=np.float32)
    return np.asarray(a[ci].multiply(b[pj]).sum(axis=1)).ravel()
