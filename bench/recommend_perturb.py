"""Perturbed copies of the CrunchBase deals, to see how the recommender holds on data typed by people
(issue 18): what the agency's own registrations look like, rebuilt from the shared file.

    labels        each company types its sector as free text: spelling and spacing variants ("e commerce"),
                  near-synonyms ("online shopping", "ai startup"), a translation into ko/th/vi/id, or a typo;
                  one choice per company, kept in all its rounds (the same company types the same label)
    stage         the stage unknown for 40% of rounds: "other" or empty, half and half
    thin          8 investors in 10 keep only 2-4 of their deals (drawn at random) in their profiles
    descriptions  a one-sentence description per company, written from its sector's words (English, or the
                  language of its label when that is a translation), kept in the investors' portfolios too, and a
                  one-sentence blurb per investor ("... a venture firm investing in early-stage startups"), which
                  shares generic words with every pitch: noise the model must not take for a fit
    combined      all four together

Everything is drawn from seeded generators keyed by names (crc32, not Python's salted hash), so a run is
reproducible. The variant tables here are the benchmark's own, written apart from
matchmaker/matching/sector_labels.py's synonym table; some of their phrases are in neither the vocabulary nor
that table (they stay unknown labels, compared by text), and typos are random.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import replace

VARIANTS = ("shared", "labels", "stage", "thin", "descriptions", "combined")

# Near-synonyms and translations people type for CrunchBase's categories (the benchmark's own table).
SYNONYMS = {
    "software": ["software company", "software startup", "SW", "소프트웨어", "ซอฟต์แวร์", "phần mềm",
                 "perangkat lunak"],
    "web": ["internet", "web services", "online", "인터넷", "เว็บ", "internet startup"],
    "enterprise": ["enterprise software", "B2B software", "SaaS", "기업용 소프트웨어", "phần mềm doanh nghiệp",
                   "perangkat lunak perusahaan"],
    "mobile": ["mobile apps", "mobile app", "모바일", "โมบาย", "di động", "aplikasi seluler"],
    "advertising": ["adtech", "ad tech", "marketing tech", "광고", "โฆษณา", "quảng cáo", "periklanan"],
    "biotech": ["biotechnology", "bio tech", "life sciences", "바이오", "เทคโนโลยีชีวภาพ", "công nghệ sinh học",
                "bioteknologi"],
    "games_video": ["games", "gaming", "video games", "게임", "เกม", "trò chơi", "gim"],
    "semiconductor": ["semiconductors", "chips", "반도체", "เซมิคอนดักเตอร์", "bán dẫn", "semikonduktor"],
    "cleantech": ["clean tech", "climate tech", "clean energy", "에너지", "พลังงานสะอาด", "năng lượng sạch",
                  "energi bersih"],
    "ecommerce": ["e commerce", "e-commerce", "online shopping", "이커머스", "อีคอมเมิร์ซ",
                  "thương mại điện tử", "perdagangan elektronik"],
    "hardware": ["hardware startup", "devices", "하드웨어", "ฮาร์ดแวร์", "phần cứng", "perangkat keras"],
    "security": ["cybersecurity", "cyber security", "infosec", "보안", "ความปลอดภัยไซเบอร์", "an ninh mạng",
                 "keamanan siber"],
    "analytics": ["data analytics", "big data", "데이터 분석", "การวิเคราะห์ข้อมูล", "phân tích dữ liệu",
                  "analitik data"],
    "network_hosting": ["hosting", "cloud", "cloud infrastructure", "클라우드", "คลาวด์", "điện toán đám mây"],
    "finance": ["fintech", "fin-tech", "Financial Services", "핀테크", "ฟินเทค", "tài chính", "keuangan"],
    "social": ["social media", "social network", "소셜 미디어", "โซเชียลมีเดีย", "mạng xã hội", "media sosial"],
    "medical": ["medical devices", "medtech", "의료기기", "อุปกรณ์การแพทย์", "thiết bị y tế", "alat kesehatan"],
    "health": ["healthcare", "digital health", "헬스케어", "สุขภาพดิจิทัล", "y tế số", "kesehatan digital"],
    "education": ["edtech", "ed tech", "에듀테크", "เทคโนโลยีการศึกษา", "giáo dục", "pendidikan"],
    "public_relations": ["PR", "communications", "홍보", "ประชาสัมพันธ์"],
    "music": ["music tech", "음악", "ดนตรี", "âm nhạc", "musik"],
    "travel": ["traveltech", "tourism", "여행", "การท่องเที่ยว", "du lịch", "perjalanan"],
    "fashion": ["fashiontech", "apparel", "패션", "แฟชั่น", "thời trang"],
}
SCRIPT_OF = {"ko": (0xAC00, 0xD7A3), "th": (0x0E00, 0x0E7F)}
# Words a one-sentence pitch uses, per category; anything else gets the generic words only.
WORDS = {
    "software": "software tools developers apps platform code", "web": "website online users internet portal",
    "enterprise": "enterprise business teams workflow saas companies", "mobile": "mobile app smartphone phones",
    "advertising": "advertising ads marketers campaigns brands targeting", "biotech": "drug therapy clinical biology",
    "games_video": "games players video entertainment studio", "semiconductor": "chips silicon semiconductor design",
    "cleantech": "solar energy clean efficiency power grid", "ecommerce": "online store shoppers retail commerce",
    "hardware": "devices hardware sensors electronics", "security": "security threats protection encryption",
    "analytics": "data analytics insights dashboards", "network_hosting": "hosting servers cloud network storage",
    "finance": "payments banking finance lending", "social": "social network friends community sharing",
    "medical": "medical devices patients surgery", "health": "health patients wellness care",
    "education": "learning students education courses",
}
GENERIC = "a startup that builds new products for customers worldwide".split()


def _rng(*keys) -> random.Random:
    return random.Random(zlib.crc32("|".join(map(str, keys)).encode()))


def typo(label: str, rng: random.Random) -> str:
    """One random edit: a letter dropped, doubled or swapped with the next (labels of 5+ letters)."""
    if len(label) < 5:
        return label
    k = rng.randrange(1, len(label) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return label[:k] + label[k + 1:]
    if kind == 1:
        return label[:k] + label[k] + label[k:]
    return label[:k] + label[k + 1] + label[k] + label[k + 2:]


def free_text(sector: str, company: str, seed: int) -> str:
    """How one company types its sector: a spelling variant, a synonym or translation, or a typo."""
    rng = _rng("label", seed, company)
    kind = rng.random()
    if kind < 0.25:
        return rng.choice([sector.replace("_", " "), sector.replace("_", "-"), sector.replace("_", ""),
                           sector.upper(), sector.title(), f"{sector} startup"])
    if kind < 0.75 and sector in SYNONYMS:
        return rng.choice(SYNONYMS[sector])
    if kind < 0.9:
        return typo(sector.replace("_", " "), rng)
    return sector


def describe(sector: str, label: str, company: str, seed: int) -> str:
    rng = _rng("describe", seed, company)
    words = WORDS.get(sector, sector.replace("_", " ")).split()
    picked = rng.sample(words, min(3, len(words))) + rng.sample(GENERIC, 3)
    rng.shuffle(picked)
    # A company that typed its sector in another script writes its pitch around that label.
    foreign = any(ord(ch) > 0x2FF for ch in label)
    return f"{label} {' '.join(picked)}." if foreign else f"{company} {' '.join(picked)}."


def perturb_rows(rows: list[dict], variant: str, seed: int = 0) -> list[dict]:
    """A copy of the deal rows with the variant's changes to labels, stages and descriptions (portfolio
    thinning is done on the profiles: thin_profiles)."""
    out = []
    labels = variant in ("labels", "combined")
    stages = variant in ("stage", "combined")
    descriptions = variant in ("descriptions", "combined")
    for r in rows:
        r = dict(r)
        sector = r["sector"]
        if labels:
            r["sector"] = free_text(sector, r["company"], seed)
        if stages:
            rng = _rng("stage", seed, r["company"], r["year"], r["stage"], r["amount_usd"])
            if rng.random() < 0.4:
                r["stage"] = "other" if rng.random() < 0.5 else ""
        if descriptions:
            r["description"] = describe(sector, r["sector"], r["company"], seed)
        out.append(r)
    return out


INVESTOR_WORDS = "venture capital firm investing in early stage startups with global growth products".split()


def blurb(partner, seed: int) -> str:
    rng = _rng("blurb", seed, partner.name)
    focus = [d.sector for d in partner.portfolio[:1] if d.sector]
    return f"{partner.name} {' '.join(rng.sample(INVESTOR_WORDS, 6) + focus)}."


def perturb_profiles(partners: list, variant: str, seed: int = 0) -> list:
    """8 in 10 investors keep only 2-4 of their deals (all of them when they have fewer); investors get a blurb
    with the descriptions."""
    if variant in ("descriptions", "combined"):
        partners = [replace(p, description=blurb(p, seed)) for p in partners]
    if variant not in ("thin", "combined"):
        return partners
    out = []
    for p in partners:
        rng = _rng("thin", seed, p.name)
        if rng.random() < 0.8 and len(p.portfolio) > 2:
            keep = sorted(rng.sample(range(len(p.portfolio)), min(len(p.portfolio), rng.randint(2, 4))))
            p = replace(p, portfolio=tuple(p.portfolio[k] for k in keep))
        out.append(p)
    return out
