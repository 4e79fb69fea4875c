"""A small robustness suite (issue 18; the full one is bench/recommend_robustness.py on the CrunchBase splits): the
model must not rank the real investors of a round below where the plain baseline ranks them, on clean synthetic
deals or on copies with free-text sector labels, unknown stages, thin portfolios, one-sentence descriptions, or all
of these together.

The deals come from a generator here (seeded), so the test needs no data file: investors with one or two focus
sectors, a favourite stage and a heavy-tailed activity; each round of the test year is joined by investors drawn
in proportion to activity x sector fit x stage fit.
"""

import numpy as np
import pytest

from matchmaker.matching import Deal, EventFeatures, FeatureParams, Model, Profile, rank
from matchmaker.matching.scoring import score_pairs

SECTORS = ["fintech", "e-commerce", "ai", "biotech", "gaming", "energy", "cybersecurity", "edtech"]
# How people type them (the test's own list): spelling variants, translations, synonyms, typos.
TYPED = {
    "fintech": ["fin-tech", "핀테크", "Financial Services", "ฟินเทค", "fintec"],
    "e-commerce": ["e commerce", "ecommerce", "이커머스", "Thương mại điện tử", "ecomerce"],
    "ai": ["AI startup", "Artificial Intelligence", "인공지능", "Kecerdasan buatan", "machine learning"],
    "biotech": ["bio tech", "Biotechnology", "바이오", "Bioteknologi", "biotehc"],
    "gaming": ["games", "Gaming", "게임", "เกม", "video games"],
    "energy": ["cleantech", "climate tech", "에너지", "Energi", "clean energy"],
    "cybersecurity": ["cyber security", "security", "사이버 보안", "An ninh mạng", "cybersecurty"],
    "edtech": ["ed tech", "education", "에듀테크", "Pendidikan", "Education technology"],
}
STAGES = ["seed", "series-a", "series-b", "series-c+"]
WORDS = {s: f"{s} platform customers data products" for s in SECTORS}
VARIANTS = ["shared", "labels", "stage", "thin", "descriptions", "combined"]


def generate(seed: int = 7, n_partners: int = 40, n_rounds: int = 300):
    """(past deals per partner, rounds of the test year with their investors); a deal is a dict."""
    rng = np.random.default_rng(seed)
    focus = [rng.choice(len(SECTORS), size=rng.integers(1, 3), replace=False) for _ in range(n_partners)]
    favourite = rng.integers(0, len(STAGES), size=n_partners)
    activity = np.exp(rng.normal(0, 0.8, size=n_partners))

    def investors_of(sector: int, stage: int) -> list[int]:
        fit = np.array([3.0 if sector in focus[j] else 0.4 for j in range(n_partners)])
        fit *= np.where(np.abs(favourite - stage) == 0, 2.0, np.where(np.abs(favourite - stage) == 1, 1.0, 0.4))
        p = activity * fit
        return list(rng.choice(n_partners, size=rng.integers(1, 4), replace=False, p=p / p.sum()))

    deals: list[list[dict]] = [[] for _ in range(n_partners)]
    rounds = []
    for t in range(6 * n_rounds):
        year = 2015 + t // n_rounds
        sector, stage = int(rng.integers(len(SECTORS))), int(rng.integers(len(STAGES)))
        amount = float(10 ** (5.5 + stage * 0.6 + rng.normal(0, 0.3)))
        row = {"company": f"Co{t}", "sector": SECTORS[sector], "stage": STAGES[stage], "year": year,
               "amount": amount, "description": f"Co{t} {WORDS[SECTORS[sector]]}."}
        chosen = investors_of(sector, stage)
        if year < 2020:
            for j in chosen:
                deals[j].append(row)
        else:
            rounds.append((row, {f"Partner {j}" for j in chosen}))
    return deals, rounds


