"""A partner's interests over the categories of a block (sectors, stages, first or later rounds, round sizes), and
the companies' weights over the same categories: the categorical feature blocks that `features.EventFeatures`
multiplies.

Naive-Bayes reading: a partner's interest in a category is its smoothed share of deals there (recency-weighted
deals plus its declared choices as pseudo-deals) over the population's share, as a log-lift. Smoothing (a
Dirichlet prior towards the population) keeps a partner with three deals from looking like a specialist, and a
kernel lets evidence for one category count partly for related ones (sectors invested in together, neighbouring
stages and round sizes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matchmaker.matching.portfolio import Deals, ticket_bin
from matchmaker.matching.profiles import STAGE_ORDER, Profile

# log10 of USD: bins of half a decade from $10k to $1B+; amounts outside are clamped to the end bins.
TICKET_LOW, TICKET_STEP, N_TICKET_BINS = 4.0, 0.5, 11


@dataclass(frozen=True)
class Interest:
    """One categorical block: its categories, the companies' weights over them (each row sums to 1, or is 0) and
    the partners' log-lifts; the value of a pair is company row . partner row."""

    vocab: list
    index: dict
    company: np.ndarray
    partner_lift: np.ndarray
    portfolio_counts: np.ndarray | None = None  # deals per partner and category, not weighted by recency


def ticket_bins(low: float, high: float) -> range:
    return range(ticket_bin(low, TICKET_LOW, TICKET_STEP, N_TICKET_BINS),
                 ticket_bin(high, TICKET_LOW, TICKET_STEP, N_TICKET_BINS) + 1)


def related_kernel(counts: np.ndarray, share: float) -> np.ndarray:
    """Lets a partner's evidence for one category count partly for related ones.

    Relatedness is learned from the event itself: two sectors are related when the same partners invest in (or
    declare) both, the cosine between their columns. No hand-made taxonomy, so a free vocabulary works.
    `share` of each category's evidence is spread over the others in proportion to relatedness.
    """
    k = counts.shape[1]
    norms = np.linalg.norm(counts, axis=0)
    norms[norms == 0] = 1.0
    related = (counts.T @ counts) / np.outer(norms, norms)
    np.fill_diagonal(related, 0.0)
    sums = related.sum(axis=1, keepdims=True)
    related = np.divide(related, sums, out=np.zeros_like(related), where=sums > 0)
    kernel = (1 - share) * np.eye(k) + share * related
    kernel[sums.ravel() == 0] = np.eye(k)[sums.ravel() == 0]  # a category related to nothing keeps its evidence
    return kernel


def log_lift(counts: np.ndarray, prior: float, spill: np.ndarray | None = None) -> np.ndarray:
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


def spill_kernel(n: int, neighbours: Sequence[tuple[int, int]], spill: float) -> np.ndarray:
    kernel = np.eye(n)
    for a, b in neighbours:
        kernel[a, b] = kernel[b, a] = spill
    return kernel


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    sums = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, sums, out=np.zeros_like(matrix), where=sums > 0)


def add_declared(counts: np.ndarray, index: dict[str, int], choices, mass: float) -> None:
    """Declared sectors / stages count as `mass` recent deals, spread over the choices."""
    for j, chosen in enumerate(choices):
        total = sum(chosen.values())
        for label, weight in chosen.items():
            counts[j, index[label]] += mass * weight / total


def company_matrix(n: int, index: dict, choices) -> np.ndarray:
    """The `n` companies' weights over the categories (their choices, label -> weight), rows normalized."""
    out = np.zeros((n, len(index)), dtype=np.float32)
    for i, chosen in enumerate(choices):
        for label, weight in chosen.items():
            out[i, index[label]] = weight
    return normalize_rows(out)


def sector_interest(companies: Sequence[dict], partners: Sequence[dict], deals: Deals, *,
                    declared_deals: float, prior_deals: float, related_share: float) -> Interest:
    """`companies` and `partners` are their sector weights (code -> weight, labels already mapped)."""
    vocab = sorted({s for c in companies for s in c} | {s for q in partners for s in q}
                   | {s for s in deals.sector if s})
    index = {s: i for i, s in enumerate(vocab)}
    company = company_matrix(len(companies), index, companies)
    counts = deals.counts(deals.sector, index)
    add_declared(counts, index, partners, declared_deals)
    portfolio = deals.counts(deals.sector, index, weighted=False)
    kernel = related_kernel(counts, related_share)
    return Interest(vocab, index, company, log_lift(counts, prior_deals, kernel), portfolio)


def stage_interest(companies: Sequence[tuple], partners: Sequence[tuple], deals: Deals, *,
                   declared_deals: float, prior_deals: float, spill: float) -> Interest:
    """`companies` and `partners` are their known stages (without "other", which is no evidence)."""
    extra = ({s for c in companies for s in c} | {s for q in partners for s in q}
             | {s for s in deals.stage if s}) - set(STAGE_ORDER)
    vocab = list(STAGE_ORDER) + sorted(extra)
    index = {s: i for i, s in enumerate(vocab)}
    company = company_matrix(len(companies), index, (dict.fromkeys(c, 1.0) for c in companies))
    counts = deals.counts(deals.stage, index)
    add_declared(counts, index, (dict.fromkeys(q, 1.0) for q in partners), declared_deals)
    portfolio = deals.counts(deals.stage, index, weighted=False)
    kernel = spill_kernel(len(vocab), [(i, i + 1) for i in range(len(STAGE_ORDER) - 1)], spill)
    return Interest(vocab, index, company, log_lift(counts, prior_deals, kernel), portfolio)


def round_interest(companies: Sequence[Profile], deals: Deals, *, prior_deals: float) -> Interest:
    """The round's place in the company's life: its first round, or a later one. Some firms mostly write the first
    cheque into companies nobody has backed yet, others mostly join companies that already have investors; a
    partner's deals say which (portfolio.Deals.round_kinds), smoothed towards the population like its stages.

    A company naming existing investors is raising a later round. One naming none may be raising its first, or may
    just not have listed them: unknown, so neutral (an empty row), like an unknown stage."""
    vocab = ["first", "later"]
    index = {k: i for i, k in enumerate(vocab)}
    company = company_matrix(len(companies), index, ({"later": 1.0} if c.existing_investors else {} for c in companies))
    counts = np.zeros((len(deals.offsets) - 1, len(vocab)))
    kinds = deals.round_kinds()
    if (kinds >= 0).any():
        found = deals.counts(kinds, None)
        counts[:, : found.shape[1]] = found
    return Interest(vocab, index, company, log_lift(counts, prior_deals))


def ticket_interest(companies: Sequence[Profile], partners: Sequence[Profile], deals: Deals, *,
                    declared_deals: float, prior_deals: float, spill: float) -> Interest:
    def bins_of(profiles):
        for prof in profiles:
            yield ({b: 1.0 for b in ticket_bins(*prof.ticket_usd)} if prof.ticket_usd else {})

    index = {b: b for b in range(N_TICKET_BINS)}
    company = company_matrix(len(companies), index, bins_of(companies))
    labels = deals.ticket_bins(TICKET_LOW, TICKET_STEP, N_TICKET_BINS)
    counts = np.zeros((len(partners), N_TICKET_BINS))
    if len(labels):
        found = deals.counts(labels, None)
        counts[:, : found.shape[1]] = found
    add_declared(counts, index, bins_of(partners), declared_deals)
    kernel = spill_kernel(N_TICKET_BINS, [(i, i + 1) for i in range(N_TICKET_BINS - 1)], spill)
    return Interest(list(range(N_TICKET_BINS)), index, company, log_lift(counts, prior_deals, kernel))
