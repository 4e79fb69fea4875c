"""Reciprocal scoring and top-k retrieval.

Each side's fit is a probability, the logistic of its blocks' weighted sum plus an intercept: the partner side
(is the company in the partner's thesis) and the company side (can the partner help the company); ties that
both sides have count for both. The pair's score is the geometric mean of the two fits, sqrt(p_company *
p_partner): a pair ranks high only when it suits both. Because each fit saturates at 1, overwhelming evidence on
one side cannot make up for the other: fits (0.99, 0.02) score 0.14, below a balanced (0.3, 0.3).

Evaluating that for every pair of a 50,000 x 50,000 event is too slow, so ranking runs in two stages. Stage 1
retrieves candidates by the sum of both sides' log-odds, which is what the product of the fits is for ordinary
(unsaturated) pairs, and is bilinear: one matrix product per row block, top few times k kept per company,
never a dense companies x partners matrix. Stage 2 computes the exact blocks and the geometric mean for the
candidates only and re-sorts them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matchmaker.matching.features import BLOCKS, SIDE_COUNT, EventFeatures
from matchmaker.matching.model import Model
from matchmaker.matching.ties import PairTable

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


def side_logits(blocks: dict[str, np.ndarray], model: Model) -> tuple[np.ndarray, np.ndarray]:
    logits = {"company": model.intercepts["company"], "partner": model.intercepts["partner"]}
    for name, side in BLOCKS.items():
        value = model.weights[name] * blocks[name].astype(np.float64)
        for s in ("company", "partner") if side == "both" else (side,):
            logits[s] = logits[s] + value
    return logits["company"], logits["partner"]


def reciprocal(company_fit: np.ndarray, partner_fit: np.ndarray) -> np.ndarray:
    return np.sqrt(company_fit * partner_fit)


def score_pairs(features: EventFeatures, model: Model, ci: np.ndarray, pj: np.ndarray) -> PairScores:
    blocks = features.pair_blocks(np.asarray(ci, dtype=np.int64), np.asarray(pj, dtype=np.int64))
    return score_blocks(blocks, model)


def score_blocks(blocks: dict[str, np.ndarray], model: Model) -> PairScores:
    company_logit, partner_logit = side_logits(blocks, model)
    company_fit, partner_fit = sigmoid(company_logit), sigmoid(partner_logit)
    return PairScores(blocks, company_fit, partner_fit, reciprocal(company_fit, partner_fit))


class Retriever:
    """Stage 1: weighted bilinear factors of the event, stacked once, then scored block by block."""

    def __init__(self, features: EventFeatures, model: Model):
        self.features = features
        self.model = model
        # Weight of a block in the sum of both sides' log-odds: twice its weight if it counts for both sides.
        w = {name: model.weights[name] * SIDE_COUNT[name] for name in BLOCKS}
        factors = features.dense_factors()
        self.U = np.ascontiguousarray(np.hstack([w[k] * u for k, (u, _) in factors.items()]), dtype=np.float32)
        self.V = np.ascontiguousarray(np.hstack([v for _, v in factors.values()]), dtype=np.float32)
        bonus = w["follow_on"] * features.follow_on + w["coinvest"] * features.coinvest
        self.bonus = sp.csr_matrix(bonus, dtype=np.float32)
        self.text_weight = w["text"] if features.text_exact else 0.0

    def block_scores(self, rows: np.ndarray) -> tuple[np.ndarray, sp.csr_matrix | None]:
        """Stage-1 scores of the rows against all partners, and (small events) their exact text cosines."""
        scores = self.U[rows] @ self.V.T
        _scatter_add(scores, self.bonus[rows])
        cosine = None
        if self.features.text_exact:
            cosine = (self.features.company_text[rows] @ self.features.partner_text.T).tocsr()
            _scatter_add(scores, cosine * self.text_weight)
        return scores, cosine


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
    """Stage-1 scores of row blocks with excluded pairs and partners set to -inf: (rows, scores, cosines)."""
    m = retriever.features.shape[1]
    block = max(1, _BLOCK_CELLS // max(m, 1))
    for start in range(0, len(rows), block):
        part = rows[start: start + block]
        s, cosine = retriever.block_scores(part)
        if partner_ok is not None:
            s[:, ~partner_ok] = -np.inf
        if excluded is not None and len(excluded.keys):
            lo, hi = np.searchsorted(excluded.keys, [part[0] * excluded.width, (part[-1] + 1) * excluded.width])
            er, ec = np.divmod(excluded.keys[lo:hi], excluded.width)
            local = np.searchsorted(part, er)  # rows are sorted
            ok = (local < len(part)) & (part[np.minimum(local, len(part) - 1)] == er)
            s[local[ok], ec[ok]] = -np.inf
        yield start, part, s, cosine


def stage1_scores(retriever: Retriever, rows: np.ndarray, excluded: PairTable | None = None) -> np.ndarray:
    """Stage-1 scores of some rows against every partner (a dense rows x partners float32 matrix)."""
    out = np.empty((len(rows), retriever.features.shape[1]), dtype=np.float32)
    for start, part, s, _ in _masked_blocks(retriever, np.asarray(rows, dtype=np.int64), excluded, None):
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
    for start, part, s, cosine in _masked_blocks(retriever, rows, excluded, partner_ok):
        top = _top_per_row(s, c)
        valid = np.isfinite(np.take_along_axis(s, top, axis=1))
        if prices is not None:
            s -= prices
            more = _top_per_row(s, c)
            more_valid = np.isfinite(np.take_along_axis(s, more, axis=1))
            # A partner in both lists is kept once.
            more_valid &= ~(more[:, :, None] == np.where(valid, top, -1)[:, None, :]).any(axis=2)
            top, valid = np.hstack([top, more]), np.hstack([valid, more_valid])
        del s
        index[start: start + len(part), : top.shape[1]], score[start: start + len(part), : top.shape[1]] = \
            _rescore(features, model, part, top, valid, cosine)
    return Candidates(index, score)


def _rescore(features, model, part, top, valid, cosine):
    # Small events: the exact cosines of the candidates are already in stage 1's sparse product.
    local = np.repeat(np.arange(len(part)), top.shape[1])
    text = None if cosine is None else PairTable(cosine).get(local, top.ravel())
    exact = score_blocks(features.grid_blocks(part, top, text), model).score
    exact = np.where(valid, exact, -np.inf)
    top = np.where(valid, top, -1)
    order = _sort_rows(exact, top)
    return np.take_along_axis(top, order, axis=1), np.take_along_axis(exact, order, axis=1)


def _sort_rows(score: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Per-row order: best score first, ties by partner index (deterministic output)."""
    order = np.argsort(index, axis=1, kind="stable")
    by_score = np.argsort(-np.take_along_axis(score, order, axis=1), axis=1, kind="stable")
    return np.take_along_axis(order, by_score, axis=1)