def perturb(deals, rounds, variant: str, seed: int = 11):
    rng = np.random.default_rng(seed)
    both = variant == "combined"
    typed: dict[str, str] = {}

    def label(row):
        if variant == "labels" or both:
            return typed.setdefault(row["company"], str(rng.choice(TYPED[row["sector"]] + [row["sector"]])))
        return row["sector"]

    unknown = {}

    def stage(row):
        if variant == "stage" or both:
            return unknown.setdefault(row["company"], str(rng.choice(["other", ""])) if rng.random() < 0.4
                                      else row["stage"])
        return row["stage"]

    text = variant == "descriptions" or both
    partners = []
    for j, past in enumerate(deals):
        past = list(past)
        if (variant == "thin" or both) and rng.random() < 0.8 and len(past) > 2:
            past = [past[k] for k in sorted(rng.choice(len(past), size=rng.integers(2, 5), replace=False))]
        portfolio = tuple(Deal(label(r), stage(r) or None, r["year"], r["company"], r["amount"],
                               r["description"] if text else "") for r in past)
        partners.append(Profile(id=f"p{j}", kind="investor", name=f"Partner {j}", portfolio=portfolio,
                                description="Venture firm investing in startups with global products." if text
                                else ""))
    companies = [Profile(id=row["company"], kind="company", name=row["company"], sectors={label(row): 1.0},
                         stages=(stage(row),) if stage(row) else (), ticket_usd=(row["amount"], row["amount"]),
                         description=row["description"] if text else "") for row, _ in rounds]
    return companies, partners, [truth for _, truth in rounds]


def baseline_scores(companies, partners) -> np.ndarray:
    """bench/recommend_eval.py's baseline: cosine of sector and stage counts (labels as typed) x log(1 + deals)."""
    keys = sorted({("s", d.sector) for p in partners for d in p.portfolio if d.sector}
                  | {("t", d.stage) for p in partners for d in p.portfolio if d.stage}
                  | {("s", s) for c in companies for s in c.sectors} | {("t", s) for c in companies for s in c.stages})
    index = {k: i for i, k in enumerate(keys)}
    pv = np.zeros((len(partners), len(keys)))
    for j, p in enumerate(partners):
        for d in p.portfolio:
            for key in (("s", d.sector), ("t", d.stage)):
                if key[1]:
                    pv[j, index[key]] += 1
    cv = np.zeros((len(companies), len(keys)))
    for i, c in enumerate(companies):
        for key in [("s", s) for s in c.sectors] + [("t", s) for s in c.stages]:
            cv[i, index[key]] = 1
    unit = lambda a: a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)  # noqa: E731
    return unit(cv) @ unit(pv).T * np.log1p([len(p.portfolio) for p in partners])


def recall_at_10(scores: np.ndarray, partners, truth) -> np.ndarray:
    names = np.array([p.name for p in partners])
    out = []
    for row, real in zip(scores, truth, strict=True):
        top = names[np.lexsort((np.arange(len(row)), -row))[:10]]
        out.append(len(real & set(top)) / len(real))
    return np.array(out)


@pytest.fixture(scope="module")
def deals_and_rounds():
    return generate()


@pytest.mark.parametrize("variant", VARIANTS)
def test_model_is_not_below_the_baseline_beyond_noise(deals_and_rounds, variant):
    companies, partners, truth = perturb(*deals_and_rounds, variant)
    features = EventFeatures(companies, partners, Model().params)
    n, m = features.shape
    ci, pj = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
    model = recall_at_10(score_pairs(features, Model(), ci, pj).score.reshape(n, m), partners, truth)
    base = recall_at_10(baseline_scores(companies, partners), partners, truth)
    difference = model - base
    noise = 2 * difference.std(ddof=1) / np.sqrt(len(difference))  # two paired standard errors
    assert difference.mean() >= -noise, (variant, model.mean(), base.mean())


