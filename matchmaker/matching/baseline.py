"""The baseline inside the model: the cosine between a company's sectors and stage and a partner's deals over the
same categories, times the log of the partner's number of deals (bench/recommend_eval.py's baseline).

It is bilinear, company factor . partner factor, so the scorer adds it to the partner side's log-odds with one more
matrix product (scoring.py), at `FeatureParams.baseline_weight`. The model's other blocks are then corrections
around the baseline's ranking: each of them is smoothed towards "no evidence" (0) when it knows little about a
pair (interests.py's Dirichlet prior, an unknown stage or description counted as nothing), so where the data is
thin the model's order falls back on the baseline's instead of on noise.

Nothing here imports Flask.
"""

from __future__ import annotations

import numpy as np

BASELINE = "baseline"


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def baseline_factors(company_sectors: np.ndarray, company_stages: np.ndarray, partner_sector_counts: np.ndarray,
                     partner_stage_counts: np.ndarray, partner_deals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(company factor, partner factor) over the sector and stage categories.

    Company: 1 per sector and stage it has, scaled to unit length. Partner: its number of deals per sector and
    per stage, scaled to unit length, times log(1 + deals). A company or partner with nothing known gets 0.
    """
    company = np.hstack([company_sectors > 0, company_stages > 0]).astype(np.float32)
    partner = np.hstack([partner_sector_counts, partner_stage_counts]).astype(np.float32)
    activity = np.log1p(np.asarray(partner_deals, dtype=np.float32))[:, None]
    return _unit_rows(company), (_unit_rows(partner) * activity).astype(np.float32)
