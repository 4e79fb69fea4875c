"""Check-in: the signed code on the agenda, staff scanning it or searching by name, and what a
participant sees when opening their own code."""

import re
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from builders.dayops import build_day
from flask import current_app
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from matchmaker.enums import Attendance, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Participation
from matchmaker.services import checkin as service
from matchmaker.services.tokens import make_verify_token


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation)
    day.meet("c1", "i1", 0)
    day.meet("c1", "i2", 2)
    day.meet("c2", "i1", 1)
    return day


def attendance(participation: Participation) -> Attendance:
    db.session.expire_all()
    return db.session.get(Participation, participation.id).attendance


def local(event, day_offset: int, hour: int) -> datetime:
    wall = datetime.combine(event.date + timedelta(days=day_offset), time(hour), ZoneInfo(event.timezone))
    return wall.astimezone(UTC)


# --- the code -----------------------------------------------------------------------------------


def test_token_round_trip(day):
    p = day.participations["c1"]
    assert service.read_checkin_token(service.checkin_token(p)) == p


def test_tampered_token_is_refused(day):
    token = service.checkin_token(day.participations["c1"])
    payload, signature = token.rsplit(".", 1)
    other = service.checkin_token(day.participations["c2"]).rsplit(".", 1)[0]
    # The first character: the last one of the base64 signature also holds padding bits, which decoding drops, so
    # changing it can leave the signature's bytes as they were.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert service.read_checkin_token(f"{payload}.{flipped}") is None
    assert service.read_checkin_token(f"{other}.{signature}") is None  # another participant's payload
    assert service.read_checkin_token("not-a-token") is None


def test_token_of_another_purpose_or_key_is_refused(day, make_user):
    p = day.participations["c1"]
    assert service.read_checkin_token(make_verify_token(day.users["c1"])) is None
    forged = URLSafeSerializer("another-secret", salt="matchmaker.checkin").dumps(
        {"p": p.id, "o": p.organization_id}
    )
    assert service.read_checkin_token(forged) is None


def test_token_naming_another_organization_is_refused(day):
    p = day.participations["c1"]
    wrong = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="matchmaker.checkin").dumps(
        {"p": p.id, "o": day.orgs["c2"].id}
    )
    assert service.read_checkin_token(wrong) is None


def test_token_works_until_the_day_after_the_event(day):
    token = service.checkin_token(day.participations["c1"])
    event = day.event
    assert service.read_checkin_token(token, now=local(event, -20, 9)) is not None
    assert service.read_checkin_token(token, now=local(event, 0, 11)) is not None
    assert service.read_checkin_token(token, now=local(event, 1, 23)) is not None
    assert service.read_checkin_token(token, now=local(event, 2, 0)) is None


def test_token_follows_the_event_when_staff_move_it(day):
    token = service.checkin_token(day.participations["c1"])
    later = local(day.event, 5, 10)
    assert service.read_checkin_token(token, now=later) is None
    day.event.date += timedelta(days=5)
    db.session.commit()
    assert service.read_checkin_token(token, now=later) is not None


def test_checkin_url_is_absolute_and_opens_the_code_page(app, day):
    with app.test_request_context("/"):
        url = service.checkin_url(day.participations["c1"])
    parsed = urlparse(url)
    assert parsed.scheme in ("http", "https") and parsed.netloc
    assert parsed.path.startswith("/checkin/")


# --- scanning -------------------------------------------------------------------------------------


def scan_path(participation) -> str:
    return f"/staff/checkin/{service.checkin_token(participation)}"


def test_staff_scan_shows_who_and_their_meetings_without_checking_in(client, auth, day):
    p = day.participations["c1"]
    auth.login(day.staff)
    page = client.get(scan_path(p))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Org c1" in text and "Org i1" in text and "Org i2" in text
    assert "Org c2" not in text  # not one of c1's meetings
    assert "Check in Org c1" in text
    assert attendance(p) == Attendance.EXPECTED  # GET changes nothing


def test_staff_scan_post_checks_in_once(client, auth, day):
    p = day.participations["c1"]
    auth.login(day.staff)
    response = client.post(scan_path(p))
    assert response.status_code == 302 and response.headers["Location"] == scan_path(p)
    db.session.expire_all()
    row = db.session.get(Participation, p.id)
    assert (row.attendance, row.checked_in_by_id) == (Attendance.CHECKED_IN, day.staff.id)
    assert row.checked_in_dt is not None
    first = row.checked_in_dt
    client.post(scan_path(p))  # scanned twice: still one check-in, the first time kept
    db.session.expire_all()
    assert db.session.get(Participation, p.id).checked_in_dt == first
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_id == p.id,
                                                               AuditLog.object_type == "Participation")).all()
    assert actions == ["check_in"]


def test_scan_post_needs_the_csrf_token(app, client, auth, day, monkeypatch):
    p = day.participations["c1"]
    auth.login(day.staff)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(scan_path(p)).status_code == 400
    assert attendance(p) == Attendance.EXPECTED
    page = client.get(scan_path(p)).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    assert client.post(scan_path(p), data={"csrf_token": csrf.group(1)}).status_code == 302
    assert attendance(p) == Attendance.CHECKED_IN


def test_bad_code_gives_a_clear_404(client, auth, day):
    auth.login(day.staff)
    page = client.get("/staff/checkin/garbage.code")
    assert page.status_code == 404
    assert "This check-in code is not valid" in page.get_data(as_text=True)
    assert client.post("/staff/checkin/garbage.code").status_code == 404


def test_expired_code_gives_404(client, auth, day):
    day.event.date = (datetime.now(UTC) - timedelta(days=3)).date()
    db.session.commit()
    auth.login(day.staff)
    assert client.get(scan_path(day.participations["c1"])).status_code == 404


