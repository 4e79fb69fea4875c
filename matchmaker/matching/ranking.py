"""Top-k partners for every company of an event, with the event's constraints, fair exposure and reasons."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from matchmaker.matching import fairness
from matchmaker.matching.explain import Reason, explain_pairs, no_gc_pauses, render
from matchmaker.matching.features import EventFeatures
from matchmaker.matching.profiles import PARTNER_KINDS, Profile
from matchmaker.matching.scoring import Retriever, retrieve, score_pairs, stage1_scores
from matchmaker.matching.ties import PairTable
from matchmaker.matching.weights import Model

Pair = tuple[str, str]  # (company id, partner id)


@dataclass(frozen=True)
class Suggestion:
    partner_id: str
    score: float  # reciprocal score in (0, 1)
    company_fit: float  # how well the partner suits the company
    partner_fit: float  # how well the company suits the partner
    reasons: tuple[Reason, ...] = ()
    forced: bool = False

    def reasons_text(self) -> list[str]:
        return [render(r) for r in self.reasons]


@dataclass
class Ranking:
    lists: dict[str, list[Suggestion]]  # company id -> suggestions, best first
    capacity: int | None  # lists a partner may appear in (None: fair exposure off)
    exposure_before: fairness.ExposureStats  # plain top-k
    exposure_after: fairness.ExposureStats
    partner_ids: list[str] = field(default_factory=list)
    exposure: np.ndarray | None = None  # lists per partner, after
    timings: dict[str, float] = field(default_factory=dict)  # seconds: features, ..., rank (total), reasons
    stats: dict[str, int] = field(default_factory=dict)  # how much of the fair assignment needed fallbacks
    floor: int | None = None  # lists each partner is owed when it suits anyone (None: fair exposure off)


class ConstraintError(ValueError):
    pass


def rank(
    companies: Sequence[Profile],
    partners: Sequence[Profile],
    *,
    model: Model | None = None,
    top_k: int = 10,
    partner_kinds: Collection[str] | None = None,
    forced: Iterable[Pair] = (),
    forbidden: Iterable[Pair] = (),
    fair: bool = True,
    slack: float = 3.0,
    explain: bool = True,
) -> Ranking:
    """Rank partners for each company.

    Per-event constraints are the caller's: `partner_kinds` restricts partners to some kinds (an investor day,
    a buyer day); `forced` pairs are always in the company's list, on top; `forbidden` pairs never appear.
    With `fair`, a partner appears in at most ceil(top_k * companies / partners * slack) lists, and one that
    some company has among its candidates in at least a quarter of the equal share (fairness.py).
    """
    # A ranking makes millions of small objects (names, reasons, suggestions) and no reference cycles: the
    # cycle collector's full passes over them all would take longer than the ranking itself.
    with no_gc_pauses():
        return _rank(companies, partners, model=model, top_k=top_k, partner_kinds=partner_kinds, forced=forced,
                     forbidden=forbidden, fair=fair, slack=slack, explain=explain)


def _rank(companies, partners, *, model, top_k, partner_kinds, forced, forbidden, fair, slack, explain) -> Ranking:
    model = model or Model()
    kinds = set(partner_kinds) if partner_kinds is not None else set(PARTNER_KINDS)
    for c in companies:
        if not c.is_company:
            raise ConstraintError(f"{c.id!r} is a {c.kind}, not a company")
    partners = [p for p in partners if p.kind in kinds and p.kind in PARTNER_KINDS]
    c_pos = {c.id: i for i, c in enumerate(companies)}
    p_pos = {p.id: j for j, p in enumerate(partners)}
    forced_idx = _pairs(forced, c_pos, p_pos, "forced")
    forbidden_idx = _pairs(forbidden, c_pos, p_pos, "forbidden", missing_ok=True)
    clash = set(forced_idx) & set(forbidden_idx)
    if clash:
        i, j = next(iter(clash))
        raise ConstraintError(f"pair ({companies[i].id!r}, {partners[j].id!r}) is both forced and forbidden")

    started = time.perf_counter()
    features = EventFeatures(companies, partners, model.params)
    event = _Event(features, model, top_k, forced_idx, forbidden_idx)
    event.timings["features"] = time.perf_counter() - started
    chosen, cap, before = event.lists(fair, slack)
    n, m = features.shape

    t0 = time.perf_counter()
    rows = np.array([i for i in range(n) for _ in chosen[i]], dtype=np.int64)
    cols = np.array([j for i in range(n) for j in chosen[i]], dtype=np.int64)
    scores = score_pairs(features, model, rows, cols)
    is_forced = np.zeros(len(rows), dtype=bool)
    if forced_idx:
        is_forced = PairTable(_pair_matrix(set(forced_idx), n, m)).get(rows, cols) > 0
    event.timings["final scores"] = time.perf_counter() - t0
    event.timings["rank"] = time.perf_counter() - started
    t0 = time.perf_counter()
    reasons = explain_pairs(features, model, rows, cols, scores.blocks, is_forced) if explain else None
    event.timings["reasons"] = time.perf_counter() - t0
    lists = _suggestions(companies, partners, rows, cols, scores, is_forced, reasons)
    event.timings["total"] = time.perf_counter() - started
    counts = fairness.exposure([np.array(x) for x in chosen], m)
    return Ranking(lists, cap, before, fairness.ExposureStats.of(counts), [p.id for p in partners], counts,
                   event.timings, event.stats, event.floor)


def _suggestions(companies, partners, rows, cols, scores, is_forced, reasons) -> dict[str, list[Suggestion]]:
    """Each company's list: forced on top, then best first; ties by partner id, so output is deterministic."""
    order = np.lexsort((-scores.score, ~is_forced, rows))
    rows, cols, forced = rows[order], cols[order], is_forced[order]
    score, company_fit, partner_fit = scores.score[order], scores.company_fit[order], scores.partner_fit[order]
    tied = np.flatnonzero((rows[1:] == rows[:-1]) & (forced[1:] == forced[:-1]) & (score[1:] == score[:-1]))
    lists: dict[str, list[Suggestion]] = {c.id: [] for c in companies}
    ids = [c.id for c in companies]
    partner_ids = [p.id for p in partners]
    for t, i, j, f, s, cf, pf in zip(order.tolist(), rows.tolist(), cols.tolist(), forced.tolist(), score.tolist(),
                                      company_fit.tolist(), partner_fit.tolist(), strict=True):
        lists[ids[i]].append(Suggestion(partner_ids[j], s, cf, pf, tuple(reasons[t]) if reasons is not None else (), f))
    for i in np.unique(rows[tied]).tolist():
        lists[ids[i]].sort(key=lambda s: (not s.forced, -s.score, s.partner_id))
    return lists