def test_free_text_labels_cost_the_model_little(deals_and_rounds):
    """Typed labels are mapped back onto the sectors: recall stays near the clean data's, where the baseline,
    comparing labels as typed, loses more."""
    results = {}
    for variant in ("shared", "labels"):
        companies, partners, truth = perturb(*deals_and_rounds, variant)
        features = EventFeatures(companies, partners, Model().params)
        n, m = features.shape
        ci, pj = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
        results[variant] = (
            recall_at_10(score_pairs(features, Model(), ci, pj).score.reshape(n, m), partners, truth).mean(),
            recall_at_10(baseline_scores(companies, partners), partners, truth).mean())
    (model_clean, base_clean), (model_typed, base_typed) = results["shared"], results["labels"]
    assert model_clean - model_typed < 0.03
    assert base_clean - base_typed > model_clean - model_typed


def _scores(companies, partners):
    features = EventFeatures(companies, partners)
    n, m = features.shape
    ci, pj = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
    return score_pairs(features, Model(), ci, pj)


@pytest.mark.parametrize("unknown", [("other",), ()])
def test_unknown_stage_is_neutral(deals_and_rounds, unknown):
    """A company whose stage is "other" or empty: its stage block is 0 with every partner, and the partners rank
    as for a company without a stage."""
    companies, partners, _ = perturb(*deals_and_rounds, "shared")
    company = companies[0]
    scored = _scores([Profile(id="a", kind="company", name="A", sectors=company.sectors, stages=unknown),
                      Profile(id="b", kind="company", name="B", sectors=company.sectors)], partners)
    m = len(partners)
    assert np.all(scored.blocks["stage"] == 0)
    assert np.allclose(scored.score[:m], scored.score[m:])


def test_empty_description_adds_nothing(deals_and_rounds):
    companies, partners, _ = perturb(*deals_and_rounds, "descriptions")
    blank = Profile(id="blank", kind="company", name="Blank", sectors=companies[0].sectors)
    scored = _scores([blank, companies[1]], partners)
    assert np.all(scored.blocks["text"][: len(partners)] == 0)


def test_generic_blurb_fits_no_company_in_particular():
    """Partners whose descriptions share only generic words with every pitch get a text lift near 0; one whose
    portfolio companies' descriptions are about the company's topic gets a positive one."""
    pitch = "Payments and lending platform for small shops."
    companies = [Profile(id=f"c{i}", kind="company", name=f"C{i}", description=text) for i, text in enumerate(
        [pitch, "Clinical trials platform for small biotech labs.", "Game studio platform for small teams."])]
    partners = [
        Profile(id="generic", kind="investor", name="Generic", description="We back platform startups, small teams."),
        Profile(id="payments", kind="investor", name="Payments", portfolio=(
            Deal("fintech", "seed", 2020, "PayCo", description="Payments and lending for shops."),)),
    ]
    text = _scores(companies, partners).blocks["text"].reshape(3, 2)
    assert text[0, 1] > 0.1
    assert abs(text[0, 0]) < text[0, 1] / 2


@pytest.mark.parametrize("budget", [3e7, 1e2])  # exact text cosine, and the projected one of large events
def test_retrieval_finds_the_exactly_scored_top_lists(deals_and_rounds, budget):
    """The two-stage ranking (bilinear retrieval, then exact scores) returns each company's best partners by the
    pair scores, with the baseline term and the text lift (some companies without a description) included."""
    companies, partners, _ = perturb(*deals_and_rounds, "combined")
    companies = [c if i % 3 else Profile(id=c.id, kind="company", name=c.name, sectors=c.sectors, stages=c.stages)
                 for i, c in enumerate(companies[:60])]
    model = Model(params=FeatureParams(exact_text_budget=budget))
    ranking = rank(companies, partners, model=model, top_k=5, fair=False, explain=False)
    features = EventFeatures(companies, partners, model.params)
    assert features.text_exact == (budget > 1e3)
    n, m = features.shape
    ci, pj = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
    score = score_pairs(features, model, ci, pj).score.reshape(n, m)
    for i, c in enumerate(companies):
        found = ranking.lists[c.id]
        assert np.allclose([s.score for s in found], np.sort(score[i])[::-1][:5], atol=1e-5)
