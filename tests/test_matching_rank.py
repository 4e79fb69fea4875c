"""Ranking: reciprocity, per-event constraints, explanations, fair exposure, text in Korean, co-investment ties."""

import numpy as np
import pytest

from matchmaker.matching import ConstraintError, Model, profile_from_dict, rank, render
from matchmaker.matching.explain import reasons_for
from matchmaker.matching.features import EventFeatures
from matchmaker.matching.scoring import reciprocal
from matchmaker.matching.text import tfidf


def company(id, **fields):
    return profile_from_dict({"id": id, "kind": "company", "name": fields.pop("name", f"Company {id}"),
                              "country": "KR", **fields})


def partner(id, kind="investor", **fields):
    return profile_from_dict({"id": id, "kind": kind, "name": fields.pop("name", f"Partner {id}"), **fields})


def codes(suggestion):
    return [code for code, _ in suggestion.reasons]


def ids(ranking, company_id):
    return [s.partner_id for s in ranking.lists[company_id]]


# A company looking for an AI seed investor active in Indonesia, speaking Korean or English.
SEEKER = dict(sectors=["ai"], stages=["seed"], markets=["ID"], languages=["ko", "en"], ticket_usd=[500_000, 1_000_000])
BOTH = dict(sectors=["ai"], stages=["seed"], markets=["ID"], languages=["en"], ticket_usd=[300_000, 1_500_000])
# Suits the company (active in its market, speaks its language) but the company is not its thesis at all.
COMPANY_SIDE_ONLY = dict(sectors=["biotech"], stages=["growth"], markets=["ID", "SG"], languages=["en", "ko"],
                         ticket_usd=[20_000_000, 50_000_000])
# The company is its thesis, but it is not active where the company goes and shares no language with it.
PARTNER_SIDE_ONLY = dict(sectors=["ai"], stages=["seed"], markets=["DE"], languages=["de"],
                         ticket_usd=[300_000, 1_500_000])


def test_combination_is_reciprocal():
    # Overwhelming fit on one side cannot make up for the other.
    assert reciprocal(np.array(0.99), np.array(0.02)) < reciprocal(np.array(0.3), np.array(0.3))


@pytest.mark.parametrize("one_sided", [COMPANY_SIDE_ONLY, PARTNER_SIDE_ONLY])
def test_pair_suiting_one_side_ranks_below_pair_suiting_both(one_sided):
    ranking = rank([company("c", **SEEKER)], [partner("one", **one_sided), partner("both", **BOTH)], top_k=2,
                   fair=False)
    first, second = ranking.lists["c"]
    assert (first.partner_id, second.partner_id) == ("both", "one")
    assert min(first.company_fit, first.partner_fit) > min(second.company_fit, second.partner_fit)


def test_sides_are_scored_separately():
    ranking = rank([company("c", **SEEKER)], [partner("cs", **COMPANY_SIDE_ONLY), partner("ps", **PARTNER_SIDE_ONLY)],
                   top_k=2, fair=False)
    by_id = {s.partner_id: s for s in ranking.lists["c"]}
    assert by_id["cs"].company_fit > by_id["cs"].partner_fit
    assert by_id["ps"].partner_fit > by_id["ps"].company_fit


def event(n_companies=6, n_partners=8):
    companies = [company(f"c{i}", **SEEKER) for i in range(n_companies)]
    partners = [partner(f"p{j}", **(BOTH if j % 2 else PARTNER_SIDE_ONLY)) for j in range(n_partners)]
    return companies, partners


@pytest.mark.parametrize("fair", [True, False])
def test_forbidden_pair_never_appears(fair):
    companies, partners = event()
    plain = rank(companies, partners, top_k=3, fair=fair)
    best = plain.lists["c0"][0].partner_id
    ranking = rank(companies, partners, top_k=3, fair=fair, forbidden=[("c0", best)])
    assert best not in ids(ranking, "c0")
    assert len(ranking.lists["c0"]) == 3
    assert best in ids(ranking, "c1")  # only that pair is forbidden


