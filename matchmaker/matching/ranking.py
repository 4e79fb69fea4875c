"""Top-k partners for every company of an event, with the event's constraints, fair exposure and reasons."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from matchmaker.matching import fairness
from matchmaker.matching.explain import Reason, reasons_for, render
from matchmaker.matching.features import EventFeatures, PairTable
from matchmaker.matching.model import Model
from matchmaker.matching.profiles import PARTNER_KINDS, Profile
from matchmaker.matching.scoring import Retriever, retrieve, score_pairs

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
    slack: float = 1.5,
    explain: bool = True,
) -> Ranking:
    """Rank partners for each company.

    Per-event constraints are the caller's: `partner_kinds` restricts partners to some kinds (an investor day,
    a buyer day); `forced` pairs are always in the company's list, on top; `forbidden` pairs never appear.
    With `fair`, a partner appears in at most ceil(top_k * companies / partners * slack) lists.
    """
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

    n, m = len(companies), len(partners)
    features = EventFeatures(companies, partners, model.params)
    k = max(0, min(top_k, m))
    preset: list[list[int]] = [[] for _ in range(n)]
    for i, j in forced_idx:
        if j not in preset[i]:
            preset[i].append(j)
    # Forced pairs are placed by the caller's decision, not retrieved: keep them out of the candidates.
    excluded = PairTable(_pair_matrix(set(forbidden_idx) | set(forced_idx), n, m))
    n_candidates = min(m, 3 * k + 10)
    retriever = Retriever(features, model)
    cands = retrieve(features, model, np.arange(n), n_candidates, excluded=excluded, retriever=retriever)

    # Forced first, best score first among them; at most k (an organizer forcing more than k gets the best k).
    if any(preset):
        f_rows = np.array([i for i, js in enumerate(preset) for _ in js])
        f_cols = np.array([j for js in preset for j in js])
        f_score = score_pairs(features, model, f_rows, f_cols).score
        by_pair = dict(zip(zip(f_rows.tolist(), f_cols.tolist(), strict=True), f_score.tolist(), strict=True))
        preset = [sorted(js, key=lambda j, i=i: -by_pair[i, j])[:k] for i, js in enumerate(preset)]

    plain = [list(preset[i]) + [j for j in cands.index[i] if j >= 0][: k - len(preset[i])] for i in range(n)]
    before = fairness.ExposureStats.of(fairness.exposure(plain, m))
    if fair and n and m:
        cap = fairness.capacity(k, n, m, slack)
        chosen, load = fairness.assign(cands.index, cands.score, k, cap, m, preset)
        short = [i for i in range(n) if len(chosen[i]) < k]
        if short:
            _top_up(features, model, retriever, chosen, load, short, k, cap, forbidden_idx)
    else:
        cap, chosen = None, plain

    rows = np.array([i for i in range(n) for _ in chosen[i]], dtype=np.int64)
    cols = np.array([j for i in range(n) for j in chosen[i]], dtype=np.int64)
    scores = score_pairs(features, model, rows, cols)
    forced_set = set(forced_idx)
    lists: dict[str, list[Suggestion]] = {c.id: [] for c in companies}
    for t, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        is_forced = (i, j) in forced_set
        reasons = ()
        if explain:
            blocks = {name: float(values[t]) for name, values in scores.blocks.items()}
            reasons = tuple(reasons_for(features, model, i, j, blocks, forced=is_forced))
        lists[companies[i].id].append(Suggestion(
            partners[j].id, float(scores.score[t]), float(scores.company_fit[t]), float(scores.partner_fit[t]),
            reasons, is_forced,
        ))
    for suggestions in lists.values():
        # Forced on top, then best first; ties by partner id so that output is deterministic.
        suggestions.sort(key=lambda s: (not s.forced, -s.score, s.partner_id))
    counts = fairness.exposure([np.array(x) for x in chosen], m)
    return Ranking(lists, cap, before, fairness.ExposureStats.of(counts), [p.id for p in partners], counts)


def _top_up(features, model, retriever, chosen, load, short, k, cap, forbidden_idx):
    """Companies left short by the capacity: fill from partners with capacity left, else from anyone.

    Every company gets suggestions; when capacity is truly exhausted the cap gives way, not the company.
    """
    n, m = features.shape
    for allow_over_cap in (False, True):
        short = [i for i in short if len(chosen[i]) < k]
        if not short:
            return
        taken = set(forbidden_idx) | {(i, j) for i in short for j in chosen[i]}
        excluded = PairTable(_pair_matrix(taken, n, m))
        ok = None if allow_over_cap else load < cap
        need = max(k - len(chosen[i]) for i in short)
        cands = retrieve(features, model, np.array(short), need, excluded=excluded, partner_ok=ok,
                         retriever=retriever)
        for r, i in enumerate(short):
            for j in cands.index[r]:
                if j < 0 or len(chosen[i]) >= k or (not allow_over_cap and load[j] >= cap):
                    continue
                chosen[i].append(int(j))
                load[j] += 1


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
