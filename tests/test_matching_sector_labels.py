"""Free-text sector labels mapped onto one code per sector (matching/sector_labels.py)."""

import pytest
from flask_babel import force_locale

from matchmaker import vocabulary
from matchmaker.matching import Deal, EventFeatures, Profile
from matchmaker.matching.sector_labels import ALIASES, VOCABULARY_CODES, canonical_sector, canonical_sectors, compact


@pytest.mark.parametrize(("typed", "code"), [
    ("fintech", "fintech"),
    ("핀테크", "fintech"),
    ("fin-tech", "fintech"),
    ("Fin Tech", "fintech"),
    ("Financial Services", "fintech"),
    ("ฟินเทค", "fintech"),
    ("Công nghệ tài chính (Fintech)", "fintech"),
    ("Teknologi finansial", "fintech"),
    ("fintec", "fintech"),
    ("e commerce", "e-commerce"),
    ("ecommerce", "e-commerce"),
    ("E-Commerce", "e-commerce"),
    ("이커머스", "e-commerce"),
    ("ecomerce", "e-commerce"),
    ("ai startup", "ai"),
    ("AI", "ai"),
    ("인공지능(AI)", "ai"),
    ("Kecerdasan buatan (AI)", "ai"),
    ("softwre", "software"),
    ("games_video", "gaming"),
    ("network_hosting", "cloud"),
    ("cleantech", "energy"),
    ("semiconductr", "ai-chips"),
    ("Trí tuệ nhân tạo", "ai"),
    # Sectors the vocabulary does not list, typed in the five languages
    ("물류", "logistics"),
    ("Logistik", "logistics"),
    ("supply-chain", "logistics"),
    ("foodtech", "food"),
    ("Food Tech", "food"),
    ("식품", "food"),
    ("AgriTech", "agritech"),
    ("Nông nghiệp", "agritech"),
    ("real_estate", "proptech"),
    ("부동산", "proptech"),
    ("Insurance", "insurtech"),
    ("ประกันภัย", "insurtech"),
    ("Du lịch", "travel"),
    ("perjalanan", "travel"),
    ("HR Tech", "hr"),
    ("news", "media"),
    ("패션", "fashion"),
    ("Kecantikan", "beauty"),
    ("Legal Tech", "legal"),
    ("항공우주", "space"),
])
def test_typed_label_maps_to_its_code(typed, code):
    assert canonical_sector(typed) == code


@pytest.mark.parametrize(("a", "b"), [
    ("pettech", "pet"),
    ("Pet Tech", "pet startup"),
    ("Pet Care", "pet-care"),
])
def test_unknown_labels_meet_when_typed_alike(a, b):
    assert canonical_sector(a) == canonical_sector(b)
    assert canonical_sector(a) not in ALIASES


@pytest.mark.parametrize(("a", "b"), [
    ("ai", "iot"),  # short labels match exactly only: one letter off is another word
    ("perjalanan", "periklanan"),  # travel is not advertising, two letters apart
    ("biotech", "fintech"),
    ("music", "musik startup company"),  # unknown, and not the same text
])
def test_different_labels_stay_apart(a, b):
    assert canonical_sector(a) != canonical_sector(b)


@pytest.mark.parametrize("locale", ["en", "ko", "vi", "th", "id"])
def test_every_vocabulary_code_and_translated_label_maps_to_its_code(app, locale):
    assert set(VOCABULARY_CODES) == set(vocabulary.SECTORS)
    with app.test_request_context(), force_locale(locale):
        for code, label in vocabulary.SECTORS.items():
            assert canonical_sector(code) == code
            assert canonical_sector(str(label)) == code, (locale, str(label))


def test_compact_ignores_case_spacing_and_separators():
    assert compact(" E-Commerce ") == compact("e commerce") == compact("E_COMMERCE") == "ecommerce"


def test_labels_meaning_one_sector_add_up():
    assert canonical_sectors({"Fintech": 1.0, "핀테크": 0.5, "AI": 2.0}) == {"fintech": 1.5, "ai": 2.0}


def test_empty_label_is_dropped():
    assert canonical_sectors({"  ": 1.0}) == {}


def test_company_and_partner_typing_a_sector_differently_share_it():
    company = Profile(id="c", kind="company", name="Pay Co", sectors={"핀테크": 1.0})
    partner = Profile(id="p", kind="investor", name="Fund", portfolio=(
        Deal("Financial Services", "seed", 2020, "A"), Deal("fin-tech", "seed", 2021, "B"),
        Deal("biotech", "seed", 2021, "C")))
    features = EventFeatures([company], [partner])
    assert features.sector_vocab == ["biotech", "fintech"]
    assert features.portfolio_sector_counts[0].tolist() == [1.0, 2.0]
