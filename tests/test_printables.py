"""Printables: every participant's agenda in its own language and zone, the table lists, the company
briefs for investors, and a member's own agenda to print."""

import re
from pathlib import Path

import pytest
from builders.dayops import build_day

from matchmaker import ROOT
from matchmaker.extensions import db

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation)
    day.users["c1"].locale = "ko"  # Seoul time zone (the builder's default) and Korean
    day.users["i1"].locale = "en"
    day.users["i1"].timezone = "Asia/Jakarta"
    c1 = day.orgs["c1"]
    c1.name, c1.name_latin = "한빛로보틱스", "Hanbit Robotics"
    c1.sectors, c1.stages, c1.markets, c1.languages = {"robotics": 1.0, "ai": 0.5}, ["series-a"], ["ID"], ["ko"]
    c1.ticket_min_usd, c1.ticket_max_usd = 1_000_000, 3_000_000
    c1.description = "Warehouse robots for tropical climates."
    db.session.commit()
    day.meet("c1", "i1", 0, "T1")
    day.meet("c1", "i2", 2, "T2")
    day.meet("c2", "i1", 1, "T1")
    return day


def pages(html: str) -> dict[str, str]:
    """Each printed page (section) by its lang attribute and first heading."""
    found = {}
    for lang, body in re.findall(r'<section class="print-page agenda-page" lang="(\w+)">(.*?)</section>', html, re.S):
        name = re.search(r"<h2>(.*?)</h2>", body).group(1)
        found[name] = (lang, body)
    return found


def test_agendas_one_page_per_participant_each_in_its_language(client, auth, day):
    auth.login(day.staff)
    html = client.get(f"/staff/events/{day.event.id}/print/agendas").get_data(as_text=True)
    by_name = pages(html)
    assert len(by_name) == 6
    lang, korean = by_name["한빛로보틱스 (Hanbit Robotics)"]
    assert lang == "ko"
    assert "테이블 T1" in korean and "상대 기관" in korean  # the catalog's Korean
    assert "년" in korean and HANGUL.search(korean)  # dates and zone names by Babel in Korean
    lang, english = by_name["Org i1"]
    assert lang == "en" and "Table T1" in english and not HANGUL.search(english.replace("한빛로보틱스", ""))


def test_agenda_times_in_participant_zone_and_event_zone(client, auth, day):
    auth.login(day.staff)
    html = client.get(f"/staff/events/{day.event.id}/print/agendas").get_data(as_text=True)
    _, korean = pages(html)["한빛로보틱스 (Hanbit Robotics)"]
    # Seoul is two hours ahead of Jakarta: the 9:00 meeting is at 11:00 for them.
    assert "오전 11:00" in korean and "오전 9:00" in korean
    assert "대한민국 표준시" in korean or "한국 표준시" in korean
    _, jakarta = pages(html)["Org i1"]
    assert "Event time" not in jakarta  # same zone as the event: one column


def test_agenda_pages_carry_the_check_in_code(client, auth, day):
    auth.login(day.staff)
    html = client.get(f"/staff/events/{day.event.id}/print/agendas").get_data(as_text=True)
    assert all("<svg" in body for _, body in pages(html).values())


def test_staff_copy_of_an_unpublished_day_shows_meetings(client, auth, day):
    day.event.published = False
    db.session.commit()
    auth.login(day.staff)
    html = client.get(f"/staff/events/{day.event.id}/print/agendas").get_data(as_text=True)
    assert "Table T1" in pages(html)["Org i1"][1]


def test_table_lists_per_slot_and_table(client, auth, day):
    auth.login(day.staff)
    html = client.get(f"/staff/events/{day.event.id}/print/tables").get_data(as_text=True)
    blocks = re.findall(r'<section class="print-block">(.*?)</section>', html, re.S)
    assert len(blocks) == 3  # slots 0, 1 and 2 have meetings
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", b)).strip() for b in blocks]
    assert "T1 한빛로보틱스 (Hanbit Robotics) Org i1" in text[0]
    assert "T1 Org c2 Org i1" in text[1]
    assert "T2 한빛로보틱스 (Hanbit Robotics) Org i2" in text[2]
    assert "Times in Indonesia (Jakarta) Time." in html  # the zone named in words
    # every slot's table has the same fixed columns, so the lists line up from one slot to the next
    assert all('<table class="table-list">' in b and '<col class="table-col">' in b for b in blocks)
    css = Path(ROOT, "static/css/matchmaker.css").read_text()
    assert re.search(r"table\.table-list \{[^}]*table-layout: fixed", css)


def test_company_briefs_in_staff_language(client, auth, day):
    auth.login(day.staff)
    html = client.get(f"/staff/events/{day.event.id}/print/briefs").get_data(as_text=True)
    briefs = re.findall(r'<section class="print-page brief-page">(.*?)</section>', html, re.S)
    assert len(briefs) == 3  # companies only
    brief = next(b for b in briefs if "Hanbit" in b)
    for text in ("Robotics", "Artificial intelligence", "Series A", "Indonesia", "Korean",
                 "Warehouse robots for tropical climates.", "Org i1", "Org i2", "$1M", "$3M"):
        assert text in brief, text
    assert brief.index("Robotics") < brief.index("Artificial intelligence")  # the main sector first


def test_company_briefs_in_another_language_on_request(client, auth, day):
    auth.login(day.staff)
    html = client.get(f"/staff/events/{day.event.id}/print/briefs?lang=ko").get_data(as_text=True)
    assert '<html lang="ko">' in html
    assert "분야" in html and "테이블 T1" in html
    assert "Sectors" not in html


def test_member_prints_own_agenda_in_own_language(client, auth, day):
    auth.login(day.users["c1"])
    html = client.get("/agenda/print").get_data(as_text=True)
    own = pages(html)
    assert list(own) == ["한빛로보틱스 (Hanbit Robotics)"]
    assert "Org i1" in own["한빛로보틱스 (Hanbit Robotics)"][1]
    assert "Org c2" not in html  # nobody else's meetings


@pytest.mark.parametrize("mode", ["in_person", "online"])
def test_agenda_links_to_its_print_version_for_every_kind_of_day(client, auth, day, mode):
    day.event.mode = mode
    db.session.commit()
    auth.login(day.users["i1"])
    html = client.get("/agenda").get_data(as_text=True)
    assert 'href="/agenda/print"' in html
    assert ("Show this code at the desk" in html) == (mode == "in_person")  # no desk online


def test_member_print_of_unpublished_day_hides_meetings(client, auth, day):
    day.event.published = False
    db.session.commit()
    auth.login(day.users["i1"])
    html = client.get("/agenda/print").get_data(as_text=True)
    assert "Org c2" not in html and "not published yet" in html


def test_print_stylesheet_hides_navigation_and_breaks_pages():
    css = Path(ROOT, "static/css/matchmaker.css").read_text()
    section = css[css.index("/* --- the day: check-in, live board, printables, no-shows, walk-ins --- */"):]
    media = section[section.index("@media print"):]
    assert "header.site" in media and "form" in media and "display: none" in media
    assert "break-after: page" in media
