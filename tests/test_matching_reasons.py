"""Reasons looked up for many pairs at once (evidence.py): what each says, and that ranking keeps the API."""

import gc

import numpy as np
import pytest

from matchmaker.matching import Model, profile_from_dict, rank
from matchmaker.matching.explain import explain_pairs, reasons_for
from matchmaker.matching.features import EventFeatures, FeatureParams
from matchmaker.matching.scoring import retrieve, score_pairs


def company(id, **fields):
    return profile_from_dict({"id": id, "kind": "company", "name": fields.pop("name", f"Company {id}"),
                              "country": "KR", **fields})


def partner(id, **fields):
    return profile_from_dict({"id": id, "kind": "investor", "name": fields.pop("name", f"Partner {id}"), **fields})


def deal(company, sector="ai", stage="seed", year=2024, amount=None):
    out = {"company": company, "sector": sector, "stage": stage, "year": year}
    if amount is not None:
        out["amount_usd"] = amount
    return out


# Partners elsewhere, so that the population has something to compare the first partner's interests with.
OTHERS = [partner(f"o{k}", sectors=["biotech"], stages=["growth"], markets=["BR"], languages=["pt"],
                  ticket_usd=[5e7, 1e8], portfolio=[deal(f"Bio {k}", "biotech", "growth", 2024, 8e7)])
          for k in range(3)]


def reasons(companies, partners, i=0, j=0):
    return dict(reasons_for(EventFeatures(companies, [*partners, *OTHERS]), Model(), i, j))


def test_similar_deal_prefers_the_company_stage_then_the_newest_and_never_the_company_itself():
    p = partner("p", sectors=["ai"], portfolio=[
        deal("Old Seed", stage="seed", year=2019),
        deal("Newer Series B", stage="series-b", year=2024),
        deal("Newest Seed", stage="seed", year=2023),
        deal("Acme", stage="seed", year=2025),  # the company's own earlier round
        deal("Bio", sector="biotech", stage="seed", year=2025),
    ])
    c = company("c", name="ACME", sectors=["ai"], stages=["seed"])
    assert reasons([c], [p])["similar_portfolio"] == {"company": "Newest Seed", "year": 2023}
    other_stage = company("d", sectors=["ai"], stages=["growth"])
    assert reasons([other_stage], [p])["similar_portfolio"] == {"company": "Acme", "year": 2025}


def test_sectors_in_common_follow_the_company_weights():
    p = partner("p", sectors=["cloud", "ai", "fintech"])
    c = company("c", sectors={"cloud": 1, "ai": 3, "gaming": 2})
    assert reasons([c], [p])["sectors_in_common"] == {"sectors": ["ai", "cloud"]}


def test_markets_languages_and_stage_in_the_company_order():
    p = partner("p", stages=["series-a", "seed"], markets=["VN", "ID", "SG", "TH"], languages=["ko", "en"])
    c = company("c", stages=["seed", "series-a"], markets=["TH", "SG", "ID", "VN"], languages=["en", "ko", "vi"])
    found = explain_pairs(*_pair(c, p))[0]
    assert [params["market"] for code, params in found if code == "active_in_market"] == ["TH", "SG", "ID"]
    assert dict(found)["common_language"] == {"languages": ["en", "ko"]}
    assert dict(found)["invests_at_stage"] == {"stage": "seed"}


def _pair(c, p):
    features = EventFeatures([c], [p, *OTHERS])
    model = Model()
    rows, cols = np.array([0]), np.array([0])
    return features, model, rows, cols, score_pairs(features, model, rows, cols).blocks


