"""Website addresses from a participant file follow the profile form's rule (http or https only), and a stored
address that is not one (a row saved before the rule) is shown as text, never as a link, wherever it appears."""

import pytest
from builders import import_desk
from builders.import_desk import upload
from builders.workbooks import csv_bytes, jsonl_bytes, xlsx_bytes
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from matchmaker.domain.links import is_web_url
from matchmaker.enums import ImportStatus, OrgKind, ParticipationStatus
from matchmaker.extensions import db
from matchmaker.models import ImportBatch, Organization
from matchmaker.profiles.forms import ProfileForm
from matchmaker.security import external_link

office, staff, event = import_desk.office, import_desk.staff, import_desk.event  # the shared fixtures

HEADER = ["id", "kind", "name", "email", "sectors", "country", "website"]
HOSTILE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    "\x01\x02javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript://hanbit.example/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example",
    "evil.example",
    "https://user:pw@evil.example",
    "ftp://files.example",
]
GOOD = ["https://hanbit.example", "http://hanbit.example/en?x=1", "HTTPS://HANBIT.EXAMPLE", "https://203.0.113.9/"]


def _rows(website):
    return [HEADER, ["KR-1", "company", "Hanbit Robotics", "ceo@hanbit.example", "ai", "KR", website]]


def _batch() -> ImportBatch:
    db.session.expire_all()
    return db.session.scalars(select(ImportBatch)).one()


FILES = {"csv": (csv_bytes, "p.csv"), "xlsx": (xlsx_bytes, "p.xlsx"), "jsonl": (jsonl_bytes, "p.jsonl")}
# A workbook cannot hold control characters (XML refuses them): those values come in CSV and JSON Lines only.
CASES = [(kind, website) for website in HOSTILE for kind in FILES
         if not (kind == "xlsx" and any(ord(c) < 32 and c not in "\t\n\r" for c in website))]


@pytest.mark.parametrize(("kind", "website"), CASES)
def test_imported_website_that_is_not_http_is_a_problem_and_nothing_is_imported(client, staff, event, kind,
                                                                                  website):
    build, name = FILES[kind]
    assert upload(client, event, build(_rows(website)), name).status_code == 302
    batch = _batch()

    assert [p["code"] for p in batch.rows[0]["problems"]] == ["bad_url"]
    page = client.get(f"/staff/imports/{batch.id}").get_data(as_text=True)
    assert "Website: Not a web address starting with http:// or https://" in page
    client.post(f"/staff/imports/{batch.id}/confirm")
    assert _batch().status == ImportStatus.PREVIEW
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 0


@pytest.mark.parametrize("website", GOOD)
def test_imported_http_websites_are_kept(client, staff, event, website):
    assert upload(client, event, csv_bytes(_rows(website)), "p.csv").status_code == 302
    batch = _batch()
    assert batch.rows[0]["problems"] == []

    client.post(f"/staff/imports/{batch.id}/confirm")

    assert db.session.scalars(select(Organization)).one().website == website


@pytest.mark.parametrize("value", HOSTILE + GOOD + ["https://localhost", "https://a.example:99999", "", "  "])
def test_the_import_rule_is_the_profile_forms_rule(app, value):
    with app.test_request_context():
        form = ProfileForm(formdata=MultiDict({"website": value}), meta={"csrf": False})
        form.validate()
    assert is_web_url(value) == (value.strip() != "" and "website" not in form.errors)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_stored_address_that_is_not_http_is_shown_as_text(app, value):
    with app.test_request_context():
        html = str(external_link(value))
    assert "<a " not in html and "href" not in html
    assert "<script>" not in html


def test_an_http_address_is_a_link_with_its_text_escaped(app):
    with app.test_request_context():
        html = str(external_link('https://hanbit.example/?q="><script>'))
    assert html == ('<a href="https://hanbit.example/?q=&#34;&gt;&lt;script&gt;" rel="noopener noreferrer">'
                    'https://hanbit.example/?q=&#34;&gt;&lt;script&gt;</a>')


@pytest.mark.parametrize("value", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x"])
def test_staff_pages_show_an_old_hostile_website_as_text(client, staff, event, make_org, make_participation,
                                                          value):
    org = make_org(OrgKind.COMPANY, website=value)
    make_participation(event, org, ParticipationStatus.APPLIED)
    good = make_org(OrgKind.INVESTOR, website="https://fine.example")
    make_participation(event, good, ParticipationStatus.APPLIED)  # staff see their office's organizations

    organization_page = client.get(f"/staff/organizations/{org.id}").get_data(as_text=True)
    reviews_page = client.get("/staff/reviews").get_data(as_text=True)
    good_page = client.get(f"/staff/organizations/{good.id}").get_data(as_text=True)

    for page in (organization_page, reviews_page):
        assert 'href="javascript' not in page.lower() and 'href=" javascript' not in page.lower()
        assert 'href="data:' not in page
    assert value.strip().split(":")[0] in organization_page  # still shown, as text
    assert '<a href="https://fine.example" rel="noopener noreferrer">' in good_page


def test_a_member_page_shows_an_online_link_that_is_not_http_as_text(client, auth, two_by_two, make_request,
                                                                    add_meeting, make_user):
    event, ai, _, ai_vc, _ = two_by_two
    event.published = True
    meeting = add_meeting(make_request(event, ai.organization, ai_vc.organization))
    meeting.online_url = "javascript:alert(1)"
    db.session.commit()
    auth.logout()
    auth.login(ai)

    detail = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    agenda = client.get("/agenda").get_data(as_text=True)

    for page in (detail, agenda):
        assert 'href="javascript' not in page
    assert "javascript:alert(1)" in detail
