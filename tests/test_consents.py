"""Consents: each kind asked separately at registration and recorded (version, time, network address, browser); a
required one refused with its message under the box and what was typed kept; members asked again before anything
else when a text's version changes (staff are not); a participant nobody of whom has agreed to the provision hidden
from the other side (directory, recommendations, suggestions, requests) until one has; staff's list of who has not."""

import re

import pytest
from builders.clients import AGREED
from sqlalchemy import select

from matchmaker.domain import consent_texts
from matchmaker.domain.consent_texts import ConsentText
from matchmaker.enums import ConsentKind, OrgKind, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Consent, MeetingRequest, OutboxMessage, User
from matchmaker.services import consents, recommendations

REGISTRATION = {
    "kind": "company", "organization_name": "주식회사 동의테스트", "organization_name_latin": "Consent Test",
    "country": "KR", "name": "김동의", "email": "agree@consent.example", "password": "a-long-enough-password",
    "confirm": "a-long-enough-password", "locale": "en", "timezone": "Asia/Seoul",
}
BROWSER = "Mozilla/5.0 (consent test)"


@pytest.fixture
def abroad(make_office):
    """An office in Jakarta: personal data goes abroad, so the transfer is asked too."""
    return make_office(name="Jakarta", city="Jakarta", timezone="Asia/Jakarta")


def register(client, **data):
    return client.post("/register", data={**REGISTRATION, **data}, headers={"User-Agent": BROWSER},
                       environ_base={"REMOTE_ADDR": "203.0.113.7"})


def test_registration_records_each_consent_with_its_version_time_and_origin(client, abroad):
    response = register(client, **AGREED, consent_news="y")

    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "agree@consent.example"))
    rows = db.session.scalars(select(Consent).where(Consent.user_id == user.id)).all()
    assert {(c.kind, c.version, c.ip, c.user_agent, c.withdrawn_dt) for c in rows} == {
        (kind, consent_texts.current_version(kind), "203.0.113.7", BROWSER, None) for kind in ConsentKind}
    assert all(c.given_dt is not None and c.given_dt.tzinfo is not None for c in rows)
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "give_consent"))
    assert (entry.actor_id, sorted(entry.details["given"])) == (user.id, sorted(k.value for k in ConsentKind))


def test_news_is_optional_and_the_transfer_is_not_asked_without_an_office_abroad(client, make_office):
    make_office(name="Seoul desk", city="Seoul", timezone="Asia/Seoul")  # at home: nothing goes abroad
    page = client.get("/register").get_data(as_text=True)
    assert 'name="consent_transfer_abroad"' not in page and 'name="consent_news"' in page

    assert register(client, consent_collection="y", consent_provision="y").status_code == 302
    assert set(db.session.scalars(select(Consent.kind))) == {ConsentKind.COLLECTION, ConsentKind.PROVISION}


@pytest.mark.parametrize("missing", ["consent_collection", "consent_provision", "consent_transfer_abroad"])
def test_a_required_consent_left_unticked_is_refused_under_its_box_keeping_what_was_typed(client, abroad, missing):
    ticked = {name: value for name, value in AGREED.items() if name != missing}

    response = register(client, **ticked, consent_news="y")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    box = re.search(rf'<div class="field has-error">\s*<label><input[^>]*name="{missing}".*?</div>', page, re.S)
    assert box is not None and "This consent is required." in box.group(0)
    assert page.count("This consent is required.") == 1
    assert 'value="주식회사 동의테스트"' in page and 'value="agree@consent.example"' in page
    boxes = {re.search(r'name="(\w+)"', tag).group(1): " checked " in tag
             for tag in re.findall(r"<input [^>]*type=\"checkbox\"[^>]*>", page)}
    assert boxes == {**{name: True for name in [*ticked, "consent_news"]}, missing: False}  # ticked stay ticked
    assert db.session.scalar(select(User)) is None and db.session.scalar(select(Consent)) is None


def new_version(monkeypatch, kind: str = consent_texts.PROVISION, version: str = "2027-03-01") -> None:
    monkeypatch.setitem(consent_texts.TEXTS, kind, ConsentText(kind, version, required=True))


def test_a_new_version_is_asked_before_anything_else_then_recorded(client, auth, make_user, abroad, monkeypatch):
    user = make_user(Role.COMPANY)
    auth.login(user)
    assert client.get("/agenda").status_code == 200

    new_version(monkeypatch)

    response = client.get("/agenda")
    assert (response.status_code, response.headers["Location"]) == (302, "/consent?next=/agenda")
    assert client.get("/settings").headers["Location"] == "/consent?next=/settings"
    assert client.get("/privacy").status_code == 200  # the notice the page links to stays open
    page = client.get("/consent?next=/agenda").get_data(as_text=True)
    assert "a text changed since you last answered" in page
    response = client.post("/consent?next=/agenda", data={**AGREED}, headers={"User-Agent": BROWSER})
    assert (response.status_code, response.headers["Location"]) == (302, "/agenda")
    versions = set(db.session.execute(select(Consent.kind, Consent.version).where(Consent.user_id == user.id)))
    assert (ConsentKind.PROVISION, "2027-03-01") in versions
    assert (ConsentKind.PROVISION, consent_texts.TEXTS[ConsentKind.COLLECTION].version) in versions  # kept
    assert client.get("/agenda").status_code == 200