@pytest.mark.parametrize("fair", [True, False])
def test_forced_pair_is_included_on_top(fair):
    companies, partners = event()
    plain = rank(companies, partners, top_k=3, fair=fair)
    worst = [p.id for p in partners if p.id not in ids(plain, "c0")][0]
    ranking = rank(companies, partners, top_k=3, fair=fair, forced=[("c0", worst)])
    top = ranking.lists["c0"][0]
    assert top.partner_id == worst and top.forced
    assert codes(top)[0] == "forced_by_organizer"
    assert len(ranking.lists["c0"]) == 3 and len(set(ids(ranking, "c0"))) == 3


def test_constraint_errors():
    companies, partners = event()
    with pytest.raises(ConstraintError, match="both forced and forbidden"):
        rank(companies, partners, forced=[("c0", "p1")], forbidden=[("c0", "p1")])
    with pytest.raises(ConstraintError, match="unknown"):
        rank(companies, partners, forced=[("c0", "nobody")])
    with pytest.raises(ConstraintError, match="not a company"):
        rank(partners, partners)


def test_allowed_kinds():
    companies = [company("c", **SEEKER)]
    partners = [partner("inv", **BOTH), partner("buy", kind="buyer", **BOTH)]
    assert ids(rank(companies, partners, top_k=5, partner_kinds={"buyer"}), "c") == ["buy"]
    assert set(ids(rank(companies, partners, top_k=5), "c")) == {"inv", "buy"}


@pytest.mark.parametrize("fields", [{}, {"sectors": []}, {"sectors": [], "stages": [], "description": ""}])
def test_company_without_sector_gets_suggestions(fields):
    companies = [company("empty", **fields), company("full", **SEEKER)]
    _, partners = event()
    ranking = rank(companies, partners, top_k=4)
    assert len(ranking.lists["empty"]) == 4
    assert all(s.reasons for s in ranking.lists["empty"])  # every suggestion says why, even if little


def test_korean_descriptions_match_through_character_ngrams():
    docs = ["인공지능 기반 의료 영상 분석 솔루션",
            "의료 영상을 인공지능으로 진단하는 스타트업에 투자합니다",
            "물류 창고 자동화 로봇에 투자합니다"]
    matrix = tfidf(docs)
    cosine = (matrix @ matrix.T).toarray()
    assert cosine[0, 1] > 0.2 > cosine[0, 2] + 0.1

    companies = [company("c", description=docs[0])]
    partners = [partner("robots", description=docs[2]), partner("medical", description=docs[1])]
    ranking = rank(companies, partners, top_k=2, fair=False)
    first = ranking.lists["c"][0]
    assert first.partner_id == "medical"
    assert "similar_description" in codes(first)


def test_coinvestment_tie_produces_the_reason():
    shared = [{"company": "X Corp", "sector": "ai", "stage": "seed", "year": 2023},
              {"company": "Y Corp", "sector": "ai", "stage": "series-a", "year": 2024}]
    partners = [
        partner("alpha", name="Alpha Ventures", portfolio=shared),
        partner("beta", name="Beta Capital", portfolio=shared + [{"company": "Z", "sector": "ai", "stage": "seed",
                                                                   "year": 2024}]),
        partner("gamma", name="Gamma Partners", portfolio=[{"company": "W", "sector": "ai", "stage": "seed",
                                                            "year": 2024}]),
    ]
    companies = [company("c", sectors=["ai"], stages=["series-a"], existing_investors=["Alpha Ventures"])]
    ranking = rank(companies, partners, top_k=3, fair=False)
    by_id = {s.partner_id: s for s in ranking.lists["c"]}
    assert ("coinvested_with", {"investor": "Alpha Ventures"}) in by_id["beta"].reasons
    assert "coinvested_with" not in codes(by_id["gamma"])
    assert "existing_investor" in codes(by_id["alpha"])
    assert ids(ranking, "c")[:2] == ["alpha", "beta"]  # follow-on first, then the co-investor


