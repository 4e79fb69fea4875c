"""A member's day on a 390 px phone: the agenda, requests, recommendations and meeting pages fit the screen with
120-character names without a space and Korean text, no console error (the favicon is found); the installed app's
service worker shows the agenda offline, and forgets it when the member signs out."""

import pytest
from playwright.sync_api import expect

from matchmaker.enums import OrgKind, RequestStatus, Role
from matchmaker.extensions import db

pytestmark = pytest.mark.browser

WIDTH = 390
LONG_LATIN = (  # 120 characters, no space
    "Globalventurepartnersforadvancedsemiconductorsandrobotics"
    "manufacturingacrossasiapacificandnorthamericaholdingsllcxxxxxxx"
)
LONG_KOREAN = "글로벌반도체로봇제조투자사와함께하는아시아태평양및북미지역벤처캐피탈유한회사"
LONG_URL = "https://meet.example.com/" + "room" * 60


@pytest.fixture
def phone(browser, live_server):
    """A 390 px wide phone, in Korean; every console error and failed request is collected."""
    context = browser.new_context(
        base_url=live_server, viewport={"width": WIDTH, "height": 844}, device_scale_factor=3, is_mobile=True,
        has_touch=True, locale="ko-KR", timezone_id="Asia/Seoul",
    )
    context.set_default_timeout(8000)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: page.errors.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    yield page
    context.close()


@pytest.fixture
def day(make_event, make_org, make_user, make_participation, make_request, add_meeting):
    """A Korean-speaking company with a 120-character name, meeting two investors (one named in Latin letters
    without a space, one in Korean), each description one unbroken string; the online day is published."""
    event = make_event(published=True)
    company = make_user(Role.COMPANY, locale="ko", organization=make_org(
        OrgKind.COMPANY, name=LONG_LATIN[:118] + "코리아", description=LONG_KOREAN * 4))
    latin = make_org(OrgKind.INVESTOR, name=LONG_LATIN, description=LONG_LATIN * 3)
    korean = make_org(OrgKind.INVESTOR, name=LONG_KOREAN, description="투자사와 " + LONG_KOREAN * 5)
    for org in (company.organization, latin, korean):
        make_participation(event, org)
    meetings = []
    for slot, org in enumerate((latin, korean)):
        request = make_request(event, company.organization, org, status=RequestStatus.ACCEPTED, message=LONG_URL)
        meetings.append(add_meeting(request, slot=slot))
        meetings[-1].online_url = LONG_URL
    make_request(event, make_org(OrgKind.BUYER, name=LONG_KOREAN + "바이어"), company.organization)
    db.session.commit()
    return event, company, meetings


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# Nothing in the page scrolls sideways inside it either (a table in a scrolling box would pass scroll_width).
SIDEWAYS_SCROLLERS = """Array.from(document.querySelectorAll("main *")).filter(el => {
    const style = getComputedStyle(el);
    return ["auto", "scroll"].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
}).map(el => el.tagName + "." + el.className)"""


def test_member_pages_fit_a_390px_phone(phone, sign_in, day):
    event, company, meetings = day
    sign_in(phone, company.email)

    for path, shown in [
        ("/agenda", LONG_KOREAN),
        ("/requests", LONG_KOREAN + "바이어"),
        (f"/events/{event.id}/recommended", LONG_LATIN),
        (f"/meetings/{meetings[0].id}", LONG_URL),
        (f"/requests/{meetings[1].request_id}", LONG_KOREAN),
    ]:
        phone.goto(path)
        expect(phone.locator("main")).to_contain_text(shown)
        assert phone.evaluate("document.documentElement.lang") == "ko"
        assert scroll_width(phone) <= WIDTH, path
        assert phone.evaluate(SIDEWAYS_SCROLLERS) == [], path

    assert phone.errors == []


def test_registration_form_fits_a_390px_phone(phone):
    """A fieldset grows to its widest control by default: the time zone list's longest name made the sign-up form
    462 px wide in Korean, 655 px in English."""
    phone.goto("/register")
    assert scroll_width(phone) <= WIDTH, "ko"
    with phone.expect_navigation():
        phone.select_option("#lang-switch", "en")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    assert phone.url.endswith("/register")
    assert scroll_width(phone) <= WIDTH, "en"


def test_agenda_rows_are_cards_with_captions_on_a_phone(phone, sign_in, day):
    _, company, _ = day
    sign_in(phone, company.email)
    phone.goto("/agenda")

    row = phone.locator("table.stack tbody tr").first
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    assert phone.locator("table.stack thead").evaluate("el => el.getBoundingClientRect().height") <= 1
    caption = row.locator("td[data-label]").nth(1).evaluate("el => getComputedStyle(el, '::before').content")
    assert caption == '"상대"' or caption.startswith('"') and len(caption) > 2  # the column's name, translated
    # Korean breaks between words only; a long one still wraps instead of widening the card.
    assert row.evaluate("el => getComputedStyle(el).wordBreak") == "keep-all"


def test_favicon_is_served_and_no_console_error(phone):
    phone.goto("/")
    icon = phone.evaluate("fetch('/favicon.ico').then(r => [r.status, r.headers.get('content-type')])")

    assert icon == [200, "image/x-icon"]
    assert phone.errors == []


def _kept_agenda(page) -> bool:
    return page.evaluate("caches.match('/agenda').then(found => Boolean(found))")


def test_agenda_is_shown_offline_by_the_service_worker(page, sign_in, day):
    event, company, _ = day
    sign_in(page, company.email)
    page.goto("/agenda")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function("caches.match('/agenda').then(found => Boolean(found))")
    expect(page.locator("[data-offline-note]")).to_be_hidden()

    page.context.set_offline(True)
    page.reload()

    expect(page.locator("main")).to_contain_text(LONG_KOREAN)
    expect(page.locator("[data-offline-note]")).to_be_visible()  # the worker's kept copy says so
    page.context.set_offline(False)
    page.reload()
    expect(page.locator("[data-offline-note]")).to_be_hidden()  # online again: the page itself, up to date


def test_signing_out_forgets_the_kept_agenda(page, sign_in, day, make_user):
    _, company, _ = day
    sign_in(page, company.email)
    page.goto("/agenda")
    page.wait_for_function("caches.match('/agenda').then(found => Boolean(found))")

    page.click("form[action='/logout'] button")
    page.wait_for_url("**/")
    page.wait_for_function("caches.keys().then(names => !names.some(n => n.startsWith('matchmaker-agenda-')))")

    page.context.set_offline(True)
    with pytest.raises(Exception, match="net::ERR_"):
        page.goto("/agenda")
    page.context.set_offline(False)


def test_staff_pages_and_other_pages_are_never_kept(page, sign_in, day, make_user):
    event, company, meetings = day
    staff = make_user(Role.STAFF, office=event.program.office)
    sign_in(page, company.email)
    page.goto("/requests")
    page.goto(f"/meetings/{meetings[0].id}")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.goto("/requests")
    page.click("form[action='/logout'] button")
    sign_in(page, staff.email)
    page.goto(f"/staff/events/{event.id}")
    page.goto("/agenda")  # 403 for staff: nothing kept

    kept = page.evaluate("""caches.keys().then(names => Promise.all(names.map(
        name => caches.open(name).then(cache => cache.keys()).then(keys => keys.map(k => new URL(k.url).pathname))
    ))).then(lists => lists.flat())""")

    assert [path for path in kept if not path.startswith("/static/")] == []