def test_the_consent_page_refuses_a_missing_required_box_and_records_nothing(client, auth, make_user, abroad,
                                                                           monkeypatch):
    user = make_user(Role.PARTNER)
    auth.login(user)
    new_version(monkeypatch, consent_texts.COLLECTION)
    before = db.session.scalar(select(db.func.count()).select_from(Consent))

    response = client.post("/consent", data={"consent_provision": "y", "consent_transfer_abroad": "y"})

    assert response.status_code == 200
    assert "This consent is required." in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Consent)) == before
    assert client.get("/agenda").status_code == 302


def test_a_person_imported_by_staff_is_asked_at_the_first_sign_in(client, auth, make_user, abroad):
    user = make_user(Role.PARTNER, consented=False)
    auth.login(user)

    assert client.get("/dashboard").headers["Location"] == "/consent?next=/dashboard"
    assert client.post("/consent", data={**AGREED}).headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    assert consents.missing(user) == []


def test_staff_are_not_asked(client, auth, make_user, monkeypatch):
    auth.login(make_user(Role.STAFF))
    new_version(monkeypatch)
    assert client.get("/staff/").status_code == 200


# --- hidden from the other side until consent -------------------------------------------------------------------

@pytest.fixture
def imported_partner(make_event, make_user, make_org, make_participation, abroad):
    """A company that agreed, and an investor of the same sector imported by staff, not signed in yet."""
    event = make_event()
    company = make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, name="Seen Co", sectors={"ai": 1.0}))
    investor = make_user(Role.PARTNER, consented=False, organization=make_org(
        OrgKind.INVESTOR, name="Hidden Capital", sectors={"ai": 1.0}))
    for user in (company, investor):
        make_participation(event, user.organization)
    recommendations.compute(event)
    db.session.commit()
    return event, company, investor


def what_the_company_sees(client, event, investor) -> dict:
    directory = client.get(f"/events/{event.id}/participants").get_data(as_text=True)
    recommended = client.get(f"/events/{event.id}/recommended").get_data(as_text=True)
    asked = client.post(f"/events/{event.id}/request/{investor.organization_id}", data={"message": "Hello"})
    return {"directory": "Hidden Capital" in directory, "recommended": "Hidden Capital" in recommended,
            "request": db.session.scalar(select(MeetingRequest.id)) is not None, "answer": asked.status_code}


def test_an_imported_partner_is_hidden_from_the_other_side_until_it_consents(client, auth, imported_partner):
    event, company, investor = imported_partner
    auth.login(company)

    assert what_the_company_sees(client, event, investor) == {
        "directory": False, "recommended": False, "request": False, "answer": 302}
    assert "This organization does not take part in this matchmaking day." in client.get(
        f"/events/{event.id}/participants").get_data(as_text=True)

    consents.give(investor, [k.value for k in consents.required_kinds()], ip="198.51.100.1", user_agent=None)
    db.session.commit()

    assert what_the_company_sees(client, event, investor) == {
        "directory": True, "recommended": True, "request": True, "answer": 302}


def test_staff_list_the_participants_hidden_for_want_of_consent(client, auth, make_user, imported_partner):
    event, company, investor = imported_partner
    auth.login(make_user(Role.STAFF))

    page = client.get(f"/staff/events/{event.id}/consents").get_data(as_text=True)
    assert "Hidden Capital" in page and investor.email in page and "never signed in" in page
    assert "Seen Co" not in page
    assert f"/staff/events/{event.id}/consents" in client.get(f"/staff/events/{event.id}").get_data(as_text=True)

    consents.give(investor, [k.value for k in consents.required_kinds()], ip=None, user_agent=None)
    db.session.commit()
    page = client.get(f"/staff/events/{event.id}/consents").get_data(as_text=True)
    assert "Hidden Capital" not in page and "Every participant of this day has agreed" in page


def test_suggestions_by_email_leave_out_a_partner_that_has_not_consented(make_user, imported_partner):
    event, company, investor = imported_partner

    recommendations.send_suggestions(make_user(Role.STAFF), event)
    db.session.commit()

    mailed = {m.to_address: m.body_text for m in db.session.scalars(select(OutboxMessage))}
    assert company.email not in mailed  # its only counterpart is hidden: nothing to suggest
    assert "Seen Co" in mailed[investor.email]  # the hidden side still hears of those who agreed
