"""Partners' past deals as flat arrays: what they really invest in, how actively, and how recently.

Portfolios are flattened once into one row per deal so that every per-partner statistic is a numpy group-by
instead of a Python loop over 50,000 portfolios.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from matchmaker.matching.profiles import STAGE_ORDER, Profile
from matchmaker.matching.sector_labels import canonical_sector

_STAGE_RANK = {s: i for i, s in enumerate(STAGE_ORDER)}
UNKNOWN_STAGE = "other"


class Deals:
    """All portfolio entries of an event's partners, grouped by partner (offsets[j]:offsets[j + 1])."""

    def __init__(self, partners: Sequence[Profile], key: Callable[[str], str], half_life: float,
                 as_of: int | None = None):
        flat = [(j, d) for j, q in enumerate(partners) for d in q.portfolio]
        self.m = len(partners)
        self.partner = np.fromiter((j for j, _ in flat), dtype=np.int64, count=len(flat))
        self.offsets = np.searchsorted(self.partner, np.arange(self.m + 1))
        self.year = np.array([d.year if d.year is not None else -1 for _, d in flat], dtype=np.int64)
        # Sectors as typed, mapped onto one code per sector (sector_labels); each distinct label looked up once.
        typed = [d.sector for _, d in flat]
        codes = {label: canonical_sector(label) or None for label in set(typed) if label}
        self.sector = [codes.get(label) for label in typed]
        # "other" says no more than an empty stage: both are unknown, and unknown is neutral.
        self.stage = [d.stage if d.stage != UNKNOWN_STAGE else None for _, d in flat]
        self.description = [d.description for _, d in flat]
        self.amount = np.array([d.amount_usd or np.nan for _, d in flat], dtype=np.float64)
        self.company = [key(d.company) if d.company else "" for _, d in flat]
        self.company_name = [d.company for _, d in flat]
        dated = self.year >= 0
        self.ref_year = as_of if as_of is not None else (int(self.year[dated].max()) if dated.any() else None)
        self.half_life = half_life
        # Recency decay: a deal half_life years before the reference year counts half; undated deals count as
        # if half_life old.
        if self.ref_year is None:
            self.weight = np.full(len(flat), 0.5)
        else:
            age = np.maximum(self.ref_year - self.year, 0)
            self.weight = np.where(dated, 0.5 ** (age / half_life), 0.5)
        self.has_portfolio = np.diff(self.offsets) > 0
        self._round_times: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.partner)

    def of(self, j: int) -> slice:
        return slice(int(self.offsets[j]), int(self.offsets[j + 1]))

    def counts(self, labels: Sequence[str | None] | np.ndarray, index: dict | None, *,
               weighted: bool = True) -> np.ndarray:
        """partners x categories: recency-weighted (or plain) number of deals per category.

        `labels` are one per deal: category names looked up in `index`, or (index None) category numbers with
        -1 for none.
        """
        if index is not None:
            width = len(index)
            labels = np.fromiter((index.get(x, -1) if x is not None else -1 for x in labels), dtype=np.int64,
                                 count=len(self))
        else:
            width = int(labels.max()) + 1 if len(labels) else 0
        out = np.zeros((self.m, width))
        rows = np.flatnonzero(labels >= 0)
        np.add.at(out, (self.partner[rows], labels[rows]), self.weight[rows] if weighted else 1.0)
        return out

    def ticket_bins(self, low: float, step: float, bins: int) -> np.ndarray:
        """Each deal's round-size bin (log10 scale), -1 when the amount is unknown."""
        known = ~np.isnan(self.amount)
        out = np.full(len(self), -1, dtype=np.int64)
        position = (np.log10(np.maximum(self.amount[known], 1.0)) - low) / step
        out[known] = np.clip(np.floor(position), 0, bins - 1).astype(np.int64)
        return out

    def activity_rate(self) -> np.ndarray:
        """Recency-weighted deals per year since each partner's first deal (0 without a portfolio).

        Per year since its first deal rather than in total, so that a fund that started last year with seven
        deals counts as active as one doing seven a year for five years: new funds are often the most active.
        """
        total = np.bincount(self.partner, weights=self.weight, minlength=self.m)
        if self.ref_year is None:
            return total
        first = np.full(self.m, self.ref_year, dtype=np.int64)
        dated = self.year >= 0
        np.minimum.at(first, self.partner[dated], self.year[dated])
        first = np.clip(first, self.ref_year - 50, self.ref_year)
        # sum over y = first..ref of r^(ref - y): a geometric series in r = 0.5^(1 / half_life)
        r = 0.5 ** (1 / self.half_life)
        years = self.ref_year - first + 1
        span = (1 - r ** years) / (1 - r)
        return total / span

    def follow_on_propensity(self, prior: float) -> np.ndarray:
        """How readily each partner re-invests, relative to all partners (1.0 = typical).

        Re-investing is a partner trait: a seed fund rarely joins later rounds, a growth fund usually does. For
        each portfolio company that raised again after the partner's first deal in it (any partner's portfolio
        may show that later round), did the partner come back? The rate is smoothed towards the population's,
        so a partner without such history is typical.
        """
        rows, company, when = self._rounds()
        if not len(rows):
            return np.ones(self.m, dtype=np.float32)
        n_companies = int(company.max()) + 1
        partner = self.partner[rows]
        latest_round = np.full(n_companies, -1, dtype=np.int64)
        np.maximum.at(latest_round, company, when)
        pair = partner * n_companies + company
        uniq, inverse = np.unique(pair, return_inverse=True)
        first = np.full(len(uniq), np.iinfo(np.int64).max)
        last = np.full(len(uniq), -1, dtype=np.int64)
        np.minimum.at(first, inverse, when)
        np.maximum.at(last, inverse, when)
        pair_company = uniq % n_companies
        pair_partner = uniq // n_companies
        chance = latest_round[pair_company] > first  # the company raised again after the partner came in
        hit = chance & (last > first)  # and the partner joined a later round
        chances = np.bincount(pair_partner, weights=chance, minlength=self.m)
        hits = np.bincount(pair_partner, weights=hit, minlength=self.m)
        overall = (hits.sum() + 1.0) / (chances.sum() + 2.0)
        rate = (hits + prior * overall) / (chances + prior)
        return (rate / overall).astype(np.float32)

    def _rounds(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The deals that name a company and a year: their rows, a number per company, and the round's time (its
        year, then its stage within the year; unknown stages sort first). Computed once, read by two blocks."""
        if self._round_times is not None:
            return self._round_times
        rows = np.flatnonzero(np.array([bool(c) for c in self.company], dtype=bool) & (self.year >= 0))
        ids: dict[str, int] = {}
        company = np.array([ids.setdefault(self.company[t], len(ids)) for t in rows], dtype=np.int64)
        stage = np.array([_STAGE_RANK.get(self.stage[t], -1) + 1 for t in rows], dtype=np.int64)
        self._round_times = rows, company, self.year[rows] * 10 + stage
        return self._round_times

    def round_kinds(self) -> np.ndarray:
        """Per deal: 0 when it is the company's first round among the partners' deals (the first money the event
        knows of), 1 for a later round, -1 when unknown (no company name or no year)."""
        out = np.full(len(self), -1, dtype=np.int64)
        rows, company, when = self._rounds()
        if len(rows):
            first = np.full(int(company.max()) + 1, np.iinfo(np.int64).max)
            np.minimum.at(first, company, when)
            out[rows] = (when > first[company]).astype(np.int64)
        return out

    def amounts(self, j: int) -> np.ndarray:
        a = self.amount[self.of(j)]
        return a[~np.isnan(a)]


def ticket_bin(amount: float, low: float, step: float, bins: int) -> int:
    position = (math.log10(max(amount, 1.0)) - low) / step
    return int(min(max(math.floor(position), 0), bins - 1))
