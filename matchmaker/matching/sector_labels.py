"""Sector labels as people type them, mapped onto one code per sector: "핀테크", "fin-tech", "Financial Services"
and "fintech" all become "fintech", so that a company and a partner who typed the same sector differently meet.

The table below is built from the vocabulary (matchmaker/vocabulary.py's codes and English labels, and their
ko/th/vi/id translations from the catalogs, translations/GLOSSARY.md) plus common synonyms and the categories of
other taxonomies (CrunchBase's `games_video`, `network_hosting`…); never from a data set. A label is looked up:
  1. as typed, normalized (NFKC, case-folded, separators and spacing removed: "E Commerce" == "ecommerce");
  2. without filler words ("ai startup" -> "ai", "foodtech" -> "food") and parentheses;
  3. by character-trigram similarity to every alias (typos: "fintech" ~ "fintec"), for labels of 5+ letters;
otherwise it is kept as its own normalized text, so two unknown labels typed alike still meet each other.

Nothing here imports Flask (the vocabulary module does, so its codes are repeated here; a test keeps them equal).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# code -> aliases (English label and synonyms, then ko, th, vi, id). The first 20 codes are the vocabulary's.
ALIASES: dict[str, tuple[str, ...]] = {
    "ai": ("artificial intelligence", "ai", "a.i.", "machine learning", "ml", "deep learning", "인공지능",
           "ปัญญาประดิษฐ์", "trí tuệ nhân tạo", "kecerdasan buatan"),
    "ai-chips": ("ai chips and semiconductors", "ai chips", "semiconductor", "semiconductors", "chips", "chip",
                 "ai 반도체", "반도체", "ชิป ai และเซมิคอนดักเตอร์", "เซมิคอนดักเตอร์", "chip ai và bán dẫn", "bán dẫn",
                 "chip ai dan semikonduktor", "semikonduktor"),
    "cloud": ("cloud infrastructure", "cloud", "cloud computing", "hosting", "network hosting", "data center",
              "클라우드 인프라", "클라우드", "โครงสร้างพื้นฐานคลาวด์", "คลาวด์", "hạ tầng điện toán đám mây",
              "điện toán đám mây", "infrastruktur cloud"),
    "saas": ("saas and enterprise software", "saas", "enterprise software", "enterprise", "b2b software", "b2b saas",
             "saas·기업용 소프트웨어", "기업용 소프트웨어", "saas และซอฟต์แวร์สำหรับองค์กร", "ซอฟต์แวร์สำหรับองค์กร",
             "saas và phần mềm doanh nghiệp", "phần mềm doanh nghiệp", "saas dan perangkat lunak perusahaan",
             "perangkat lunak perusahaan"),
    "software": ("software", "sw", "software development", "소프트웨어", "ซอฟต์แวร์", "phần mềm", "perangkat lunak"),
    "metaverse": ("metaverse, xr and digital twins", "metaverse", "xr", "vr", "ar", "virtual reality",
                  "augmented reality", "digital twin", "digital twins", "메타버스·xr·디지털 트윈", "메타버스",
                  "เมตาเวิร์ส xr และดิจิทัลทวิน", "เมตาเวิร์ส", "metaverse, xr và bản sao số",
                  "metaverse, xr, dan digital twin"),
    "digital-health": ("digital health", "health", "healthcare", "health care", "healthtech", "health tech",
                       "디지털 헬스케어", "헬스케어", "สุขภาพดิจิทัล", "y tế số", "y tế", "kesehatan digital", "kesehatan"),
    "biotech": ("biotech", "biotechnology", "bio", "life sciences", "pharma", "바이오", "생명공학",
                "เทคโนโลยีชีวภาพ", "công nghệ sinh học", "bioteknologi"),
    "fintech": ("fintech", "finance", "financial services", "financial technology", "payments", "banking",
                "핀테크", "금융", "ฟินเทค", "การเงิน", "công nghệ tài chính (fintech)", "công nghệ tài chính",
                "tài chính", "teknologi finansial", "keuangan"),
    "cybersecurity": ("cybersecurity", "cyber security", "security", "infosec", "information security",
                      "사이버 보안", "보안", "ความมั่นคงปลอดภัยไซเบอร์", "ความปลอดภัยไซเบอร์", "an ninh mạng",
                      "keamanan siber"),
    "mobility": ("mobility and autonomous driving", "mobility", "autonomous driving", "automotive",
                 "transportation", "self-driving", "모빌리티·자율주행", "모빌리티", "자율주행",
                 "โมบิลิตี้และยานยนต์ไร้คนขับ", "di chuyển thông minh và xe tự hành", "mobilitas dan kendaraan otonom",
                 "mobilitas"),
    "robotics": ("robotics", "robots", "robot", "로봇", "หุ่นยนต์", "robotika"),
    "iot": ("iot and smart devices", "iot", "internet of things", "smart devices", "iot·스마트 기기",
            "iot และอุปกรณ์อัจฉริยะ", "iot và thiết bị thông minh", "iot dan perangkat pintar"),
    "edtech": ("education technology", "edtech", "education", "e-learning", "에듀테크", "교육",
               "เทคโนโลยีการศึกษา", "การศึกษา", "công nghệ giáo dục (edtech)", "giáo dục", "teknologi pendidikan",
               "pendidikan"),
    "gaming": ("games and content", "games", "gaming", "game", "video games", "games video", "게임·콘텐츠", "게임",
               "เกมและคอนเทนต์", "เกม", "game và nội dung số", "trò chơi", "gim dan konten", "gim"),
    "e-commerce": ("e-commerce and retail tech", "e-commerce", "ecommerce", "online retail", "retail tech",
                   "retail", "online shopping", "이커머스·리테일 테크", "이커머스", "전자상거래",
                   "อีคอมเมิร์ซและเทคโนโลยีค้าปลีก", "อีคอมเมิร์ซ", "thương mại điện tử và công nghệ bán lẻ",
                   "thương mại điện tử", "e-commerce dan teknologi ritel", "perdagangan elektronik"),
    "energy": ("energy and climate tech", "energy", "climate tech", "cleantech", "clean tech", "clean energy",
               "renewable energy", "에너지·기후테크", "에너지", "기후테크", "พลังงานและเทคโนโลยีด้านสภาพภูมิอากาศ",
               "พลังงาน", "năng lượng và công nghệ khí hậu", "năng lượng", "energi dan teknologi iklim", "energi"),
    "manufacturing": ("smart manufacturing", "manufacturing", "industry 4.0", "스마트 제조", "제조",
                      "การผลิตอัจฉริยะ", "sản xuất thông minh", "manufaktur cerdas", "manufaktur"),
    "telecom": ("telecommunications and 5g", "telecom", "telecommunications", "5g", "통신·5g", "통신",
                "โทรคมนาคมและ 5g", "โทรคมนาคม", "viễn thông và 5g", "viễn thông", "telekomunikasi dan 5g",
                "telekomunikasi"),
    "blockchain": ("blockchain", "web3", "crypto", "블록체인", "บล็อกเชน"),
    # Sectors of other taxonomies that the vocabulary does not name.
    "web": ("web", "internet", "web services", "웹", "인터넷", "เว็บ", "อินเทอร์เน็ต", "internet"),
    "mobile": ("mobile", "mobile apps", "mobile app", "apps", "모바일", "โมบาย", "di động", "seluler"),
    "advertising": ("advertising", "adtech", "ad tech", "ads", "marketing", "광고", "โฆษณา", "quảng cáo",
                    "periklanan"),
    "hardware": ("hardware", "devices", "electronics", "하드웨어", "ฮาร์ดแวร์", "phần cứng", "perangkat keras"),
    "analytics": ("analytics", "data analytics", "big data", "data", "데이터 분석", "빅데이터",
                  "การวิเคราะห์ข้อมูล", "phân tích dữ liệu", "analitik data"),
    "social": ("social", "social media", "social network", "social networking", "소셜", "소셜 미디어",
               "โซเชียลมีเดีย", "mạng xã hội", "media sosial"),
    "medtech": ("medical", "medical devices", "medtech", "med tech", "의료기기", "의료", "อุปกรณ์การแพทย์",
                "thiết bị y tế", "alat kesehatan"),
    "logistics": ("logistics", "supply chain", "freight", "delivery", "물류", "로지스틱스", "공급망",
                  "โลจิสติกส์", "ห่วงโซ่อุปทาน", "hậu cần", "chuỗi cung ứng", "logistik", "rantai pasok"),
    "food": ("food", "foodtech", "food and beverage", "f&b", "푸드테크", "식품", "외식", "อาหาร", "ฟู้ดเทค",
             "thực phẩm", "công nghệ thực phẩm", "makanan", "makanan dan minuman"),
    "agritech": ("agritech", "agtech", "agriculture", "farming", "smart farm", "애그테크", "농업", "스마트팜",
                 "เกษตร", "การเกษตร", "เทคโนโลยีการเกษตร", "nông nghiệp", "pertanian", "agrikultur"),
    "proptech": ("proptech", "real estate", "property", "construction tech", "프롭테크", "부동산",
                 "อสังหาริมทรัพย์", "bất động sản", "properti", "real estat"),
    "insurtech": ("insurtech", "insurance", "인슈어테크", "보험", "ประกันภัย", "ประกัน", "bảo hiểm", "asuransi"),
    "travel": ("travel", "tourism", "traveltech", "hospitality", "여행", "관광", "การท่องเที่ยว", "ท่องเที่ยว",
               "du lịch", "pariwisata", "perjalanan", "wisata"),
    "hr": ("hr", "hr tech", "hrtech", "human resources", "recruiting", "recruitment", "인사", "채용", "hr테크",
           "ทรัพยากรบุคคล", "nhân sự", "tuyển dụng", "sdm", "sumber daya manusia", "rekrutmen"),
    "media": ("media", "news", "publishing", "digital media", "미디어", "언론", "สื่อ", "สื่อดิจิทัล",
              "truyền thông", "báo chí", "media digital"),
    "fashion": ("fashion", "apparel", "패션", "แฟชั่น", "thời trang", "fesyen"),
    "beauty": ("beauty", "cosmetics", "beauty tech", "뷰티", "화장품", "ความงาม", "เครื่องสำอาง", "làm đẹp",
               "mỹ phẩm", "kecantikan", "kosmetik"),
    "legal": ("legal", "legaltech", "law", "리걸테크", "법률", "กฎหมาย", "pháp lý", "luật", "hukum"),
    "space": ("space", "spacetech", "aerospace", "우주", "항공우주", "อวกาศ", "การบินและอวกาศ", "hàng không vũ trụ",
              "vũ trụ", "antariksa", "dirgantara"),
}
VOCABULARY_CODES = tuple(list(ALIASES)[:20])

# Words that say nothing about the sector: "ai startup" is "ai", "food tech" is "food".
FILLER = ("startup", "startups", "company", "companies", "sector", "industry", "business", "solutions",
          "services", "platform", "tech", "technology", "technologies", "스타트업", "기업", "산업", "분야")
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)
_PARENS = re.compile(r"\([^)]*\)")
_MIN_FUZZY = 5  # shorter labels ("ai", "iot") only match exactly: one typo there is another word
_SIMILAR = 0.7  # Dice coefficient of character trigrams that counts as the alias without an edit-distance check


def compact(label: str) -> str:
    """NFKC, case-folded, every separator and space removed: "E-Commerce" and "e commerce" -> "ecommerce"."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", label).casefold())