def test_ticket_from_portfolio_amounts_and_activity_since_two_years_before_the_newest_deal():
    amounts = [1e6, 2e6, 3e6, 4e6, 5e6, 1.5e6, 2.5e6, 3.5e6, 4.5e6, 5.5e6]
    p = partner("p", sectors=["ai"], stages=["seed"], portfolio=[  # two deals a year, 2020-2024
        deal(f"D{t}", year=2020 + t % 5, amount=a) for t, a in enumerate(amounts)])
    q = partner("q", sectors=["ai"], portfolio=[deal("Q1", year=2024)])  # sets the reference year
    c = company("c", sectors=["ai"], stages=["seed"], ticket_usd=[1e6, 5e6])
    features = EventFeatures([c], [p, q, *OTHERS])
    found = dict(reasons_for(features, Model(), 0, 0))
    low, high = np.percentile(amounts, [10, 90])
    assert found["ticket_fits"] == {"min_usd": low, "max_usd": high}
    assert found["active_investor"] == {"deals": 6, "since": 2022}


def test_coinvestment_reason_names_the_existing_investors():
    shared = [deal("X Corp"), deal("Y Corp", year=2023)]
    partners = [partner("alpha", name="Alpha Ventures", portfolio=shared),
                partner("gamma", name="Gamma Partners", portfolio=shared[:1]),
                partner("beta", name="Beta Capital", portfolio=shared + [deal("Z")])]
    c = company("c", sectors=["ai"], existing_investors=["Alpha Ventures", "Gamma Partners"])
    found = reasons_for(EventFeatures([c], [*partners, *OTHERS]), Model(), 0, 2)
    assert [params["investor"] for code, params in found if code == "coinvested_with"] == \
        ["Alpha Ventures", "Gamma Partners"]


def test_pairs_with_nothing_in_common_say_so():
    c = company("c", sectors=["ai"], markets=["DE"], languages=["de"])
    p = partner("p", sectors=["biotech"], markets=["BR"], languages=["pt"])
    found = explain_pairs(*_pair(c, p), np.array([True]))[0]
    assert found == [("forced_by_organizer", {}), ("few_signals", {})]


def _crowd(n, seed=0):
    rng = np.random.default_rng(seed)
    words = "ai cloud data platform security robot logistics payments 인공지능 클라우드 보안 플랫폼".split()
    langs, markets = ["en", "ko", "vi", "ja"], ["US", "SG", "VN", "JP", "ID"]
    companies = [company(f"c{i}", description=" ".join(rng.choice(words, 10)), sectors=["ai"],
                         languages=[str(x) for x in rng.choice(langs, 3, replace=False)],
                         markets=[str(x) for x in rng.choice(markets, 2, replace=False)]) for i in range(n)]
    partners = [partner(f"p{j}", description=" ".join(rng.choice(words, 10)), sectors=["ai"],
                        languages=[str(x) for x in rng.choice(langs, 3, replace=False)],
                        markets=[str(x) for x in rng.choice(markets, 2, replace=False)]) for j in range(n)]
    return companies, partners


@pytest.mark.parametrize("budget", [3e7, 1e3])  # exact text cosines, then the projected path of large events
def test_candidates_are_rescored_exactly(budget):
    # Stage 2 reads both sides' log-odds from stage 1 and corrects only the language block (its bilinear factor
    # counts each language in common; these profiles often share two or three).
    companies, partners = _crowd(80)
    features = EventFeatures(companies, partners, FeatureParams(exact_text_budget=budget))
    assert features.text_exact == (budget > 1e4)
    found = retrieve(features, Model(), np.arange(80), 15)
    rows = np.repeat(np.arange(80), 15)
    exact = score_pairs(features, Model(), rows, found.index.ravel()).score
    assert np.allclose(found.score.ravel(), exact, atol=1e-6)
    assert (np.diff(found.score, axis=1) <= 1e-12).all()  # best first


def test_rank_leaves_the_cycle_collector_as_it_found_it():
    companies, partners = _crowd(10)
    assert gc.isenabled()
    ranking = rank(companies, partners, top_k=3)
    assert gc.isenabled()
    assert {"rank", "reasons", "total"} <= set(ranking.timings)
    gc.disable()
    try:
        rank(companies, partners, top_k=3)
        assert not gc.isenabled()
    finally:
        gc.enable()
