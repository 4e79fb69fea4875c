"""Check-in finds people by any of their names: Korean names are romanized as a suggestion, the desk's search
matches either script ignoring case, spaces and hyphens; the no-show reason starts empty and is required."""

import pytest
from builders.clients import AGREED
from builders.dayops import build_day
from builders.workbooks import csv_bytes
from sqlalchemy import select

from matchmaker.domain.people_search import matches, searchable_names
from matchmaker.domain.profile_rows import Vocabulary, read
from matchmaker.domain.romanize import suggest_latin_name
from matchmaker.enums import Role
from matchmaker.extensions import db
from matchmaker.models import NoShow, User
from matchmaker.services import checkin as service


@pytest.mark.parametrize(("name", "latin"), [
    ("김민준", "Kim Minjun"),
    ("이서연", "Lee Seoyeon"),
    ("박지훈", "Park Jihun"),
    ("최유리", "Choi Yuri"),
    ("정하늘", "Jung Haneul"),
    ("윤 서준", "Yoon Seojun"),  # written with a space
    ("남궁민수", "Namgoong Minsu"),  # a two-syllable surname
    ("홍길동", "Hong Gildong"),
    ("한별", "Han Byeol"),
    ("김", "Kim"),
    ("탁빛나", "Tak Bitna"),
    ("이 Anna", "Lee Anna"),  # Latin letters kept
    ("John Smith", None),  # nothing to suggest
    ("", None),
    (None, None),
])
def test_korean_names_romanized(name, latin):
    assert suggest_latin_name(name) == latin


@pytest.mark.parametrize(("query", "found"), [
    ("kim minjun", True), ("minjun", True), ("KIM", True), ("김민준", True), ("민준", True),
    ("kimminjun", True), ("Min-jun", True), ("  kim   MINJUN ", True), ("", True),
    ("lee", False), ("서연", False), ("kim seo", False),
])
def test_search_matches_either_script(query, found):
    assert matches(query, searchable_names("김민준", None)) is found


def test_a_stored_latin_name_replaces_the_suggestion():
    names = searchable_names("김민준", "Gim Min-joon")
    assert matches("gim minjoon", names) and matches("김민준", names) and not matches("kim minjun", names)


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation)
    day.users["c1"].name = "김민준"
    day.orgs["c2"].name = "딥비전"
    day.orgs["c2"].name_latin = "DeepVision"
    day.users["i1"].name = "이서연"
    day.users["i1"].name_latin = "Seoyeon Lee"
    db.session.commit()
    day.meet("c1", "i1", 0)
    return day


@pytest.mark.parametrize(("term", "found"), [
    ("kim minjun", ["c1"]), ("minjun", ["c1"]), ("KIM", ["c1"]), ("김민준", ["c1"]), ("민준", ["c1"]),
    ("deep vision", ["c2"]), ("deepvision", ["c2"]), ("딥비전", ["c2"]), ("Deep-Vision", ["c2"]),
    ("seoyeon lee", ["i1"]), ("이서연", ["i1"]), ("lee seoyeon", []),  # the stored spelling, not the suggestion
])
def test_desk_search_finds_people_and_organizations(day, term, found):
    got = [p.organization_id for p in service.search_participants(day.event, term)]
    assert got == [day.orgs[key].id for key in found]


def test_checkin_page_finds_kim_minjun(client, auth, day):
    auth.login(day.staff)
    page = client.get(f"/staff/events/{day.event.id}/checkin", query_string={"q": "kim minjun"}).get_data(True)
    assert "Org c1" in page and "Org c2" not in page and "Org i1" not in page


def test_no_show_reason_starts_empty_and_is_required(client, auth, day):
    meeting = day.meetings["c1", "i1"]
    p = day.participations["c1"]
    auth.login(day.staff)
    page = client.get(f"/staff/participations/{p.id}/day").get_data(as_text=True)
    assert '<option value="">Choose a reason</option>' in page
    assert "Mark absent" in page and "Record no-show" in page and "not coming today at all" in page
    response = client.post(f"/staff/meetings/{meeting.id}/missed", data={
        "organization_id": day.orgs["i1"].id, "reason": "", "note": "stuck in traffic", "participation_id": p.id,
    })
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose why they did not come." in page
    assert 'value="stuck in traffic"' in page  # what was typed is kept
    assert f'<option value="{day.orgs["i1"].id}" selected>' in page
    assert db.session.scalars(select(NoShow)).all() == []