def test_fair_exposure_caps_a_universally_popular_partner():
    companies = [company(f"c{i}", **SEEKER) for i in range(30)]
    star = partner("star", **{**BOTH, "markets": ["ID", "SG", "VN"], "languages": ["en", "ko"]},
                   portfolio=[{"company": f"S{t}", "sector": "ai", "stage": "seed", "year": 2024} for t in range(20)])
    others = [partner(f"p{j}", **(BOTH if j % 3 else PARTNER_SIDE_ONLY)) for j in range(9)]
    plain = rank(companies, [star, *others], top_k=3, fair=False)
    assert all(ids(plain, c.id)[0] == "star" for c in companies)
    assert plain.exposure_before.zero_share > 0

    ranking = rank(companies, [star, *others], top_k=3, slack=1.5)
    assert ranking.capacity == 14  # ceil(3 * 30 / 10 * 1.5)
    appearances = sum("star" in ids(ranking, c.id) for c in companies)
    assert appearances == ranking.capacity
    assert all(len(ranking.lists[c.id]) == 3 for c in companies)
    assert ranking.exposure_after.max_lists <= ranking.capacity
    assert ranking.exposure_after.gini < ranking.exposure_before.gini
    assert ranking.exposure_after.zero_share < plain.exposure_before.zero_share


def test_default_cap_is_three_times_the_equal_share():
    companies = [company(f"c{i}", **SEEKER) for i in range(30)]
    partners = [partner(f"p{j}", **BOTH) for j in range(10)]
    ranking = rank(companies, partners, top_k=3)
    assert ranking.capacity == 27  # ceil(3 * 30 / 10 * 3)
    assert ranking.floor == 2  # floor(3 * 30 / 10 / 4)
    assert ranking.exposure_after.max_lists <= ranking.capacity
    assert rank(companies, partners, top_k=3, fair=False).floor is None


def test_floor_brings_in_a_partner_nobody_ranks_high():
    # Four good partners fill every top-4 even under the cap; the fifth is everybody's fifth choice.
    companies = [company(f"c{i}", **SEEKER) for i in range(12)]
    good = [partner(f"g{j}", **BOTH) for j in range(4)]
    weak = partner("weak", sectors=["ai"], stages=["series-b"], markets=["ID"], languages=["en"])
    plain = rank(companies, [*good, weak], top_k=4, fair=False)
    assert not any("weak" in ids(plain, c.id) for c in companies)

    ranking = rank(companies, [*good, weak], top_k=4)
    assert ranking.floor == 2  # floor(4 * 12 / 5 / 4)
    holders = [c.id for c in companies if "weak" in ids(ranking, c.id)]
    assert len(holders) == ranking.floor
    assert all(len(ranking.lists[c.id]) == 4 for c in companies)
    # It took the last place: each holder kept its three best partners.
    for cid in holders:
        assert ids(ranking, cid)[-1] == "weak"
        assert set(ids(ranking, cid)[:3]) <= set(ids(plain, cid))


def test_raise_floor_takes_one_place_per_company_and_spares_forced_and_scarce_partners():
    from matchmaker.matching.fairness import raise_floor

    # Three companies, partners 0..3; partner 3 has no list and every company has it as a candidate.
    chosen = [[0, 1], [2, 0], [1, 2]]
    load = np.array([2.0, 2.0, 2.0, 0.0])
    index = np.array([[0, 1, 3], [2, 0, 3], [1, 2, 3]])
    score = np.array([[0.9, 0.8, 0.5], [0.9, 0.8, 0.7], [0.9, 0.8, 0.6]])
    # Company 1's list is all forced; a floor of 2 may not take from a partner that would fall below it.
    assert raise_floor(chosen, [0, 2, 0], index, score, load, floor=2, k=2) == 0
    assert chosen == [[0, 1], [2, 0], [1, 2]]
    # With a floor of 1: partner 3 takes one place, from the company it suits best that may give one up.
    assert raise_floor(chosen, [0, 2, 0], index, score, load, floor=1, k=2) == 1
    assert chosen == [[0, 1], [2, 0], [1, 3]]
    assert load.tolist() == [2.0, 2.0, 1.0, 1.0]


