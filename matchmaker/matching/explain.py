"""Why a pair was suggested: structured reason codes with parameters, and their English rendering.

The codes and parameters are the interface to the web app, which translates them; `render` is the English used
by the command line. Reasons are listed by how much their block added to the pair's score, strongest first, and
only blocks that pulled the pair up are mentioned.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any

import numpy as np

from matchmaker.matching.evidence import ReasonEvidence
from matchmaker.matching.features import SIDE_COUNT, EventFeatures
from matchmaker.matching.scoring import score_pairs
from matchmaker.matching.weights import Model

Reason = tuple[str, dict[str, Any]]

_MIN_CONTRIBUTION = 0.05  # log-odds; below this a block did not really speak for the pair


def explain_pairs(
    features: EventFeatures,
    model: Model,
    rows: np.ndarray,
    cols: np.ndarray,
    blocks: dict[str, np.ndarray],
    forced: np.ndarray | None = None,
    evidence: ReasonEvidence | None = None,
) -> list[list[Reason]]:
    """Reason codes for each pair (rows[t], cols[t]), given the pairs' block values (scoring.PairScores).

    Each block's reasons are looked up for all the pairs it speaks for at once (evidence.py); the loop over
    pairs only puts them in order.
    """
    with no_gc_pauses():
        return _explain(features, model, np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), blocks,
                        forced, evidence)


@contextmanager
def no_gc_pauses():
    """Python's cycle collector off while millions of small acyclic tuples and dicts are made.

    Each of its full passes walks every object alive (the event's profiles included), and building reasons for a
    million pairs would trigger hundreds of them: most of the time went there. Nothing made here has cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _explain(features, model, rows, cols, blocks, forced, evidence) -> list[list[Reason]]:
    names = list(blocks)
    contribution = np.column_stack(
        [SIDE_COUNT[name] * model.weights[name] * blocks[name].astype(np.float64) for name in names]
    ) if names else np.zeros((len(rows), 0))
    evidence = evidence or ReasonEvidence(features)
    # Blocks by contribution, strongest first, cut where they stop speaking for the pair.
    order = np.argsort(-contribution, axis=1, kind="stable")
    speaking = np.take_along_axis(contribution, order, axis=1) >= _MIN_CONTRIBUTION
    said: list[list] = []
    for b, name in enumerate(names):
        pairs = np.flatnonzero(contribution[:, b] >= _MIN_CONTRIBUTION)
        found = getattr(evidence, name)(rows[pairs], cols[pairs], blocks[name][pairs])
        column: list = [None] * len(rows)
        for t, reasons in zip(pairs.tolist(), found, strict=True):
            column[t] = reasons
        said.append(column)
    forced_list = forced.tolist() if forced is not None else [False] * len(rows)
    out = []
    mark, few = ("forced_by_organizer", {}), ("few_signals", {})
    for t, (blocks_t, count) in enumerate(zip(order.tolist(), speaking.sum(axis=1).tolist(), strict=True)):
        reasons: list[Reason] = [mark] if forced_list[t] else []
        for b in blocks_t[:count]:
            reasons += said[b][t]
        if len(reasons) == forced_list[t]:
            # Nothing pulled the pair up: it is here because every company gets suggestions (fair exposure).
            reasons.append(few)
        out.append(reasons)
    return out


def reasons_for(features: EventFeatures, model: Model, i: int, j: int, *, forced: bool = False) -> list[Reason]:
    """Reason codes for one pair: company index i, partner index j."""
    rows, cols = np.array([i]), np.array([j])
    blocks = score_pairs(features, model, rows, cols).blocks
    return explain_pairs(features, model, rows, cols, blocks, np.array([forced]))[0]


# --- English ---

def _usd(amount: float) -> str:
    for unit, size in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if amount >= size:
            value = amount / size
            return f"${value:.0f}{unit}" if value >= 10 or value == int(value) else f"${value:.1f}{unit}"
    return f"${amount:.0f}"


_ENGLISH = {
    "forced_by_organizer": lambda p: "selected by the organizers",
    "sectors_in_common": lambda p: "sectors in common: " + ", ".join(p["sectors"]),
    "similar_portfolio": lambda p: f"invested in a similar company: {p['company']}"
    + (f" ({p['year']})" if p.get("year") else ""),
    "invests_at_stage": lambda p: f"invests at {p['stage']}",
    "ticket_fits": lambda p: f"ticket fits: {_usd(p['min_usd'])}–{_usd(p['max_usd'])}",
    "active_in_market": lambda p: f"active in {p['market']}",
    "common_language": lambda p: "common language: " + ", ".join(p["languages"]),
    "active_investor": lambda p: f"active investor: {p['deals']} deals"
    + (f" since {p['since']}" if p.get("since") else ""),
    "similar_description": lambda p: "similar description",
    "coinvested_with": lambda p: f"co-invested with {p['investor']}",
    "existing_investor": lambda p: "already an investor in the company",
    "few_signals": lambda p: "few signals in common; suggested so that every company meets partners",
}


def render(reason: Reason) -> str:
    """One reason in plain English, e.g. ("invests_at_stage", {"stage": "series-a"}) -> "invests at series-a"."""
    code, params = reason
    try:
        return _ENGLISH[code](params)
    except KeyError:
        return code.replace("_", " ")
