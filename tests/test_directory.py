"""The participants directory: names searched in any script (NFKC, case, Latin diacritics folded), filters by
kind, sector, stage, country and language that keep their values, counts, an empty state saying what to loosen;
the shortlist star (only one's own) and shortlisted organizations raised in "Recommended for you"."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from matchmaker.domain.directory import Criteria, loosening
from matchmaker.domain.directory import select as select_orgs
from matchmaker.domain.name_search import fold, name_matches
from matchmaker.enums import OrgKind, Role
from matchmaker.extensions import db
from matchmaker.models import Recommendation, ShortlistEntry


@pytest.mark.parametrize(("query", "name", "name_latin", "found"), [
    ("nguyen", "Nguyễn Văn An Co", None, True),
    ("NGUYỄN", "Nguyen Trading", None, True),
    ("van an", "Nguyễn Văn An Co", None, True),  # every word, in any order
    ("dang", "Đặng Robotics", None, True),  # a stroke no decomposition removes
    ("에이아이", "주식회사 에이아이", "AI Inc.", True),
    ("ai inc", "주식회사 에이아이", "AI Inc.", True),  # the Latin spelling is searched too
    ("ＡＩ", "AI Capital", None, True),  # full-width letters (NFKC)
    ("capital", "ＡＩ　Ｃａｐｉｔａｌ", None, True),
    ("สยาม", "บริษัท สยามเทค จำกัด", None, True),
    ("จำกัด", "บริษัท สยามเทค จำกัด", None, True),
    ("สยามเท็ค", "บริษัท สยามเทค จำกัด", None, False),  # Thai marks are letters: not folded away
    ("munchen", "Münchner Ventures", None, False),  # a different word stays different
    ("münch", "Munchner Ventures", None, True),
    ("", "Anything", None, True),
    ("zeta", "Alpha", "Beta", False),
])
def test_name_search_in_any_script(query, name, name_latin, found):
    assert name_matches(query, name, name_latin) is found


def test_fold_collapses_spaces_and_case():
    assert fold("  Sài   GÒN\tTech ") == "sai gon tech"
    assert fold(None) == ""


def _org(ident, **values):
    base = dict(id=ident, kind=OrgKind.INVESTOR, name=f"Org {ident}", name_latin=None, sectors={"ai": 1.0},
                stages=["seed"], country="US", languages=["en"])
    return SimpleNamespace(**{**base, **values})


ORGS = [
    _org(1, name="AI Capital", sectors={"ai": 1.0}, stages=["series-a"], country="US", languages=["en"]),
    _org(2, name="Care Ventures", sectors={"digital-health": 1.0}, country="SG", languages=["en", "zh"]),
    _org(3, kind=OrgKind.BUYER, name="Nguyễn Retail", sectors={"e-commerce": 1.0}, country="VN",
         languages=["vi", "en"]),
    _org(4, kind=OrgKind.BUYER, name="서울 바이어", name_latin="Seoul Buyer", country="KR", languages=["ko"]),
]


@pytest.mark.parametrize(("criteria", "ids"), [
    (Criteria(), [1, 2, 3, 4]),
    (Criteria(kind="buyer"), [3, 4]),
    (Criteria(sector="ai"), [1, 4]),
    (Criteria(stage="series-a"), [1]),
    (Criteria(country="VN"), [3]),
    (Criteria(language="en"), [1, 2, 3]),
    (Criteria(language="en", kind="buyer"), [3]),
    (Criteria(q="nguyen"), [3]),
    (Criteria(q="seoul"), [4]),
    (Criteria(q="서울"), [4]),
    (Criteria(shortlisted=True), [2]),
    (Criteria(country="VN", sector="ai"), []),
])
def test_directory_filters(criteria, ids):
    assert [o.id for o in select_orgs(ORGS, criteria, frozenset({2}))] == ids


def test_loosening_says_what_each_filter_left_out():
    criteria = Criteria(country="VN", sector="ai", q="zzz")
    assert loosening(ORGS, criteria) == {}  # no single filter brings anyone back
    assert loosening(ORGS, Criteria(country="VN", sector="ai")) == {"sector": 1, "country": 2}


# --- the page -------------------------------------------------------------------------------------

@pytest.fixture
def day(make_event, make_user, make_org, make_participation):
    """A company and four organizations of the other side, approved, and one company (its own side)."""
    event = make_event()
    company = make_user(Role.COMPANY)
    make_participation(event, company.organization)
    orgs = {
        "ai": make_org(OrgKind.INVESTOR, name="AI Capital", sectors={"ai": 1.0}, stages=["series-a"], country="US",
                       languages=["en"]),
        "care": make_org(OrgKind.INVESTOR, name="Care Ventures", sectors={"digital-health": 1.0}, stages=["seed"],
                         country="SG", languages=["en"]),
        "vn": make_org(OrgKind.BUYER, name="Nguyễn Retail", sectors={"e-commerce": 1.0}, country="VN",
                       languages=["vi"]),
        "kr": make_org(OrgKind.BUYER, name="서울 바이어", name_latin="Seoul Buyer", country="KR", languages=["ko"]),
        "rival": make_org(OrgKind.COMPANY, name="Rival Co"),
    }
    for org in orgs.values():
        make_participation(event, org)
    return event, company, orgs


def test_directory_filters_keep_their_values_and_count(client, auth, day):
    event, company, _orgs = day
    auth.login(company)
    page = client.get(f"/events/{event.id}/participants?kind=buyer&language=vi").get_data(as_text=True)
    assert "Nguyễn Retail" in page and "Seoul Buyer" not in page and "AI Capital" not in page
    assert '<option value="buyer" selected>' in page and '<option value="vi" selected>' in page
    assert "1 of 4 organizations" in page
    assert "Rival Co" not in client.get(f"/events/{event.id}/participants").get_data(as_text=True)


def test_directory_search_in_any_script(client, auth, day):
    event, company, _orgs = day
    auth.login(company)
    page = client.get(f"/events/{event.id}/participants", query_string={"q": "nguyen"}).get_data(as_text=True)
    assert "Nguyễn Retail" in page and "Care Ventures" not in page
    assert 'value="nguyen"' in page
    page = client.get(f"/events/{event.id}/participants", query_string={"q": "서울"}).get_data(as_text=True)
    assert "서울 바이어" in page and "AI Capital" not in page


def test_directory_empty_state_says_what_to_loosen(client, auth, day):
    event, company, _orgs = day
    auth.login(company)
    page = client.get(f"/events/{event.id}/participants?country=VN&sector=ai").get_data(as_text=True)
    assert "No organization matches all these filters." in page
    assert "Without the sector: 1 organization" in page
    assert "Without the country: 2 organizations" in page


@pytest.mark.parametrize("junk", ["<script>alert(1)</script>", "x" * 5000, "a\x1bb\x07c", "ZZ"])
def test_directory_hostile_input(client, auth, day, junk):
    event, company, _orgs = day
    auth.login(company)
    response = client.get(f"/events/{event.id}/participants",
                          query_string={"q": junk, "country": junk, "kind": junk, "sector": junk})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def _entries():
    return {(e.organization_id, e.target_id) for e in db.session.scalars(select(ShortlistEntry))}


def test_shortlist_star_on_and_off(client, auth, day):
    event, company, orgs = day
    auth.login(company)
    target = orgs["care"]
    response = client.post(f"/events/{event.id}/shortlist/{target.id}", data={"on": "1", "kind": "investor"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{event.id}/participants?kind=investor#org-{target.id}")
    client.post(f"/events/{event.id}/shortlist/{target.id}", data={"on": "1"})  # a double click acts once
    assert _entries() == {(company.organization_id, target.id)}
    page = client.get(f"/events/{event.id}/participants?shortlisted=1").get_data(as_text=True)
    assert "Care Ventures" in page and "AI Capital" not in page and "★" in page
    client.post(f"/events/{event.id}/shortlist/{target.id}", data={"on": "0"})
    assert _entries() == set()


def test_shortlist_refuses_own_side_and_outsiders(client, auth, day, make_org):
    event, company, orgs = day
    auth.login(company)
    for target in (orgs["rival"], make_org(OrgKind.INVESTOR), company.organization):
        page = client.post(f"/events/{event.id}/shortlist/{target.id}", data={"on": "1"},
                           follow_redirects=True).get_data(as_text=True)
        assert "You can only shortlist organizations of the other side of this day." in page
    assert _entries() == set()


def test_shortlists_are_private(client, auth, day, make_user, make_participation):
    event, company, orgs = day
    other = make_user(Role.COMPANY)
    make_participation(event, other.organization)
    db.session.add(ShortlistEntry(organization_id=other.organization_id, target_id=orgs["care"].id))
    db.session.commit()
    auth.login(company)
    page = client.get(f"/events/{event.id}/participants?shortlisted=1").get_data(as_text=True)
    assert "Care Ventures" not in page and "★" not in page  # the other company's star is not ours
    client.post(f"/events/{event.id}/shortlist/{orgs['care'].id}", data={"on": "0"})
    assert _entries() == {(other.organization_id, orgs["care"].id)}  # cannot take someone else's off


def test_shortlisted_raised_in_recommendations(client, auth, day):
    event, company, orgs = day
    for rank, key in enumerate(["ai", "care", "vn"], start=1):
        db.session.add(Recommendation(event_id=event.id, company_id=company.organization_id,
                                      partner_id=orgs[key].id, rank=rank, score=1 - rank / 10, reasons=[]))
    db.session.add_all([ShortlistEntry(organization_id=company.organization_id, target_id=orgs[k].id)
                        for k in ("vn", "kr")])
    db.session.commit()
    auth.login(company)
    page = client.get(f"/events/{event.id}/recommended").get_data(as_text=True)
    order = [page.index(name) for name in ("Nguyễn Retail", "Seoul Buyer", "AI Capital", "Care Ventures")]
    assert order == sorted(order)
    assert page.count("On your shortlist") == 2
    stored = db.session.scalars(select(Recommendation).order_by(Recommendation.rank)).all()
    assert [r.partner_id for r in stored] == [orgs["ai"].id, orgs["care"].id, orgs["vn"].id]  # ranking unchanged
