"""TF-IDF over character n-grams of descriptions, so Korean (and mixed Korean/English) works without a tokenizer.

Hangul syllables are single code points, so syllable bigrams carry most of a Korean description's meaning
(인공지능 -> 인공, 공지, 지능); trigrams add English morphology. n-grams are taken inside words only (like
scikit-learn's `char_wb`), so a particle glued to a word still shares the word's n-grams.

The n-grams are extracted and hashed with numpy over the whole corpus at once instead of scikit-learn's
per-character Python analyzer: at 100,000 descriptions that is the difference between about a second and tens
of seconds. The weighting is scikit-learn's (sublinear tf, smoothed idf, L2 rows).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

N_FEATURES = 1 << 20
NGRAMS = (2, 3)
# Anything but letters, digits and the newline that separates documents while they are cleaned together.
_NON_WORD = re.compile(r"[^\w\n]+|_+", re.UNICODE)


def _clean_all(texts: Sequence[str]) -> list[str]:
    """NFKC, case-folded, punctuation to single spaces; done on the whole corpus at once (one regex pass)."""
    joined = "\n".join(t.replace("\n", " ") if t else "" for t in texts)
    cleaned = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", joined).casefold()).split("\n")
    return [f" {t.strip()} " if t.strip() else "" for t in cleaned]


def ngram_counts(texts: Sequence[str], n_features: int = N_FEATURES) -> sp.csr_matrix:
    """Document x hashed-n-gram count matrix."""
    cleaned = _clean_all(texts)
    lengths = np.fromiter((len(t) for t in cleaned), dtype=np.int64, count=len(cleaned))
    corpus = "".join(cleaned)
    if not corpus:
        return sp.csr_matrix((len(texts), n_features), dtype=np.float64)
    codes = np.frombuffer(corpus.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    doc = np.repeat(np.arange(len(cleaned)), lengths)
    space = codes == ord(" ")
    total = None
    for n in NGRAMS:
        if len(codes) < n:
            continue
        count = len(codes) - n + 1
        valid = doc[: count] == doc[n - 1:]  # the n-gram stays inside one document
        for k in range(1, n - 1):
            valid &= ~space[k: k + count]  # and inside one word (spaces only at its ends)
        valid &= ~(space[:count] & space[n - 1:])
        h = np.full(count, n, dtype=np.uint64)
        for k in range(n):
            h = h * np.uint64(0x100000001B3) ^ codes[k: k + count]
        # A final avalanche step so that the low bits used as the column index depend on every character.
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
        rows = doc[:count][valid]
        # Positions come in document order, so the CSR row pointers follow from the counts per document.
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(texts)))])
        cols = (h[valid] % np.uint64(n_features)).astype(np.int32)
        part = sp.csr_matrix((np.ones(len(cols)), cols, indptr), shape=(len(texts), n_features))
        total = part if total is None else total + part  # the sum merges duplicates within each row
    if total is None:
        return sp.csr_matrix((len(texts), n_features), dtype=np.float64)
    total.sum_duplicates()
    return total


def tfidf(texts: Sequence[str]) -> sp.csr_matrix:
    """L2-normalized TF-IDF rows, the weighting of scikit-learn's TfidfTransformer(sublinear_tf=True).

    Sublinear tf: a word repeated in a pitch is not ten times as relevant. The idf, ln((1 + N) / (1 + df)) + 1,
    is fitted on the texts given, i.e. on the event's own companies and partners together.
    """
    counts = ngram_counts(texts)
    if counts.nnz == 0:
        return counts
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + counts.shape[0]) / (1 + df)) + 1
    counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
    return normalize(counts).tocsr()


def project(matrix: sp.csr_matrix, dims: int, seed: int = 0) -> np.ndarray:
    """Signed random projection of TF-IDF rows to `dims` dense dimensions, renormalized.

    Used when the exact sparse cosine of every pair would cost too much (large events): inner products are
    preserved in expectation, with noise of about 1/sqrt(dims) on the cosine.
    """
    rng = np.random.default_rng(seed)
    n_cols = matrix.shape[1]
    used = np.unique(matrix.indices)
    target = rng.integers(0, dims, size=len(used))
    sign = rng.choice(np.array([-1.0, 1.0]), size=len(used))
    projection = sp.csr_matrix((sign, (used, target)), shape=(n_cols, dims))
    dense = (matrix @ projection).toarray().astype(np.float32)
    return normalize(dense).astype(np.float32, copy=False)
