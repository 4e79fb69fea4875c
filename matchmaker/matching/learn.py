"""Refit the block weights from outcomes: accepted / declined meeting requests, or ratings made binary.

For ordinary pairs the log of the score's product of fits is the sum of both sides' weighted block values (a
block counting for both sides twice), so a logistic regression of outcomes on the block values estimates the
weights the scorer uses. The intercepts (a side's prior odds) are kept: they depend on an event's acceptance rate,
not on what makes a pair fit. Three guards keep a small or odd training set from doing harm:
  - weights are shrunk towards the defaults by n / (n + prior_outcomes): 50 outcomes move them a little;
  - a negative coefficient is clipped to 0: a block is switched off rather than inverted (we would rather not
    learn from a few declines to prefer, say, partners that share no language with the company);
  - a block that is constant over the training pairs (e.g. no descriptions in past events) keeps its default,
    since the data says nothing about it.

This module knows nothing of the model: `learn_weights` takes the starting weights and returns the refitted
ones with a summary of what they were learned from; `weights.Model.fit` wraps them into a model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from matchmaker.matching.features import BLOCKS, SIDE_COUNT, EventFeatures, FeatureParams
from matchmaker.matching.profiles import Profile

_POSITIVE = {"accepted", "accept", "yes", "true", "met", "positive"}
_NEGATIVE = {"declined", "decline", "no", "false", "rejected", "negative"}


@dataclass(frozen=True)
class TrainingSummary:
    """What the weights were learned from, recorded in the model so that a ranking can be traced to its data."""

    trained_at: str  # ISO date
    n_outcomes: int
    n_positive: int
    n_negative: int
    n_companies: int
    n_partners: int
    n_skipped: int  # outcomes naming a company or partner not among the profiles given
    shrinkage: float  # share of the learned weights kept (the rest stays at the defaults)
    unchanged_blocks: tuple[str, ...]  # blocks constant in the training pairs: no evidence, defaults kept


def label_value(label) -> int:
    """1 for accepted (True, 1, "accepted"), 0 for declined (False, 0, "declined")."""
    if isinstance(label, str):
        word = label.strip().casefold()
        if word in _POSITIVE:
            return 1
        if word in _NEGATIVE:
            return 0
        raise ValueError(f"unknown outcome label {label!r}")
    if isinstance(label, bool | int | float | np.integer | np.floating) and label in (0, 1):
        return int(label)
    raise ValueError(f"outcome labels must be 0/1, True/False or accepted/declined (got {label!r})")


def learn_weights(
    outcomes: Iterable[tuple[str, str, object]],
    companies: Sequence[Profile],
    partners: Sequence[Profile],
    *,
    weights: Mapping[str, float],
    params: FeatureParams,
    prior_outcomes: float = 200.0,
    regularization: float = 1.0,
    today: dt.date | None = None,
) -> tuple[dict[str, float], TrainingSummary]:
    """Block weights refitted on (company_id, partner_id, label) outcomes, shrunk towards `weights` (the
    starting model's), and what they were learned from. `params` are the starting model's feature parameters."""
    c_pos = {c.id: i for i, c in enumerate(companies)}
    p_pos = {p.id: j for j, p in enumerate(partners)}
    rows, cols, labels, skipped = [], [], [], 0
    for company_id, partner_id, label in outcomes:
        if company_id not in c_pos or partner_id not in p_pos:
            skipped += 1
            continue
        rows.append(c_pos[company_id])
        cols.append(p_pos[partner_id])
        labels.append(label_value(label))
    y = np.array(labels, dtype=np.int64)
    if len(set(labels)) < 2:
        raise ValueError("fit needs both accepted and declined outcomes")

    features = EventFeatures(companies, partners, params)
    blocks = features.pair_blocks(np.array(rows), np.array(cols))
    names = list(BLOCKS)
    x = np.column_stack([blocks[name].astype(np.float64) for name in names])
    varying = x.std(axis=0) > 1e-9
    # Ranking happens within a company, but outcomes pool companies that differ: a company with existing
    # investors gets most of its acceptances from them, so for it every other partner - tied or not - is
    # accepted less often than for a newcomer, and a pooled regression reads co-investment ties as bad.
    # Adding each block's mean over the company's outcomes as a covariate (Mundlak's device) leaves the block
    # coefficients to the differences between partners of the same company, which is what the scorer uses.
    company_of = np.unique(np.array(rows), return_inverse=True)[1]
    sums = np.zeros((company_of.max() + 1, x.shape[1]))
    np.add.at(sums, company_of, x)
    means = (sums / np.bincount(company_of)[:, None])[company_of]
    lr = LogisticRegression(C=regularization, max_iter=5000)
    lr.fit(np.hstack([x[:, varying], means[:, varying]]), y)
    learned = dict.fromkeys(names, 0.0)
    within = lr.coef_[0][: int(varying.sum())]
    for name, coef in zip([n for n, v in zip(names, varying, strict=True) if v], within, strict=True):
        learned[name] = max(float(coef), 0.0) / SIDE_COUNT[name]  # a both-sides block is counted twice

    share = len(y) / (len(y) + prior_outcomes)
    refitted = {
        name: (share * learned[name] + (1 - share) * weights[name]) if varying[t] else weights[name]
        for t, name in enumerate(names)
    }
    summary = TrainingSummary(
        trained_at=(today or dt.date.today()).isoformat(),
        n_outcomes=len(y),
        n_positive=int(y.sum()),
        n_negative=int(len(y) - y.sum()),
        n_companies=len(set(rows)),
        n_partners=len(set(cols)),
        n_skipped=skipped,
        shrinkage=round(share, 4),
        unchanged_blocks=tuple(name for t, name in enumerate(names) if not varying[t]),
    )
    return refitted, summary
