"""Fair exposure: no partner in everybody's list while others appear in nobody's.

Each partner gets a capacity, ceil(k * companies / partners * slack): with slack 1 the lists would use every
partner exactly equally, so slack > 1 leaves room for real popularity. The lists are then filled greedily in
rounds, in the spirit of deferred acceptance: in each round every company that still needs partners proposes
its best remaining candidate with spare capacity, and a partner short of capacity keeps the proposals with the
highest scores. Rounds give every company its first choices before anyone gets a fifth, which a single pass in
global score order would not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


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


def assign(
    cand_index: np.ndarray,
    cand_score: np.ndarray,
    k: int,
    cap: int,
    n_partners: int,
    preset: list[list[int]] | None = None,
) -> tuple[list[list[int]], np.ndarray]:
    """Capacity-constrained lists from per-company candidates (rows sorted best first, -1 padded).

    `preset` partners (forced pairs) are placed first and count towards capacity, even beyond it.
    Returns the lists and the partners' loads. A company whose candidates all ran out of capacity gets a short
    list here; the caller tops it up from the partners with capacity left.
    """
    n, c = cand_index.shape
    load = np.zeros(n_partners, dtype=np.int64)
    chosen: list[list[int]] = [list(p) for p in preset] if preset else [[] for _ in range(n)]
    used = np.zeros((n, c), dtype=bool)
    for i, partners in enumerate(chosen):
        load[partners] += 1
        if partners:
            used[i] |= np.isin(cand_index[i], partners)
    count = np.array([len(x) for x in chosen], dtype=np.int64)
    ptr = np.zeros(n, dtype=np.int64)
    active = np.flatnonzero(count < k)
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
        rank_in_group = np.arange(len(order)) - group_start
        accept = np.zeros(len(active), dtype=bool)
        accept[order] = rank_in_group < (cap - load[cand_sorted])
        acc_rows, acc_cand = active[accept], cand[accept]
        np.add.at(load, acc_cand, 1)
        for i, j in zip(acc_rows.tolist(), acc_cand.tolist(), strict=True):
            chosen[i].append(j)
        used[acc_rows, p[accept]] = True
        ptr[acc_rows] += 1
        count[acc_rows] += 1
        active = active[count[active] < k]
    return chosen, load
