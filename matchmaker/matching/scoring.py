"""Reciprocal scoring and top-k retrieval.

Each side's fit is a probability, the logistic of its blocks' weighted sum plus an intercept: the partner side
(is the company in the partner's thesis) and the company side (can the partner help the company); ties that
both sides have count for both. The pair's score is the geometric mean of the two fits, sqrt(p_company *
p_partner): a pair ranks high only when it suits both. Because each fit saturates at 1, overwhelming evidence on
one side cannot make up for the other: fits (0.99, 0.02) score 0.14, below a balanced (0.3, 0.3).

Evaluating that for every pair of a 50,000 x 50,000 event is too slow, so ranking runs in two stages. Stage 1
retrieves candidates by the sum of both sides' log-odds, which is what the product of the fits is for ordinary
(unsaturated) pairs, and is bilinear: one matrix product per side and row block, top few times k kept per
company, never a dense companies x partners matrix. Stage 2 turns the candidates' two sides' log-odds, kept
from stage 1, into the exact geometric mean and re-sorts them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matchmaker.matching.baseline import BASELINE
from matchmaker.matching.features import BLOCKS, EventFeatures
from matchmaker.matching.ties import PairTable
from matchmaker.matching.weights import Model

# Rows per block, chosen so that one block of float32 scores is about 64 MB whatever the number of partners.
_BLOCK_CELLS = 1 << 24


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))  # tanh form: no overflow warnings


@dataclass
class PairScores:
    blocks: dict[str, np.ndarray]  # raw block values per pair
    company_fit: np.ndarray  # in (0, 1)
    partner_fit: np.ndarray
    score: np.ndarray  # geometric mean of the two fits


def side_logits(blocks: dict[str, np.ndarray], model: Model, baseline: np.ndarray | float = 0.0
                ) -> tuple[np.ndarray, np.ndarray]:
    """Each side's log-odds; `baseline` is the pairs' baseline score (baseline.py), on the partner side."""
    logits = {"company": model.intercepts["company"],
              "partner": model.intercepts["partner"] + model.params.baseline_weight * np.asarray(baseline, np.float64)}
    for name, side in BLOCKS.items():
        value = model.weights[name] * blocks[name].astype(np.float64)
        for s in ("company", "partner") if side == "both" else (side,):
            logits[s] = logits[s] + value
    return logits["company"], logits["partner"]


def reciprocal(company_fit: np.ndarray, partner_fit: np.ndarray) -> np.ndarray:
    return np.sqrt(company_fit * partner_fit)


def score_pairs(features: EventFeatures, model: Model, ci: np.ndarray, pj: np.ndarray) -> PairScores:
    ci, pj = np.asarray(ci, dtype=np.int64), np.asarray(pj, dtype=np.int64)
    return score_blocks(features.pair_blocks(ci, pj), model, features.baseline_values(ci, pj))


def score_blocks(blocks: dict[str, np.ndarray], model: Model, baseline: np.ndarray | float = 0.0) -> PairScores:
    company_logit, partner_logit = side_logits(blocks, model, baseline)
    company_fit, partner_fit = sigmoid(company_logit), sigmoid(partner_logit)
    return PairScores(blocks, company_fit, partner_fit, reciprocal(company_fit, partner_fit))


class Retriever:
    """Stage 1: the weighted bilinear factors of both sides, stacked once, then scored block by block.

    Stage 2 needs each side's log-odds apart. The company side is the narrow one (markets, languages,
    activity: some twenty dimensions), so it is recomputed for the candidates only, and the partner side is the
    stage-1 sum minus it; only the language block needs a correction, since its bilinear factor counts each
    language in common. Every other block is exactly bilinear or sparse.
    """

    def __init__(self, features: EventFeatures, model: Model):
        self.features = features
        self.model = model
        w = {**model.weights, BASELINE: model.params.baseline_weight}
        factors = features.dense_factors()
        self.U = np.ascontiguousarray(np.hstack([w[name] * u for name, (u, _) in factors.items()]), dtype=np.float32)
        self.V = np.ascontiguousarray(np.hstack([v for _, v in factors.values()]), dtype=np.float32)
        company = [name for name in factors if BLOCKS.get(name) == "company"]
        self.Uc = np.ascontiguousarray(np.hstack([w[name] * factors[name][0] for name in company]), dtype=np.float32)
        self.Vc = np.ascontiguousarray(np.hstack([factors[name][1] for name in company]), dtype=np.float32)
        # Ties count for both sides: once in each side's log-odds, twice in the sum.
        bonus = w["follow_on"] * features.follow_on + w["coinvest"] * features.coinvest
        self.bonus = sp.csr_matrix(bonus, dtype=np.float32)
        self.text_weight = w["text"] if features.text_exact else 0.0
        self.language_weight = w["language"]
        m = features.shape[1]
        self.block_rows = max(1, _BLOCK_CELLS // max(m, 1))
        self._buffer: np.ndarray | None = None

    def buffer(self, rows: int) -> np.ndarray:
        """A rows x partners float32 work area reused block after block: a freshly allocated one would cost
        page faults on every block, more than the matrix product written there."""
        if self._buffer is None:
            self._buffer = np.empty((self.block_rows, self.features.shape[1]), dtype=np.float32)
        return self._buffer[:rows]

    def block_scores(self, rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """The sum of both sides' log-odds (without intercepts) of the rows against all partners, written into
        `out` (rows x partners float32) if given."""
        scores = np.matmul(self.U[rows], self.V.T, out=out)
        bonus = self.bonus[rows]
        _scatter_add(scores, bonus * 2)
        if self.features.text_exact:
            cosine = (self.features.company_text[rows] @ self.features.partner_text.T).tocsr()
            _scatter_add(scores, cosine * self.text_weight)
            described = np.flatnonzero(self.features.company_has_text[rows])  # the text block is a lift
            scores[described] -= self.text_weight * self.features.partner_text_offset
        return scores

    def sides(self, rows: np.ndarray, cols: np.ndarray, total: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Exact company-side and partner-side log-odds of company rows[r] with partners cols[r, c], given their
        stage-1 sums `total` (shaped like cols)."""
        company = np.einsum("bd,bcd->bc", self.Uc[rows], self.Vc[cols]).astype(np.float64)
        local = np.repeat(np.arange(len(rows)), cols.shape[1])
        company += PairTable(self.bonus[rows]).get(local, cols.ravel()).reshape(cols.shape)
        partner = total - company
        company -= self.language_weight * self.features.language_excess(rows, cols)
        return company, partner


