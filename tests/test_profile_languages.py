"""Profiles in several languages on the web: the profile page edits each language's description side by side, a
partner reads the description in their language (else English, else the original marked) on every page that shows
one, and the recommender reads them all."""

import re

import pytest
from sqlalchemy import select

from matchmaker.enums import OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog
from matchmaker.services import recommendations

KOREAN = "창고용 자율주행 로봇을 만듭니다"
ENGLISH = "We build autonomous robots for warehouses"
INDONESIAN = "Kami membuat robot gudang otomatis"
FORM = {"name": "한빛 로보틱스", "timezone": "Asia/Seoul", "sectors": ["ai"], "stages": ["series-a"]}


@pytest.fixture
def company(make_user, make_org):
    org = make_org(OrgKind.COMPANY, name="한빛 로보틱스", name_latin="Hanbit Robotics")
    return make_user(Role.COMPANY, organization=org, locale="en")


def saved(org):
    db.session.refresh(org)
    return org.description, org.description_lang, org.texts


def test_profile_page_offers_korean_english_and_the_offices_language(client, auth, company, make_office,
                                                                      make_program, make_event,
                                                                      make_participation):
    jakarta = make_office(name="Jakarta", timezone="Asia/Jakarta", locale="id")
    make_participation(make_event(make_program(jakarta)), company.organization)
    auth.login(company)
    page = client.get("/profile").get_data(as_text=True)
    boxes = re.findall(r'<textarea[^>]*name="(description_\w+)"', page)
    assert boxes == ["description_ko", "description_en", "description_id"]
    assert '<label for="description_id">Indonesian</label>' in page  # named in the reader's language


def test_profile_form_saves_the_texts_side_by_side(client, auth, company):
    auth.login(company)
    response = client.post("/profile", data={**FORM, "description_ko": KOREAN + "\r\n둘째 줄",
                                             "description_en": ENGLISH})
    assert response.headers["Location"] == "/profile"
    assert saved(company.organization) == (KOREAN + "\n둘째 줄", "ko", {
        "ko": {"description": KOREAN + "\n둘째 줄"}, "en": {"description": ENGLISH}})
    page = client.get("/profile").get_data(as_text=True)
    assert ENGLISH in page and "(original)" in page  # untranslated yet: the catalogs get it in the last pass
    assert db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()[-1] == "update_profile"


def test_profile_form_an_english_original_stays_the_original_when_korean_is_added(client, auth, company):
    auth.login(company)
    client.post("/profile", data={**FORM, "description_en": ENGLISH})
    client.post("/profile", data={**FORM, "description_en": ENGLISH, "description_ko": KOREAN})
    assert saved(company.organization)[:2] == (ENGLISH, "en")


def test_profile_form_an_empty_box_removes_that_language(client, auth, company):
    org = company.organization
    org.description, org.description_lang = KOREAN, "ko"
    org.texts = {"ko": {"description": KOREAN}, "en": {"description": ENGLISH}}
    db.session.commit()
    auth.login(company)
    client.post("/profile", data={**FORM, "description_ko": "", "description_en": ENGLISH})
    assert saved(org) == (ENGLISH, "en", {"en": {"description": ENGLISH}})