def test_staff_of_another_office_cannot_check_in(client, auth, day, make_user, make_office):
    outsider = make_user(Role.STAFF, office_id=make_office().id)
    auth.login(outsider)
    p = day.participations["c1"]
    assert client.get(scan_path(p)).status_code == 403
    assert client.post(scan_path(p)).status_code == 403
    assert attendance(p) == Attendance.EXPECTED


def test_code_link_sends_staff_on_to_the_check_in_page(client, auth, day):
    p = day.participations["c1"]
    token = service.checkin_token(p)
    auth.login(day.staff)
    response = client.get(f"/checkin/{token}")
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/checkin/{token}"


def test_participant_opening_own_code_is_told_to_show_it_at_the_desk(client, auth, day):
    p = day.participations["c1"]
    auth.login(day.users["c1"])
    page = client.get(f"/checkin/{service.checkin_token(p)}")
    assert page.status_code == 200
    assert "Show this code at the desk" in page.get_data(as_text=True)
    assert page.get_data(as_text=True).count("<svg") == 1  # the code itself, to hold up to the scanner
    assert attendance(p) == Attendance.EXPECTED
    assert client.get(scan_path(p)).status_code == 403  # the staff page itself stays closed
    auth.logout()
    auth.login(day.users["c2"])  # someone else's code: told what it is, not shown it again
    other = client.get(f"/checkin/{service.checkin_token(p)}").get_data(as_text=True)
    assert "Show this code at the desk" in other and "<svg" not in other


def test_anonymous_code_link_asks_to_sign_in_first(client, day):
    token = service.checkin_token(day.participations["c1"])
    response = client.get(f"/checkin/{token}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


# --- the desk's list --------------------------------------------------------------------------


@pytest.mark.parametrize(("term", "found"), [
    ("", ["c1", "c2", "c3", "i1", "i2", "i3"]),
    ("org c", ["c1", "c2", "c3"]),
    ("Person i2", ["i2"]),  # a person's name
    ("hanbit", ["c3"]),  # the Latin name
    ("nobody", []),
])
def test_search_by_organization_latin_or_person_name(day, term, found):
    day.orgs["c3"].name_latin = "Hanbit Robotics"
    db.session.commit()
    got = [p.organization_id for p in service.search_participants(day.event, term)]
    assert got == [day.orgs[k].id for k in found]


def test_search_lists_only_approved_participants(day, make_org, make_participation):
    from matchmaker.enums import ParticipationStatus

    make_participation(day.event, make_org(name="Org applied"), status=ParticipationStatus.APPLIED)
    assert "Org applied" not in [p.organization.name for p in service.search_participants(day.event, "org")]


def test_check_in_from_the_list_keeps_the_search(client, auth, day):
    p = day.participations["i2"]
    auth.login(day.staff)
    page = client.get(f"/staff/events/{day.event.id}/checkin?q=i2").get_data(as_text=True)
    assert "Org i2" in page and "Org c1" not in page
    response = client.post(f"/staff/participations/{p.id}/checkin", data={"q": "i2"})
    assert response.headers["Location"] == f"/staff/events/{day.event.id}/checkin?q=i2"
    assert attendance(p) == Attendance.CHECKED_IN
    assert attendance(day.participations["i1"]) == Attendance.EXPECTED
    page = client.get(f"/staff/events/{day.event.id}/checkin").get_data(as_text=True)
    assert "Checked in: 1 · Absent: 0" in page


def test_check_in_refuses_participants_not_approved(day, make_org, make_participation):
    from matchmaker.enums import ParticipationStatus
    from matchmaker.services import ServiceError

    p = make_participation(day.event, make_org(), status=ParticipationStatus.REJECTED)
    with pytest.raises(ServiceError):
        service.check_in(day.staff, p)


# --- the code on the member's agenda -------------------------------------------------------------


def test_agenda_carries_a_qr_code_and_a_print_link(client, auth, day):
    auth.login(day.users["c1"])
    page = client.get("/agenda").get_data(as_text=True)
    assert page.count("<svg") == 1 and "Show this code at the desk to check in." in page
    assert day.event.title in page
    assert 'href="/agenda/print"' in page


def test_agenda_has_no_code_once_the_day_is_past(client, auth, day):
    day.event.date = (datetime.now(UTC) - timedelta(days=3)).date()
    db.session.commit()
    auth.login(day.users["c1"])
    assert "<svg" not in client.get("/agenda").get_data(as_text=True)


def test_online_day_has_no_desk_code_on_the_agenda_nor_on_the_printed_agenda(client, auth, day):
    from matchmaker.enums import EventMode

    day.event.mode = EventMode.ONLINE
    db.session.commit()
    auth.login(day.users["c1"])
    page = client.get("/agenda").get_data(as_text=True)
    assert "<svg" not in page and "Show this code at the desk" not in page
    printed = client.get("/agenda/print").get_data(as_text=True)
    assert day.event.title in printed  # the agenda itself is still printable
    assert "<svg" not in printed and "Show this code at the desk" not in printed


def test_event_page_and_navigation_lead_to_the_day_tools(client, auth, day):
    auth.login(day.staff)
    page = client.get(f"/staff/events/{day.event.id}").get_data(as_text=True)
    base = f"/staff/events/{day.event.id}"
    for path in ("/checkin", "/live", "/walkins", "/print/agendas", "/print/tables", "/print/briefs"):
        assert f'href="{base}{path}"' in page, path
    assert f'href="/staff/noshows?event={day.event.id}"' in page
    assert 'href="/staff/noshows"' in page  # the staff navigation
    checkin_page = client.get(f"{base}/checkin").get_data(as_text=True)
    assert f'href="/staff/participations/{day.participations["c1"].id}/day"' in checkin_page