def test_every_company_gets_suggestions_when_capacity_is_short():
    # Capacity 4 per partner, 16 places wanted from 2 partners: the cap gives way rather than a company.
    companies = [company(f"c{i}", **SEEKER) for i in range(8)]
    partners = [partner("a", **BOTH), partner("b", **BOTH)]
    ranking = rank(companies, partners, top_k=2, slack=0.5, forced=[("c0", "b")])
    assert ranking.capacity == 4
    assert all(len(ranking.lists[f"c{i}"]) == 2 for i in range(8))
    assert ids(ranking, "c0")[0] == "b"


def test_reasons_and_english():
    c = company("c", sectors={"ai": 2, "cloud": 1}, stages=["series-a"], markets=["ID"], languages=["ko", "en"],
                ticket_usd=[2_000_000, 4_000_000])
    p = partner("p", sectors=["ai", "cloud"], stages=["series-a"], markets=["ID"], languages=["en"],
                ticket_usd=[1_000_000, 5_000_000],
                portfolio=[{"company": "MedVision", "sector": "ai", "stage": "series-a", "year": 2024}])
    other = partner("q", sectors=["biotech"], stages=["growth"])
    features = EventFeatures([c], [p, other])
    reasons = dict(reasons_for(features, Model(), 0, 0))
    assert reasons["sectors_in_common"] == {"sectors": ["ai", "cloud"]}
    assert reasons["invests_at_stage"] == {"stage": "series-a"}
    assert reasons["active_in_market"] == {"market": "ID"}
    assert reasons["common_language"] == {"languages": ["en"]}
    assert reasons["similar_portfolio"] == {"company": "MedVision", "year": 2024}
    assert render(("sectors_in_common", reasons["sectors_in_common"])) == "sectors in common: ai, cloud"
    assert render(("invests_at_stage", {"stage": "series-a"})) == "invests at series-a"
    assert render(("ticket_fits", {"min_usd": 1e6, "max_usd": 5e6})) == "ticket fits: $1M–$5M"
    assert render(("coinvested_with", {"investor": "X"})) == "co-invested with X"


def test_output_is_deterministic_and_sorted():
    companies, partners = event(10, 12)
    a = rank(companies, partners, top_k=4)
    b = rank(companies, partners, top_k=4)
    assert {k: [(s.partner_id, s.score) for s in v] for k, v in a.lists.items()} == \
        {k: [(s.partner_id, s.score) for s in v] for k, v in b.lists.items()}
    for suggestions in a.lists.values():
        scores = [s.score for s in suggestions]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < s < 1 for s in scores)


def test_large_event_uses_the_projected_text_path():
    # Descriptions sharing many n-grams across 300 x 300 profiles make the exact all-pairs cosine too costly.
    words = "ai cloud data platform security robot logistics payments 인공지능 클라우드 보안 플랫폼".split()
    rng = np.random.default_rng(0)
    companies = [company(f"c{i}", description=" ".join(rng.choice(words, 12)), sectors=["ai"]) for i in range(300)]
    partners = [partner(f"p{j}", description=" ".join(rng.choice(words, 12)), sectors=["ai"]) for j in range(300)]
    model = Model(params=Model().params.__class__(exact_text_budget=1e5))
    ranking = rank(companies, partners, top_k=5, model=model)
    assert all(len(v) == 5 for v in ranking.lists.values())
    assert ranking.exposure_after.max_lists <= ranking.capacity