@pytest.mark.parametrize(("changes", "message"), [
    ({"ticket_min_usd": "100", "ticket_max_usd": "10"}, "The upper end must not be below the lower end."),
    ({"description_en": "x" * 5001}, "Field cannot be longer than 5000 characters."),
])
def test_profile_form_errors_keep_every_typed_text_and_save_nothing(client, auth, company, changes, message):
    auth.login(company)
    response = client.post("/profile", data={**FORM, "description_ko": KOREAN, "description_en": ENGLISH,
                                             **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert KOREAN in page and (ENGLISH in page or "x" * 5001 in page)
    assert saved(company.organization) == (None, None, {})


def test_profile_form_counts_a_browsers_line_break_once(client, auth, company):
    auth.login(company)
    client.post("/profile", data={**FORM, "description_en": "line\r\n" * 1000})  # 6,000 sent, 5,000 kept
    assert saved(company.organization)[0] == ("line\n" * 1000).strip()


def test_profile_form_leaves_control_characters_out(client, auth, company):
    auth.login(company)
    client.post("/profile", data={**FORM, "description_en": "Robots\x0b for\x1b warehouses"})
    assert saved(company.organization)[0] == "Robots for warehouses"


# --- reading: the English-speaking investor, the Korean company that wrote both ---------------------------------

@pytest.fixture
def pair(two_by_two, make_request):
    """The Korean AI company with a description in Korean (its original) and English, and the investor."""
    event, ai, health, ai_vc, health_vc = two_by_two
    org = ai.organization
    org.description, org.description_lang = KOREAN, "ko"
    org.texts = {"ko": {"description": KOREAN}, "en": {"description": ENGLISH}}
    db.session.commit()
    return event, ai, ai_vc


def test_english_reader_reads_english_on_the_request_and_recommendations_pages(client, auth, pair, make_request,
                                                                             add_meeting):
    event, company, investor = pair
    item = make_request(event, company.organization, investor.organization, status=RequestStatus.ACCEPTED)
    meeting = add_meeting(item)
    event.published = True  # participants see their meetings once the schedule is published
    db.session.commit()
    auth.login(investor)
    pages = {
        "request": f"/requests/{item.id}",
        "recommended": f"/events/{event.id}/recommended",
        "directory": f"/events/{event.id}/participants",
        "meeting": f"/meetings/{meeting.id}",
    }
    for name, url in pages.items():
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert ENGLISH in page, name
        assert KOREAN not in page, name


def test_english_reader_reads_english_on_the_request_form(client, auth, pair):
    event, company, investor = pair
    auth.login(investor)
    page = client.get(f"/events/{event.id}/request/{company.organization_id}").get_data(as_text=True)
    assert f'<p class="profile-text" lang="en">{ENGLISH}</p>' in page


def test_korean_reader_reads_the_korean_text(client, auth, pair):
    event, company, investor = pair
    investor.locale = "ko"
    db.session.commit()
    auth.login(investor)
    page = client.get(f"/events/{event.id}/request/{company.organization_id}").get_data(as_text=True)
    assert KOREAN in page and ENGLISH not in page


def test_a_text_in_neither_language_is_shown_marked_with_its_language(client, auth, pair):
    event, company, investor = pair
    company.organization.texts = {"ko": {"description": KOREAN}}
    db.session.commit()
    auth.login(investor)
    page = client.get(f"/events/{event.id}/request/{company.organization_id}").get_data(as_text=True)
    assert f'lang="ko">{KOREAN} <span class="muted" lang="en">(in Korean)</span>' in page


def test_a_description_is_shown_escaped(client, auth, pair):
    event, company, investor = pair
    company.organization.texts = {"en": {"description": "<script>alert(1)</script> robots"}}
    db.session.commit()
    auth.login(investor)
    page = client.get(f"/events/{event.id}/request/{company.organization_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; robots" in page
    assert "<script>alert(1)" not in page


def test_printed_briefs_in_the_briefs_language(client, auth, pair, make_user):
    event, company, investor = pair
    auth.login(make_user(Role.STAFF, office_id=event.program.office_id, locale="ko"))
    english = client.get(f"/staff/events/{event.id}/print/briefs?lang=en").get_data(as_text=True)
    korean = client.get(f"/staff/events/{event.id}/print/briefs").get_data(as_text=True)
    assert ENGLISH in english and KOREAN not in english
    assert KOREAN in korean and ENGLISH not in korean


def test_staff_organization_page_lists_every_language(client, auth, pair, make_user):
    event, company, investor = pair
    auth.login(make_user(Role.STAFF, office_id=event.program.office_id))
    page = client.get(f"/staff/organizations/{company.organization_id}").get_data(as_text=True)
    assert ENGLISH in page and KOREAN in page
    assert "The description in every language (2)" in page


def test_the_recommender_reads_every_language(pair):
    event, company, investor = pair
    assert recommendations.profile_of(company.organization).description == f"{KOREAN}\n\n{ENGLISH}"
    assert recommendations.profile_of(investor.organization).description == ""
    company.organization.texts = {}
    assert recommendations.profile_of(company.organization).description == KOREAN  # one text as it is