class _Event:
    """One ranking run: candidate retrieval, forced pairs, and the fair assignment with its fallbacks."""

    def __init__(self, features: EventFeatures, model: Model, top_k: int, forced_idx, forbidden_idx):
        self.features, self.model = features, model
        n, m = features.shape
        self.k = max(0, min(top_k, m))
        self.n_candidates = min(m, 3 * self.k + 10)
        self.retriever = Retriever(features, model)
        self.forbidden = forbidden_idx
        # Forced pairs are placed by the caller's decision, not retrieved: keep them out of the candidates.
        self.excluded = PairTable(_pair_matrix(set(forbidden_idx) | set(forced_idx), n, m))
        self.preset: list[list[int]] = [[] for _ in range(n)]
        for i, j in forced_idx:
            if j not in self.preset[i]:
                self.preset[i].append(j)
        self.timings: dict[str, float] = {}
        self.stats: dict[str, int] = {}
        self.cands = None
        self.floor: int | None = None  # set when the lists are made fair

    def lists(self, fair: bool, slack: float) -> tuple[list[list[int]], int | None, fairness.ExposureStats]:
        n, m = self.features.shape
        k = self.k
        cap = fairness.capacity(k, n, m, slack) if fair and n and m else None
        t0 = time.perf_counter()
        # Popular partners fill up, and the companies that wanted them need alternatives: found in the same
        # pass, by also ranking on score minus a capacity price estimated on a sample of companies.
        prices = self._prices(slack) if cap is not None else None
        self.cands = retrieve(self.features, self.model, np.arange(n), self.n_candidates, excluded=self.excluded,
                              retriever=self.retriever, prices=prices)
        self.timings["retrieve"] = time.perf_counter() - t0
        preset = self._order_forced()
        top = self.cands.index[:, :k].tolist()
        plain = [list(preset[i]) + [j for j in top[i] if j >= 0][: k - len(preset[i])] for i in range(n)]
        before = fairness.ExposureStats.of(fairness.exposure(plain, m))
        if cap is None:
            return plain, None, before

        t0 = time.perf_counter()
        chosen = [list(js) for js in preset]
        load = fairness.exposure([np.array(js) for js in chosen], m).astype(np.float64)
        fairness.assign(self.cands.index, self.cands.score, np.array([k - len(js) for js in chosen]), cap, load,
                        chosen)
        # Companies left short because their candidates filled up: a new pass over the partners with room.
        # Every company gets suggestions: if capacity truly runs out, the cap gives way, not the company.
        self.stats["short after candidates"] = sum(len(js) < k for js in chosen)
        fairness.fill(chosen, load, k, cap, self._more)
        fairness.fill(chosen, load, k, float(n * max(k, 1)), self._more)
        # Partners nobody ranked high get their floor of lists, from the companies they suit best.
        self.floor = fairness.floor_of(k, n, m)
        self.stats["floor swaps"] = fairness.raise_floor(
            chosen, [len(js) for js in preset], self.cands.index, self.cands.score, load, self.floor, k)
        self.timings["fair"] = time.perf_counter() - t0
        return chosen, cap, before

    def _prices(self, slack: float) -> np.ndarray | None:
        """Capacity prices from a miniature event: up to 1,000 companies and as many partners in proportion."""
        n, m = self.features.shape
        if self.k == 0 or self.k >= m:
            return None
        companies = np.arange(0, n, max(1, -(-n // 1000)))
        n_partners = min(m, max(2 * self.k, round(m * len(companies) / n)))
        partners = np.linspace(0, m - 1, n_partners).round().astype(np.int64)
        scores = stage1_scores(self.retriever, companies, self.excluded)
        finite = np.where(np.isfinite(scores), scores, np.nan)
        popularity = np.nan_to_num(np.nanmean(finite, axis=0), nan=-1e9) if len(companies) else np.zeros(m)
        # Priced a little tighter than the real capacity: the prices only pick extra candidates, and erring
        # towards more spread ones saves the second pass that short companies would otherwise need.
        sub_cap = 0.7 * fairness.capacity(self.k, len(companies), n_partners, slack)
        sampled = fairness.capacity_prices(scores[:, partners], self.k, sub_cap)
        if n_partners == m:
            return sampled.astype(np.float32)
        return fairness.extrapolate_prices(popularity, partners, sampled).astype(np.float32)

    def _order_forced(self) -> list[list[int]]:
        """Forced partners best score first; at most k (an organizer forcing more than k gets the best k)."""
        preset = self.preset
        if any(preset):
            rows = np.array([i for i, js in enumerate(preset) for _ in js])
            cols = np.array([j for js in preset for j in js])
            score = score_pairs(self.features, self.model, rows, cols).score
            by_pair = dict(zip(zip(rows.tolist(), cols.tolist(), strict=True), score.tolist(), strict=True))
            preset = [sorted(js, key=lambda j, i=i: -by_pair[i, j])[: self.k] for i, js in enumerate(preset)]
        return preset

    def _more(self, rows, lists, ok):
        """A new retrieval pass for some companies, leaving out what they have and forbidden pairs."""
        n, m = self.features.shape
        self.stats["rows re-retrieved"] = self.stats.get("rows re-retrieved", 0) + len(rows)
        taken_r = np.concatenate([np.repeat(rows, [len(js) for js in lists]),
                                  np.array([i for i, _ in self.forbidden], dtype=np.int64)])
        taken_c = np.concatenate([np.array([j for js in lists for j in js], dtype=np.int64),
                                  np.array([j for _, j in self.forbidden], dtype=np.int64)])
        taken = PairTable(sp.csr_matrix((np.ones(len(taken_r)), (taken_r, taken_c)), shape=(n, m)))
        found = retrieve(self.features, self.model, rows, self.n_candidates, excluded=taken, partner_ok=ok,
                         retriever=self.retriever)
        return found.index, found.score


def _pairs(pairs: Iterable[Pair], c_pos, p_pos, what: str, *, missing_ok: bool = False) -> list[tuple[int, int]]:
    out = []
    for company_id, partner_id in pairs:
        if company_id not in c_pos or partner_id not in p_pos:
            if missing_ok:
                continue  # forbidding a pair that cannot be suggested anyway is harmless
            raise ConstraintError(f"{what} pair ({company_id!r}, {partner_id!r}) names an unknown or excluded profile")
        out.append((c_pos[company_id], p_pos[partner_id]))
    return out


def _pair_matrix(pairs, n: int, m: int) -> sp.csr_matrix:
    pairs = list(pairs)
    if not pairs:
        return sp.csr_matrix((n, m))
    r, c = zip(*pairs, strict=True)
    return sp.csr_matrix((np.ones(len(pairs)), (r, c)), shape=(n, m))
