"""Feature blocks for every (company, partner) pair of an event.

Each block gives one number per pair, on a log-odds scale, with 0 meaning "no evidence either way" (unknown or
average). Almost every block is bilinear, value = u_company . v_partner, so that the scorer can evaluate all
pairs with one matrix product per row block instead of a Python loop over pairs. The exceptions are sparse by
nature (follow-on, co-investment: a few partners per company) and are kept as sparse company x partner
matrices.

Naive-Bayes reading of the blocks: the probability that a partner takes up a company is its activity times, per
attribute, the lift of the company's attribute in the partner's interests over the population, so log-lifts of
smoothed distributions are added up. Smoothing (a Dirichlet prior towards the population) is what keeps a
partner with three deals from looking like a specialist. Those categorical blocks (sectors, stages
and later rounds, round sizes) are built in `interests.py`; the others (markets, languages, activity, text) here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matchmaker.matching import interests, text
from matchmaker.matching.activity import activity_lift
from matchmaker.matching.baseline import BASELINE, baseline_factors
from matchmaker.matching.interests import company_matrix, sector_interest, stage_interest, ticket_interest
from matchmaker.matching.portfolio import UNKNOWN_STAGE, Deals
from matchmaker.matching.profiles import Profile, norm_name
from matchmaker.matching.sector_labels import canonical_sectors
from matchmaker.matching.ties import Ties

# Which side a block speaks for. The reciprocal score combines the two sides' fits (scoring.py).
# Partner side: is the company what the partner goes for (its thesis: sectors, stages, round sizes, what its
# description says). Company side: can the partner help the company (active where the company wants to grow, a
# language to talk in, actually doing deals). Ties that both already have (the partner is an existing investor,
# or co-invested with one) count for both sides.
BLOCKS = {
    "sector": "partner",
    "stage": "partner",
    "ticket": "partner",
    "text": "partner",
    "market": "company",
    "language": "company",
    "activity": "company",
    "coinvest": "both",
    "follow_on": "both",
}
SIDE_COUNT = {name: 2 if side == "both" else 1 for name, side in BLOCKS.items()}


def known_stages(stages: Sequence[str]) -> tuple[str, ...]:
    return tuple(s for s in stages if s and s != UNKNOWN_STAGE)


@dataclass(frozen=True)
class FeatureParams:
    half_life_years: float = 3.0  # a deal from 3 years before the newest counts half (recency decay)
    prior_deals: float = 5.0  # Dirichlet strength: a partner's interests shrink towards the population's
    declared_deals: float = 3.0  # declared sectors/stages/ticket count like this many recent deals
    sector_related_share: float = 0.3  # share of a deal's sector evidence given to related sectors
    stage_spill: float = 0.25  # share of a deal's evidence given to each neighbouring stage
    ticket_spill: float = 0.5  # same for neighbouring round-size bins (round sizes are noisy)
    coinvest_prior: float = 1.0  # pseudo-count in the co-investment lift (a single shared deal is weak)
    prior_follow_ons: float = 3.0  # pseudo-count of later rounds in a partner's re-investment rate
    text_dims: int = 32  # no longer used (retrieval and re-scoring share one projection); kept for saved models
    text_rescore_dims: int = 64  # dimensions of the projected TF-IDF in large events (cosine noise ~1/sqrt(dims))
    exact_text_budget: float = 3e7  # above this many multiply-adds the exact all-pairs cosine is skipped
    # The baseline's score (baseline.py) in the partner side's log-odds: one unit of log(1 + deals) x cosine is
    # one unit of log-odds, as the activity block reads log-activity.
    baseline_weight: float = 1.0
    as_of: int | None = None  # reference year for recency; default: the newest deal year in the event


class EventFeatures:
    """All feature blocks of one event (companies x partners). Built once, then queried by row blocks."""

    def __init__(self, companies: Sequence[Profile], partners: Sequence[Profile], params: FeatureParams | None = None):
        self.params = params = params or FeatureParams()
        self.companies = list(companies)
        self.partners = list(partners)
        self.shape = (len(self.companies), len(self.partners))
        self._names: dict[str, str] = {}
        self.deals = Deals(self.partners, self.key, params.half_life_years, params.as_of)
        self.ref_year = self.deals.ref_year
        self._build_sectors()
        self._build_stages()
        self._build_tickets()
        self._build_markets()
        self._build_languages()
        self._build_activity()
        self._build_text()
        self.company_baseline, self.partner_baseline = baseline_factors(
            self.company_sectors, self.company_stages, self.portfolio_sector_counts, self.portfolio_stage_counts,
            np.diff(self.deals.offsets))
        self.ties = Ties(self.companies, self.partners, self.deals, self.key,
                         self.deals.follow_on_propensity(params.prior_follow_ons), params.coinvest_prior)
        self.follow_on = self.ties.follow_on
        self.coinvest = self.ties.coinvest

    def key(self, name: str) -> str:
        """norm_name, memoized: the same investor and company names recur across thousands of portfolios."""
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = norm_name(name)
        return found

    # --- categorical interests (interests.py): a partner's declared choices plus its recency-weighted deals ---

    def _build_sectors(self):
        p = self.params
        # Sectors as typed ("핀테크", "fin-tech") mapped onto one code per sector, and "other" stages dropped:
        # what the blocks, the baseline and the reasons all read.
        self.company_sector_weights = [canonical_sectors(c.sectors) for c in self.companies]
        self.partner_sector_weights = [canonical_sectors(q.sectors) for q in self.partners]
        self.company_known_stages = [known_stages(c.stages) for c in self.companies]
        self.partner_known_stages = [known_stages(q.stages) for q in self.partners]
        found = sector_interest(self.company_sector_weights, self.partner_sector_weights, self.deals,
                                declared_deals=p.declared_deals,
                                prior_deals=p.prior_deals, related_share=p.sector_related_share)
        self.sector_vocab, self.sector_index = found.vocab, found.index
        self.company_sectors, self.partner_sector_lift = found.company, found.partner_lift
        self.portfolio_sector_counts = found.portfolio_counts

    def _build_stages(self):
        p = self.params
        found = stage_interest(self.company_known_stages, self.partner_known_stages, self.deals,
                               declared_deals=p.declared_deals,
                               prior_deals=p.prior_deals, spill=p.stage_spill)
        self.stage_vocab, self.stage_index = found.vocab, found.index
        self.company_stages, self.partner_stage_lift = found.company, found.partner_lift
        self.portfolio_stage_counts = found.portfolio_counts
        rounds = interests.round_interest(self.companies, self.deals, prior_deals=p.prior_deals)  # a later round?
        self.stage_factors = (np.hstack([self.company_stages, rounds.company]),
                              np.hstack([self.partner_stage_lift, rounds.partner_lift]))

    def _build_tickets(self):
        p = self.params
        found = ticket_interest(self.companies, self.partners, self.deals, declared_deals=p.declared_deals,
                                prior_deals=p.prior_deals, spill=p.ticket_spill)
        self.company_tickets, self.partner_ticket_lift = found.company, found.partner_lift

    def _build_markets(self):
        vocab = sorted({x for c in self.companies for x in (*c.markets, c.country) if x}
                       | {x for q in self.partners for x in (*q.markets, q.country) if x})
        index = {x: i for i, x in enumerate(vocab)}

        def wanted(c):
            out = dict.fromkeys(c.markets, 1.0)
            # Home market counts half: a partner active in Korea can still back a Korean company at home.
            if c.country and c.country not in out:
                out[c.country] = 0.5 if c.markets else 1.0
            return out

        self.company_markets = company_matrix(self.shape[0], index, (wanted(c) for c in self.companies))
        self.company_wanted_markets = [tuple(wanted(c)) for c in self.companies]
        self.partner_active_markets = [{x for x in (*q.markets, q.country) if x} for q in self.partners]
        pm = np.zeros((self.shape[1], len(vocab)), dtype=np.float32)
        for j, active in enumerate(self.partner_active_markets):
            if active:  # known markets: +1 where active, -1 elsewhere; unknown stays 0
                pm[j, :] = -1.0
                pm[j, [index[x] for x in active]] = 1.0
        self.partner_markets = pm

    def _build_languages(self):
        vocab = sorted({x for c in self.companies for x in c.languages}
                       | {x for q in self.partners for x in q.languages})
        index = {x: i for i, x in enumerate(vocab)}

        def indicator(profiles):
            out = np.zeros((len(profiles), len(vocab)), dtype=np.float32)
            for i, prof in enumerate(profiles):
                out[i, [index[x] for x in prof.languages]] = 1.0
            return out

        self.company_languages = indicator(self.companies)
        self.partner_languages = indicator(self.partners)
        self.company_lang_known = (self.company_languages.sum(axis=1) > 0).astype(np.float32)
        self.partner_lang_known = (self.partner_languages.sum(axis=1) > 0).astype(np.float32)
        # The same as bit sets, to count languages in common for millions of candidate pairs cheaply.
        self._language_bits = None
        if len(vocab) <= 62:
            weights = (1 << np.arange(len(vocab), dtype=np.int64))
            self._language_bits = (self.company_languages.astype(np.int64) @ weights,
                                   self.partner_languages.astype(np.int64) @ weights)

    def language_excess(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The bilinear language factor (dense_factors) minus the exact block, for company rows[r] and partners
        cols[r, c]: the factor adds 2 per language in common, the block says only whether there is one."""
        if self._language_bits is not None:
            company_bits, partner_bits = self._language_bits
            common = np.bitwise_count(company_bits[rows][:, None] & partner_bits[cols])
        else:
            common = np.einsum("bd,bcd->bc", self.company_languages[rows], self.partner_languages[cols])
        return 2.0 * np.maximum(common.astype(np.float32) - 1, 0)

    def _build_activity(self):
        self.partner_activity = activity_lift(self.deals, self.params.prior_deals)  # activity.py

    # --- text ---

    def _build_text(self):
        # A partner's text is its own description and its portfolio companies': what it says it backs and what
        # it did back (a one-line blurb alone says little; the pitches it funded say what it funds).
        described, m = self.deals.description, self.shape[1]
        unique = [dict.fromkeys(t for t in described[self.deals.of(j)] if t) for j in range(m)] if any(described) \
            else [{}] * m
        docs = [c.description for c in self.companies] + [
            " ".join([q.description, *u]) if u else q.description for q, u in zip(self.partners, unique, strict=True)]
        matrix = text.tfidf(docs)
        n, p = self.shape[0], self.params
        # Evidence-weighted like the interests: its portfolio's descriptions, its own as declared_deals of them, shrunk
        # by prior_deals, so two pitches that happen to match a company are no thesis (reasons read it unshrunk).
        evidence = np.array([len(u) + p.declared_deals * bool(q.description)
                             for q, u in zip(self.partners, unique, strict=True)], dtype=np.float64)
        self.partner_text_evidence = (evidence / (evidence + p.prior_deals)).astype(np.float32)
        matrix = sp.csr_matrix(sp.diags(np.concatenate([np.ones(n), self.partner_text_evidence])) @ matrix)
        self.company_text = matrix[:n]
        self.partner_text = matrix[n:]
        cols_c = np.bincount(self.company_text.indices, minlength=matrix.shape[1]) if n else 0
        cols_p = np.bincount(self.partner_text.indices, minlength=matrix.shape[1]) if self.shape[1] else 0
        cost = float(np.dot(cols_c, cols_p)) if n and self.shape[1] else 0.0
        # Exact sparse cosine for every pair when that is cheap (events of a few hundred profiles); otherwise
        # candidates are retrieved with a projected cosine and only they get the exact one.
        self.text_exact = cost <= self.params.exact_text_budget
        # The text block is a lift: the cosine minus the partner's mean cosine with the event's companies, so a
        # blurb that shares generic words with every pitch ("startups", "global") fits none in particular. The mean
        # is shrunk towards 0 by 5 pseudo-companies: in a small event it is mostly the pair's own cosine. A company
        # without a description has no text block at all (no offset either: unknown is neutral).
        self.company_has_text = (np.diff(self.company_text.indptr) > 0).astype(np.float32)
        mean_company = (np.asarray(self.company_text.sum(axis=0)).ravel() / (self.company_has_text.sum() + 5.0)
                        if n else np.zeros(matrix.shape[1]))
        self.partner_text_offset = np.asarray(self.partner_text @ mean_company, dtype=np.float32).ravel()
        self.company_text_dense = self.partner_text_dense = None
        if not self.text_exact:
            # Large events: one random projection for every pair, both to retrieve candidates and to score them
            # (gathering sparse rows for millions of candidate pairs costs more than the matrix product it
            # replaces). The projected cosine is left unclipped: it is an unbiased estimate of the true one.
            dense = text.project(matrix, self.params.text_rescore_dims, seed=2)
            self.company_text_dense, self.partner_text_dense = dense[:n], dense[n:]

    # --- evaluation ---

    def dense_factors(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Bilinear blocks as (company factor, partner factor); the language one is the retrieval proxy."""
        n, m = self.shape
        factors = {
            "sector": (self.company_sectors, self.partner_sector_lift),
            "stage": self.stage_factors,
            "ticket": (self.company_tickets, self.partner_ticket_lift),
            "market": (self.company_markets, self.partner_markets),
            # 2 * common - both_known: +1 with one language in common, -1 with none, 0 when unknown.
            "language": (np.hstack([self.company_languages, self.company_lang_known[:, None]]),
                         np.hstack([2 * self.partner_languages, -self.partner_lang_known[:, None]])),
            "activity": (np.ones((n, 1), dtype=np.float32), self.partner_activity[:, None]),
        }
        if not self.text_exact:
            factors["text"] = (np.hstack([self.company_text_dense, self.company_has_text[:, None]]),
                               np.hstack([self.partner_text_dense, -self.partner_text_offset[:, None]]))
        factors[BASELINE] = (self.company_baseline, self.partner_baseline)  # not a block: scoring weighs it
        return factors

    def pair_blocks(self, ci: np.ndarray, pj: np.ndarray) -> dict[str, np.ndarray]:
        """Exact block values for the pairs (ci[k], pj[k])."""
        return self._blocks(ci, pj, lambda a, b: np.einsum("ij,ij->i", a[ci], b[pj]))

    def baseline_values(self, ci: np.ndarray, pj: np.ndarray) -> np.ndarray:
        """The baseline's score of the pairs (ci[k], pj[k]) (baseline.py)."""
        return np.einsum("ij,ij->i", self.company_baseline[ci], self.partner_baseline[pj])

    def _blocks(self, ci: np.ndarray, pj: np.ndarray, dot, text: np.ndarray | None = None) -> dict[str, np.ndarray]:
        def rowdot(a, b):
            return dot(a, b) if a.shape[1] else np.zeros(len(ci), dtype=np.float32)

        common = rowdot(self.company_languages, self.partner_languages)
        both = (self.company_lang_known[ci] * self.partner_lang_known[pj]) > 0
        if text is not None:
            cosine = text
        elif self.text_exact:
            cosine = _sparse_rowdot(self.company_text, self.partner_text, ci, pj)
        else:
            cosine = rowdot(self.company_text_dense, self.partner_text_dense)
        blocks = {
            "sector": rowdot(self.company_sectors, self.partner_sector_lift),
            "stage": rowdot(*self.stage_factors),
            "ticket": rowdot(self.company_tickets, self.partner_ticket_lift),
            "market": rowdot(self.company_markets, self.partner_markets),
            "language": np.where(common > 0, 1.0, np.where(both, -1.0, 0.0)),
            "activity": self.partner_activity[pj],
            "text": cosine - self.company_has_text[ci] * self.partner_text_offset[pj],
            "coinvest": self.ties.coinvest_table.get(ci, pj),
            "follow_on": self.ties.follow_table.get(ci, pj),
        }
        return {k: np.asarray(v, dtype=np.float32) for k, v in blocks.items()}


def _sparse_rowdot(a: sp.csr_matrix, b: sp.csr_matrix, ci: np.ndarray, pj: np.ndarray) -> np.ndarray:
    if a.nnz == 0 or b.nnz == 0 or len(ci) == 0:
        return np.zeros(len(ci), dtype=np.float32)
    return np.asarray(a[ci].multiply(b[pj]).sum(axis=1)).ravel()
