"""Signals of venture deals, each against an otherwise identical partner: ties, follow-on, recency, activity, and
how much a partner's text counts."""

import numpy as np
import pytest

from matchmaker.matching import EventFeatures, profile_from_dict, rank


def company(id, **fields):
    return profile_from_dict({"id": id, "kind": "company", "name": fields.pop("name", f"Company {id}"), **fields})


def partner(id, **fields):
    return profile_from_dict({"id": id, "kind": "investor", "name": fields.pop("name", f"Partner {id}"), **fields})


def deal(company, sector="ai", stage="seed", year=2024):
    return {"company": company, "sector": sector, "stage": stage, "year": year}


def order(companies, partners):
    """Partner ids best first. Equal scores are ordered by id, so each test names the partner it expects to
    win so that it would lose such a tie."""
    ranking = rank(companies, partners, top_k=len(partners), fair=False)
    return [s.partner_id for s in ranking.lists[companies[0].id]]


def scores(companies, partners):
    ranking = rank(companies, partners, top_k=len(partners), fair=False)
    return {s.partner_id: s.score for s in ranking.lists[companies[0].id]}


def test_partner_that_coinvested_with_the_company_investor_ranks_above_an_identical_one():
    lead = partner("lead", name="Lead Fund", portfolio=[deal("Shared A"), deal("Shared B", year=2023)])
    tied = partner("z-tied", portfolio=[deal("Shared A"), deal("Shared B", year=2023), deal("Own C")])
    untied = partner("a-untied", portfolio=[deal("Other A"), deal("Other B", year=2023), deal("Own D")])
    c = company("c", sectors=["ai"], stages=["series-a"], existing_investors=["Lead Fund"])
    assert order([c], [untied, tied, lead]) == ["lead", "z-tied", "a-untied"]
    # Without the existing investor the two are the same partner for the company.
    alone = company("alone", sectors=["ai"], stages=["series-a"])
    found = scores([alone], [untied, tied, lead])
    assert found["z-tied"] == found["a-untied"]


def test_existing_investor_is_recognized_from_its_portfolio_too():
    insider = partner("z-insider", portfolio=[deal("Acme Robotics", year=2022), deal("X", year=2024)])
    outsider = partner("a-outsider", portfolio=[deal("Y", year=2022), deal("X2", year=2024)])
    c = company("c", name="ACME robotics", sectors=["ai"])
    assert order([c], [outsider, insider]) == ["z-insider", "a-outsider"]


def test_recent_sector_interest_outweighs_old():
    # Same number of deals; one partner's AI deals are recent, the other's ten years old (focus drifts).
    recent = partner("recent", portfolio=[deal(f"R{k}", "ai", year=2024) for k in range(3)]
                     + [deal(f"B{k}", "biotech", year=2014) for k in range(3)])
    old = partner("old", portfolio=[deal(f"O{k}", "ai", year=2014) for k in range(3)]
                  + [deal(f"C{k}", "biotech", year=2024) for k in range(3)])
    assert order([company("c", sectors=["ai"])], [old, recent]) == ["recent", "old"]
    assert order([company("d", sectors=["biotech"])], [recent, old]) == ["old", "recent"]


def test_active_partner_ranks_above_a_dormant_one():
    active = partner("z-active", portfolio=[deal(f"A{k}", year=2024) for k in range(6)])
    dormant = partner("a-dormant", portfolio=[deal(f"D{k}", year=2016) for k in range(6)])
    assert order([company("c", sectors=["ai"])], [dormant, active]) == ["z-active", "a-dormant"]


def test_text_block_follows_the_partner_text_evidence():
    # The same words as a declared description (3 deals' worth) and as one portfolio company's: the same cosine,
    # each shrunk by prior_deals (5) pseudo-deals: 3/8 against 1/6. A partner without any text has no text block.
    pitch = "solar panels and batteries for remote farms"
    companies = [company("c", sectors=["energy"], description=pitch)]
    partners = [
        partner("declared", description=pitch),
        partner("one_deal", portfolio=[{**deal("Sun Co", "energy"), "description": pitch}]),
        partner("none", portfolio=[deal("Other Co", "energy")]),
    ]
    features = EventFeatures(companies, partners)
    assert features.partner_text_evidence.tolist() == pytest.approx([3 / 8, 1 / 6, 0.0])
    text = features.pair_blocks(np.zeros(3, dtype=np.int64), np.arange(3))["text"]
    assert text[0] / text[1] == pytest.approx((3 / 8) / (1 / 6), rel=1e-5)
    assert text[2] == 0.0


def test_partner_that_joins_backed_companies_ranks_first_for_a_later_round_only():
    # The same sectors, stages and years; the joiner's companies had raised from a third firm before it came in.
    early = partner("early", portfolio=[deal("X", year=2021), deal("Y", year=2021)])
    joiner = partner("z-joiner", portfolio=[deal("X", year=2023), deal("Y", year=2023), deal("V", year=2023)])
    entrant = partner("a-entrant", portfolio=[deal("Z", year=2023), deal("W", year=2023), deal("U", year=2023)])
    later = company("c", sectors=["ai"], stages=["seed"], existing_investors=["Angel Person"])
    assert order([later], [entrant, joiner, early])[:2] == ["z-joiner", "a-entrant"]
    # A company naming no investors may still have some: unknown, so the two are the same partner for it.
    found = scores([company("d", sectors=["ai"], stages=["seed"])], [entrant, joiner, early])
    assert found["z-joiner"] == found["a-entrant"]
