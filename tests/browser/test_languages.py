"""Every main page in each of the five languages: no English message of the catalog is left on screen."""

import re
from datetime import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from matchmaker.enums import EventMode, OrgKind, Role

pytestmark = pytest.mark.browser
CATALOGS = Path(__file__).resolve().parents[2] / "translations"


def english_leftovers(locale: str) -> list[str]:
    """Catalog messages whose translation differs from the English: seeing the English means it leaked."""
    with open(CATALOGS / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f)
    out = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or "%" in message.id:
            continue
        if len(message.id) < 12 or message.string == message.id:
            continue  # short labels ("Email", "Status") can legitimately match across languages
        out.append(message.id)
    return out


@pytest.mark.parametrize("locale", ["en", "ko", "vi", "th", "id"])
def test_main_pages_have_no_untranslated_message(page, sign_in, locale, make_user, make_org, make_event, make_program,
                                                 make_office, make_participation, make_request):
    office = make_office()
    # Names are data, not interface text: none of them may look like a catalog message.
    event = make_event(program=make_program(office=office, title="K-ICT Scale-up 2027"), title="K-ICT Demo 2027",
                       mode=EventMode.IN_PERSON, venue="Hall", timezone="Asia/Jakarta", day_start=time(9),
                       day_end=time(11), tables=2)
    company = make_user(Role.COMPANY, locale=locale, organization=make_org(OrgKind.COMPANY))
    buyer = make_user(Role.PARTNER, locale=locale, organization=make_org(OrgKind.BUYER))
    company_place = make_participation(event, company.organization)
    make_participation(event, buyer.organization)
    item = make_request(event, company.organization, buyer.organization)
    staff = make_user(Role.STAFF, locale=locale, office=office)
    leftovers = english_leftovers(locale) if locale != "en" else []
    # In English every page must still answer in English; there is nothing to leak.
    alternatives = "|".join(re.escape(m) for m in sorted(leftovers, key=len, reverse=True))
    pattern = re.compile(alternatives) if leftovers else None

    pages = {
        company.email: ["/", "/events/", f"/events/{event.id}", "/dashboard", "/profile", "/settings",
                        "/requests", f"/requests/{item.id}", "/agenda", f"/events/{event.id}/participants",
                        f"/events/{event.id}/availability", f"/events/{event.id}/recommended", "/feedback",
                        "/agenda/print"],
        staff.email: ["/staff/", f"/staff/programs/{event.program_id}", f"/staff/events/{event.id}",
                      f"/staff/events/{event.id}/edit", f"/staff/events/{event.id}/requests",
                      f"/staff/events/{event.id}/schedule", f"/staff/events/{event.id}/matrix",
                      "/staff/organizations", "/staff/outbox", "/staff/audit", "/staff/reviews",
                      f"/staff/events/{event.id}/import", f"/staff/events/{event.id}/checkin",
                      f"/staff/participations/{company_place.id}/day", f"/staff/events/{event.id}/live",
                      f"/staff/events/{event.id}/walkins", "/staff/noshows",
                      f"/staff/events/{event.id}/print/agendas", f"/staff/events/{event.id}/print/tables",
                      f"/staff/events/{event.id}/print/briefs", f"/staff/reports?scope=event&id={event.id}",
                      "/staff/reports", f"/staff/events/{event.id}/interpreters",
                      f"/staff/events/{event.id}/zones"],
    }
    found = {}
    for email, paths in pages.items():
        sign_in(page, email)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == locale, path
            text = page.locator("body").inner_text()
            hits = set(pattern.findall(text)) if pattern else set()
            if hits:
                found[path] = sorted(hits)
        page.click("form[action='/logout'] button")
    assert not found, f"{locale}: English left on screen: {found}"
