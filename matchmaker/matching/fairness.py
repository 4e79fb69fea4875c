"""Fair exposure: no partner in everybody's list while others appear in nobody's.

Each partner gets a capacity, ceil(k * companies / partners * slack): with slack 1 the lists would use every
partner exactly equally, so slack > 1 leaves room for real popularity. The default, 3, lets a partner into at
most three times its equal share of lists: deal flow is heavy-tailed (the most active venture firms take part in
several times the average number of rounds), and a tighter cap pushes the partners that companies really end up
with out of their lists; bench/recommend_eval.py prints what the cap costs in accuracy and buys in spread.

The lists are then filled greedily in rounds, in the spirit of deferred acceptance: in each round every company
that still needs partners proposes its best remaining candidate with room, and a partner short of room keeps the
proposals with the highest scores. Rounds give every company its first choices before anyone gets a fifth,
which a single pass in global score order would not.

A cap alone keeps the favourites from flooding the lists but does not bring in the partners that nobody ranks
high: each partner is also owed a floor, a few lists (a quarter of the equal share). A partner below it takes
the last place of the companies it suits best among those that have it as a candidate, one place per company
and only from a partner above the floor, so the cost is at most each company's k-th suggestion.

When a few partners are everybody's favourites, most companies end up with partners well down their plain
ranking, so the candidates must reach that far. Capacity prices (the dual prices of the capacity constraints,
estimated on a miniature event) say how far: candidates are retrieved both by score and by score minus price.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.isotonic import IsotonicRegression


@dataclass(frozen=True)
class ExposureStats:
    gini: float  # 0: every partner in equally many lists; -> 1: a few partners in all of them
    zero_share: float  # share of partners in no list at all
    max_lists: int  # the most lists one partner appears in
    mean_lists: float

    @classmethod
    def of(cls, counts: np.ndarray) -> ExposureStats:
        counts = np.asarray(counts, dtype=np.float64)
        if len(counts) == 0:
            return cls(0.0, 0.0, 0, 0.0)
        return cls(gini(counts), float(np.mean(counts == 0)), int(counts.max()), float(counts.mean()))


def gini(values: np.ndarray) -> float:
    values = np.sort(np.asarray(values, dtype=np.float64))
    total = values.sum()
    if len(values) == 0 or total <= 0:
        return 0.0
    n = len(values)
    ranks = np.arange(1, n + 1)
    return float((2 * ranks - n - 1) @ values / (n * total))


def capacity(k: int, n_companies: int, n_partners: int, slack: float) -> int:
    if n_partners == 0:
        return 0
    return max(1, math.ceil(k * n_companies / n_partners * slack))


def exposure(lists: list[np.ndarray], n_partners: int) -> np.ndarray:
    flat = np.concatenate([np.asarray(x, dtype=np.int64) for x in lists]) if lists else np.zeros(0, np.int64)
    return np.bincount(flat[flat >= 0], minlength=n_partners)


def taken(cand_index: np.ndarray, chosen: list[list[int]], n_partners: int) -> np.ndarray:
    """cand_index[r, c] in chosen[r], vectorized (a membership test per row would be a Python loop)."""
    keys = np.sort(np.array([r * n_partners + j for r, js in enumerate(chosen) for j in js], dtype=np.int64))
    if not len(keys):
        return np.zeros(cand_index.shape, dtype=bool)
    wanted = np.arange(len(cand_index))[:, None] * n_partners + np.maximum(cand_index, 0)
    pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return (keys[pos] == wanted) & (cand_index >= 0)


def assign(
    cand_index: np.ndarray,
    cand_score: np.ndarray,
    need: np.ndarray,
    cap: float,
    load: np.ndarray,
    chosen: list[list[int]],
) -> int:
    """Extend each company's list from its candidates (rows sorted best first, -1 padded), within capacity.

    `need[r]` is how many more partners row r wants, `chosen[r]` its list so far (extended in place, and never
    given a partner twice), `load` the partners' current number of lists (updated in place).
    Returns the number of pairs added. A company whose candidates all ran out of capacity stays short; the
    caller retrieves more candidates for it.
    """
    n, c = cand_index.shape
    used = taken(cand_index, chosen, len(load))
    need = np.asarray(need, dtype=np.int64).copy()
    ptr = np.zeros(n, dtype=np.int64)
    active = np.flatnonzero(need > 0)
    added = 0
    while len(active):
        # Advance each active company past candidates that are padding, already taken, or full.
        while True:
            ok = ptr[active] < c
            a, p = active[ok], ptr[active[ok]]
            cand = cand_index[a, p]
            skip = (cand < 0) | used[a, p] | (load[np.maximum(cand, 0)] >= cap)
            if not skip.any():
                break
            ptr[a[skip]] += 1
        active = active[ptr[active] < c]  # the rest ran out of candidates
        if not len(active):
            break
        p = ptr[active]
        cand = cand_index[active, p]
        score = cand_score[active, p]
        # Per partner, proposals best first; accept as many as the partner's spare capacity.
        order = np.lexsort((-score, cand))
        cand_sorted = cand[order]
        first = np.r_[True, cand_sorted[1:] != cand_sorted[:-1]]
        group_start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
        accept = np.zeros(len(active), dtype=bool)
        accept[order] = (np.arange(len(order)) - group_start) < (cap - load[cand_sorted])
        acc_rows, acc_cand = active[accept], cand[accept]
        np.add.at(load, acc_cand, 1)
        for r, j in zip(acc_rows.tolist(), acc_cand.tolist(), strict=True):
            chosen[r].append(j)
        used[acc_rows, p[accept]] = True
        ptr[acc_rows] += 1
        need[acc_rows] -= 1
        added += len(acc_rows)
        active = active[need[active] > 0]
    return added


# More candidates for some companies: (rows, their current lists, allowed partners) -> (index, score) arrays.
MoreCandidates = Callable[[np.ndarray, list[list[int]], np.ndarray], tuple[np.ndarray, np.ndarray]]


def fill(chosen: list[list[int]], load: np.ndarray, k: int, cap: float, more: MoreCandidates) -> None:
    """Fetch more candidates for the companies still short, among partners with room, while that helps."""
    while True:
        short = np.array([r for r in range(len(chosen)) if len(chosen[r]) < k], dtype=np.int64)
        ok = load < cap
        if not len(short) or not ok.any():
            return
        sub = [chosen[r] for r in short]
        index, score = more(short, sub, ok)
        need = np.array([k - len(js) for js in sub])
        if assign(index, score, need, cap, load, sub) == 0:
            return



def floor_of(k: int, n_companies: int, n_partners: int) -> int:
    """Lists each partner is owed: a quarter of the equal share, at least one (0 without partners or lists)."""
    if n_partners == 0 or k == 0 or n_companies == 0:
        return 0
    return max(1, math.floor(k * n_companies / n_partners / 4))


def raise_floor(chosen: list[list[int]], locked: list[int], cand_index: np.ndarray, cand_score: np.ndarray,
                load: np.ndarray, floor: int, k: int) -> int:
    """Bring partners with fewer than `floor` lists up to it (as far as their candidacies allow).

    A partner short of its floor replaces the last suggestion of the companies that have it among their
    candidates, best-suited company first. A company gives up at most one place this way, never one of its
    first `locked[r]` (forced) entries, and only a partner that stays at or above the floor itself; lists are
    best first. `chosen` and `load` are updated in place; returns the number of replacements.
    """
    short = np.flatnonzero(load < floor)
    if not len(short) or not len(chosen):
        return 0
    in_list = taken(cand_index, chosen, len(load))
    is_short = np.zeros(len(load), dtype=bool)
    is_short[short] = True
    mask = (cand_index >= 0) & ~in_list & is_short[np.maximum(cand_index, 0)] & np.isfinite(cand_score)
    rows, cols = np.nonzero(mask)
    if not len(rows):
        return 0
    # Underexposed partners, least exposed first; for each, its companies best-suited first.
    partner = cand_index[rows, cols]
    order = np.lexsort((rows, -cand_score[rows, cols], partner, load[partner]))
    partner, rows = partner[order], rows[order]
    starts = np.flatnonzero(np.r_[True, partner[1:] != partner[:-1]])
    ends = np.r_[starts[1:], len(partner)]
    given = np.zeros(len(chosen), dtype=bool)
    done = 0
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        j = int(partner[a])
        for r in rows[a:b].tolist():
            if load[j] >= floor:
                break
            if given[r] or len(chosen[r]) < k or len(chosen[r]) <= locked[r]:
                continue
            last = chosen[r][-1]
            if load[last] <= floor:
                continue
            chosen[r][-1] = j
            load[last] -= 1
            load[j] += 1
            given[r] = True
            done += 1
    return done


def capacity_prices(scores: np.ndarray, k: int, cap: float, rounds: int = 20) -> np.ndarray:
    """Per-partner prices (log-odds) that spread companies' top-k over partners within capacity.

    `scores` are companies x partners (a miniature event: a sample of each). These are the dual prices of the
    capacity constraints, found by subgradient steps: a partner picked by more companies than its capacity gets
    dearer, one picked by fewer gets cheaper (never below 0). Ranking by score minus price then shows each
    company the partners it would likely end up with under the caps: the candidates that the
    capacity-constrained assignment needs beyond the plain top-k.
    """
    s, m = scores.shape
    prices = np.zeros(m)
    if s == 0 or k == 0 or k >= m:
        return prices
    finite = np.isfinite(scores)
    step = 0.5 * float(np.std(scores[finite])) if finite.any() else 1.0
    for _ in range(rounds):
        picks = np.argpartition(-(scores - prices), k - 1, axis=1)[:, :k]
        demand = np.bincount(picks.ravel(), minlength=m)
        prices = np.maximum(prices + step * (demand - cap) / cap, 0.0)
        step *= 0.85
    return prices


def extrapolate_prices(popularity: np.ndarray, sampled: np.ndarray, sampled_prices: np.ndarray) -> np.ndarray:
    """Prices for all partners from those of a sample, as a monotone function of popularity.

    A partner is dear because many companies rank it high, which its mean score over companies measures; an
    isotonic fit of price on that mean carries the sample's prices over to every partner.
    """
    if len(sampled) < 2 or not np.any(sampled_prices > 0):
        return np.zeros(len(popularity))
    fit = IsotonicRegression(increasing=True, out_of_bounds="clip").fit(popularity[sampled], sampled_prices)
    return np.maximum(fit.predict(popularity), 0.0)