def test_absence_reason_message_is_under_the_field(client, auth, day):
    auth.login(day.staff)
    p = day.participations["c1"]
    response = client.post(f"/staff/participations/{p.id}/absent", data={"reason": "", "note": "flu"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<ul class="errors" id="reason-error-{p.id}"><li>Choose the reason for the absence.</li>' in page
    assert 'value="flu"' in page


# --- where the Latin name is asked ---------------------------------------------------------------

def test_registration_asks_the_latin_name(client):
    client.post("/register", data={
        "kind": "company", "organization_name": "딥비전", "country": "KR", "name": "김민준",
        "name_latin": "  Kim Min-jun ", "email": "minjun@deepvision.example", "password": "a-long-enough-password",
        "confirm": "a-long-enough-password", "locale": "ko", "timezone": "Asia/Seoul", **AGREED,
    })
    user = db.session.scalar(select(User).where(User.email == "minjun@deepvision.example"))
    assert (user.name, user.name_latin) == ("김민준", "Kim Min-jun")


def test_settings_suggest_a_romanization_and_save_the_change(client, auth, make_user):
    user = make_user(name="이서연")
    auth.login(user)
    page = client.get("/settings").get_data(as_text=True)
    assert 'value="Lee Seoyeon"' in page  # the suggestion, pre-filled
    response = client.post("/settings", data={"name": "이서연", "name_latin": "Yi Seo-yeon", "locale": "en",
                                              "timezone": "Asia/Seoul", "calendar": "gregorian"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.name_latin == "Yi Seo-yeon"
    assert 'value="Yi Seo-yeon"' in client.get("/settings").get_data(as_text=True)


VOCABULARY = Vocabulary(sectors=frozenset({"ai"}), stages=frozenset({"seed"}), locales=frozenset({"en", "ko"}))


def test_import_reads_the_contact_latin_name_and_old_files_still_import():
    new = csv_bytes([["kind", "name", "email", "contact_name", "contact_name_latin"],
                     ["company", "딥비전", "a@deep.example", "김민준", "Kim Min-jun"]])
    old = csv_bytes([["kind", "name", "email", "contact_name"], ["company", "딥비전", "a@deep.example", "김민준"]])
    (row,) = read("p.csv", new, VOCABULARY).rows
    assert row.values["contact_name_latin"] == "Kim Min-jun" and row.problems == []
    (row,) = read("p.csv", old, VOCABULARY).rows
    assert "contact_name_latin" not in row.values and row.problems == []
    too_long = csv_bytes([["kind", "name", "email", "contact_name_latin"],
                          ["company", "딥비전", "a@deep.example", "x" * 201]])
    (row,) = read("p.csv", too_long, VOCABULARY).rows
    assert [(p.field, p.code) for p in row.problems] == [("contact_name_latin", "too_long")]


def test_staff_correct_a_contact_latin_name_on_the_organization_page(client, auth, day, make_user, make_office):
    auth.login(day.staff)
    org = day.orgs["c1"]
    user = day.users["c1"]
    page = client.get(f"/staff/organizations/{org.id}").get_data(as_text=True)
    assert 'value="Kim Minjun"' in page  # the suggestion, to save or correct
    response = client.post(f"/staff/people/{user.id}/latin-name", data={"name_latin": "Gim Min-jun"})
    assert response.headers["Location"] == f"/staff/organizations/{org.id}"
    db.session.refresh(user)
    assert user.name_latin == "Gim Min-jun"
    assert [p.organization_id for p in service.search_participants(day.event, "gim minjun")] == [org.id]
    response = client.post(f"/staff/people/{user.id}/latin-name", data={"name_latin": "x" * 201})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="latin-{user.id}-errors"' in page and 'value="' + "x" * 201 + '"' in page
    db.session.refresh(user)
    assert user.name_latin == "Gim Min-jun"
    # another office's staff: not found
    auth.logout()
    auth.login(make_user(Role.STAFF, office_id=make_office().id))
    assert client.post(f"/staff/people/{user.id}/latin-name", data={"name_latin": "X"}).status_code == 404