def _words(label: str) -> list[str]:
    return [w for w in _SEPARATORS.split(unicodedata.normalize("NFKC", label).casefold()) if w]


def _trigrams(text: str) -> frozenset[str]:
    padded = f"^{text}$"
    return frozenset(padded[k: k + 3] for k in range(len(padded) - 2))


def typo_distance(a: str, b: str) -> int:
    """Edits (a letter dropped, added, changed, or two neighbours swapped) from a to b."""
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1]


def _allowed_edits(text: str) -> int:
    return 1 if len(text) < 11 else 2


def _build() -> tuple[dict[str, str], list[tuple[str, frozenset[str], str]]]:
    exact: dict[str, str] = {}
    for code, aliases in ALIASES.items():
        for alias in (code, *aliases):
            for form in {compact(alias), compact(_PARENS.sub(" ", alias))}:
                exact.setdefault(form, code)
    fuzzy = [(form, _trigrams(form), code) for form, code in exact.items() if len(form) >= _MIN_FUZZY]
    return exact, fuzzy


_EXACT, _FUZZY = _build()


def _strip_filler(label: str) -> str:
    words = [w for w in _words(_PARENS.sub(" ", label)) if w not in FILLER]
    text = "".join(words)
    for suffix in ("tech", "technology"):  # "foodtech", "agritech": the sector is what precedes
        if text.endswith(suffix) and len(text) > len(suffix) + 2 and text not in _EXACT:
            text = text[: -len(suffix)]
    return text


@lru_cache(maxsize=65536)
def canonical_sector(label: str) -> str:
    """The sector code a typed label means, or its own normalized text when it names no known sector."""
    form = compact(label)
    if not form:
        return ""
    if form in _EXACT:
        return _EXACT[form]
    stripped = _strip_filler(label)
    if stripped in _EXACT:
        return _EXACT[stripped]
    for candidate in dict.fromkeys((form, stripped)):
        if len(candidate) >= _MIN_FUZZY:
            grams = _trigrams(candidate)
            edits = _allowed_edits(candidate)
            scored = sorted((-2 * len(grams & g) / (len(grams) + len(g)), alias, c) for alias, g, c in _FUZZY
                            if abs(len(alias) - len(candidate)) <= edits)
            for score, alias, code in scored[:8]:
                if -score >= _SIMILAR or typo_distance(candidate, alias) <= edits:
                    return code
    return stripped or form


def canonical_sectors(weights: dict[str, float]) -> dict[str, float]:
    """A profile's sector weights with every label mapped (labels that mean the same sector add up)."""
    out: dict[str, float] = {}
    for label, weight in weights.items():
        code = canonical_sector(label)
        if code:
            out[code] = out.get(code, 0.0) + weight
    return out
