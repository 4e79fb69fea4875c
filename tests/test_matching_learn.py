"""Learning block weights from outcomes (accepted / declined requests)."""

import datetime as dt

import numpy as np
import pytest

from matchmaker.matching import DEFAULT_WEIGHTS, Model, fit, profile_from_dict
from matchmaker.matching.learn import label_value

LANGS = ["en", "ko", "vi", "th", "id", "ja"]
SECTORS = ["ai", "cloud", "fintech", "biotech", "gaming", "robotics"]


def synthetic_event(seed=0, n=60, m=40):
    rng = np.random.default_rng(seed)
    companies = [profile_from_dict({
        "id": f"c{i}", "kind": "company", "name": f"C{i}", "sectors": [str(rng.choice(SECTORS))],
        "languages": [str(x) for x in rng.choice(LANGS, 2, replace=False)]}) for i in range(n)]
    partners = [profile_from_dict({
        "id": f"p{j}", "kind": "investor", "name": f"P{j}", "sectors": [str(rng.choice(SECTORS))],
        "languages": [str(rng.choice(LANGS))]}) for j in range(m)]
    return rng, companies, partners


def language_outcomes(rng, companies, partners, n=1500):
    """Partners accept exactly when they share a language with the company; sectors do not matter."""
    out = []
    for _ in range(n):
        c, p = companies[rng.integers(len(companies))], partners[rng.integers(len(partners))]
        out.append((c.id, p.id, "accepted" if set(c.languages) & set(p.languages) else "declined"))
    return out


def test_fit_moves_weights_in_the_expected_direction():
    rng, companies, partners = synthetic_event()
    outcomes = language_outcomes(rng, companies, partners)
    model = fit(outcomes, companies, partners, today=dt.date(2027, 3, 1))
    assert model.weights["language"] > DEFAULT_WEIGHTS["language"]
    assert model.weights["sector"] < DEFAULT_WEIGHTS["sector"]  # irrelevant here: pulled towards 0
    # Blocks the outcomes say nothing about (constant: no descriptions, no markets) keep their defaults.
    assert model.weights["text"] == DEFAULT_WEIGHTS["text"]
    assert model.weights["market"] == DEFAULT_WEIGHTS["market"]
    t = model.training
    assert (t.n_outcomes, t.n_positive + t.n_negative, t.trained_at) == (1500, 1500, "2027-03-01")
    assert "text" in t.unchanged_blocks and 0 < t.shrinkage < 1


def test_fit_is_shrunk_towards_defaults_with_few_outcomes():
    rng, companies, partners = synthetic_event(1)
    few = fit(language_outcomes(rng, companies, partners, 40), companies, partners)
    many = fit(language_outcomes(rng, companies, partners, 3000), companies, partners)
    base = DEFAULT_WEIGHTS["language"]
    assert 0 < few.weights["language"] - base < many.weights["language"] - base


def test_fitted_model_ranks_with_the_learned_preference():
    rng, companies, partners = synthetic_event(2)
    model = Model().fit(language_outcomes(rng, companies, partners, 3000), companies, partners)
    from matchmaker.matching import rank

    ranking = rank(companies, partners, model=model, top_k=3, fair=False)
    shared = [bool(set(c.languages) & set(next(p for p in partners if p.id == s.partner_id).languages))
              for c in companies for s in ranking.lists[c.id]]
    assert np.mean(shared) > 0.9


def test_model_round_trips_through_a_dict():
    rng, companies, partners = synthetic_event(3)
    model = fit(language_outcomes(rng, companies, partners, 300), companies, partners)
    assert Model.from_dict(model.to_dict()) == model


def test_fit_needs_both_outcomes_and_known_labels():
    rng, companies, partners = synthetic_event(4)
    with pytest.raises(ValueError, match="both accepted and declined"):
        fit([("c0", "p0", True), ("c1", "p1", 1)], companies, partners)
    with pytest.raises(ValueError, match="unknown outcome label"):
        label_value("maybe")
    model = fit([("c0", "p0", True), ("c1", "p1", False), ("nobody", "p1", True)], companies, partners)
    assert model.training.n_skipped == 1