def _scatter_add(dense: np.ndarray, sparse: sp.csr_matrix) -> None:
    sparse = sparse.tocsr()
    if sparse.nnz:
        rows = np.repeat(np.arange(sparse.shape[0]), np.diff(sparse.indptr))
        dense[rows, sparse.indices] += sparse.data.astype(dense.dtype, copy=False)


def _top_per_row(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best columns per row (unordered), without a full argpartition of every row.

    A threshold from a strided sample of each row keeps a few times k columns; only rows where the sample
    misjudged (too few survivors, e.g. many -inf) fall back to argpartition. Selecting on survivors is several
    times faster than argpartition over 50,000 columns.
    """
    n, m = scores.shape
    if k >= m:
        return np.tile(np.arange(m), (n, 1))
    step = max(1, m // 512)
    sample = scores[:, ::step]
    want = min(sample.shape[1], -(-2 * k // step) + 2)  # expect about 2k survivors
    if step == 1 or want >= sample.shape[1]:
        return np.argpartition(-scores, k - 1, axis=1)[:, :k]
    threshold = np.partition(sample, sample.shape[1] - want, axis=1)[:, sample.shape[1] - want]
    flat = np.flatnonzero(scores >= threshold[:, None])
    row, col = np.divmod(flat, m)
    counts = np.bincount(row, minlength=n)
    out = np.empty((n, k), dtype=np.int64)
    good = (counts >= k) & (counts <= 16 * k)
    if good.any():
        # Survivors of each row packed left into a narrow matrix, then an argpartition of that.
        keep = good[row]
        row, col, value = row[keep], col[keep], scores.ravel()[flat[keep]]
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        starts_kept = starts - np.concatenate([[0], np.cumsum(np.where(good, 0, counts))[:-1]])
        pos = np.arange(len(row)) - starts_kept[row]
        width = int(counts[good].max())
        packed = np.full((n, width), -np.inf, dtype=scores.dtype)
        packed_col = np.zeros((n, width), dtype=np.int64)
        packed[row, pos] = value
        packed_col[row, pos] = col
        g = np.flatnonzero(good)
        best = np.argpartition(-packed[g], k - 1, axis=1)[:, :k]
        out[g] = np.take_along_axis(packed_col[g], best, axis=1)
    bad = np.flatnonzero(~good)
    if len(bad):
        out[bad] = np.argpartition(-scores[bad], k - 1, axis=1)[:, :k]
    return out


@dataclass
class Candidates:
    """Per company row: candidate partner indices and exact scores, best first (-1 / -inf pad)."""

    index: np.ndarray  # rows x C, int64
    score: np.ndarray  # rows x C, float64


def _masked_blocks(retriever: Retriever, rows: np.ndarray, excluded: PairTable | None,
                   partner_ok: np.ndarray | None):
    """Stage-1 scores of row blocks, excluded pairs and partners at -inf: (start, rows, scores).

    The array yielded is overwritten by the next block: use it before asking for that."""
    block = retriever.block_rows
    for start in range(0, len(rows), block):
        part = rows[start: start + block]
        s = retriever.block_scores(part, retriever.buffer(len(part)))
        if partner_ok is not None:
            s[:, ~partner_ok] = -np.inf
        if excluded is not None and len(excluded.keys):
            lo, hi = np.searchsorted(excluded.keys, [part[0] * excluded.width, (part[-1] + 1) * excluded.width])
            er, ec = np.divmod(excluded.keys[lo:hi], excluded.width)
            local = np.searchsorted(part, er)  # rows are sorted
            ok = (local < len(part)) & (part[np.minimum(local, len(part) - 1)] == er)
            s[local[ok], ec[ok]] = -np.inf
        yield start, part, s


def stage1_scores(retriever: Retriever, rows: np.ndarray, excluded: PairTable | None = None) -> np.ndarray:
    """Stage-1 scores of some rows against every partner (a dense rows x partners float32 matrix)."""
    out = np.empty((len(rows), retriever.features.shape[1]), dtype=np.float32)
    for start, part, s in _masked_blocks(retriever, np.asarray(rows, dtype=np.int64), excluded, None):
        out[start: start + len(part)] = s
    return out


def retrieve(
    features: EventFeatures,
    model: Model,
    rows: np.ndarray,
    n_candidates: int,
    *,
    excluded: PairTable | None = None,
    partner_ok: np.ndarray | None = None,
    retriever: Retriever | None = None,
    prices: np.ndarray | None = None,
) -> Candidates:
    """Top `n_candidates` partners for each company in `rows` (sorted), re-scored exactly and sorted best first.

    `excluded` pairs (forbidden, already chosen) and partners with `partner_ok` False are never returned.
    With `prices` (per partner, fairness.capacity_prices), each row also gets its top `n_candidates` by
    stage-1 score minus price: alternatives to the partners that fill up, found in the same pass over all
    pairs. Up to 2 * n_candidates candidates per row then.
    """
    n, m = features.shape
    rows = np.asarray(rows, dtype=np.int64)
    c = min(n_candidates, m)
    width = n_candidates * (2 if prices is not None else 1)
    index = np.full((len(rows), width), -1, dtype=np.int64)
    score = np.full((len(rows), width), -np.inf)
    if c == 0 or len(rows) == 0:
        return Candidates(index, score)
    retriever = retriever or Retriever(features, model)
    for start, part, s in _masked_blocks(retriever, rows, excluded, partner_ok):
        top = _top_per_row(s, c)
        total = np.take_along_axis(s, top, axis=1)
        valid = np.isfinite(total)
        if prices is not None:
            s -= prices
            more = _top_per_row(s, c)
            more_total = np.take_along_axis(s, more, axis=1)
            more_valid = np.isfinite(more_total)
            # A partner in both lists is kept once.
            more_valid &= ~(more[:, :, None] == np.where(valid, top, -1)[:, None, :]).any(axis=2)
            top, valid = np.hstack([top, more]), np.hstack([valid, more_valid])
            total = np.hstack([total, more_total + prices[more]])
        del s
        index[start: start + len(part), : top.shape[1]], score[start: start + len(part), : top.shape[1]] = \
            _rescore(retriever, part, top, valid, total)
    return Candidates(index, score)


def _rescore(retriever: Retriever, part, top, valid, total):
    """Exact scores of the candidates: the geometric mean of both sides' fits, from their log-odds."""
    top = np.where(valid, top, 0)
    company, partner = retriever.sides(part, top, np.where(valid, total, 0.0).astype(np.float64))
    intercepts = retriever.model.intercepts
    exact = reciprocal(sigmoid(company + intercepts["company"]), sigmoid(partner + intercepts["partner"]))
    exact = np.where(valid, exact, -np.inf)
    top = np.where(valid, top, -1)
    order = _sort_rows(exact, top)
    return np.take_along_axis(top, order, axis=1), np.take_along_axis(exact, order, axis=1)


def _sort_rows(score: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Per-row order: best score first, ties by partner index (deterministic output)."""
    order = np.argsort(index, axis=1, kind="stable")
    by_score = np.argsort(-np.take_along_axis(score, order, axis=1), axis=1, kind="stable")
    return np.take_along_axis(order, by_score, axis=1)
