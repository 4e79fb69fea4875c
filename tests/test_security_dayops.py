"""Adversarial checks of the day's operations and the languages pages: staff of another office, check-in codes
that are forged, altered, expired or of another day, walk-ins that must be refused, ids and times that are not
what a page expects, and CSRF on every new form."""

import re
import threading
from datetime import date, timedelta

import pytest
from builders.dayops import build_day
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from matchmaker.access import MAX_ID
from matchmaker.enums import Attendance, MeetingStatus, NoShowReason, OrgKind, PairRuleKind, ParticipationStatus, Role
from matchmaker.extensions import db
from matchmaker.models import (
    AuditLog,
    InterpreterSlot,
    Meeting,
    NoShow,
    Organization,
    OutboxMessage,
    PairRule,
    Participation,
    User,
)
from matchmaker.services import ServiceError, checkin, dayops
from matchmaker.services.checkin import checkin_token

SLOT = 2
TOO_BIG = (str(MAX_ID + 1), "9223372036854775808", "99999999999999999999999")


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    """Office A's day: c1 (absent) was to meet i1 in slot 2; c2 meets i1 in slot 0; c3, i2 and b1 have
    checked in; c4 is in the day but not checked in; c2 and i3 are a forbidden pair."""
    day = build_day(make_office, make_program, make_event, make_user, make_participation,
                    companies=("c1", "c2", "c3", "c4"), partners=("i1", "i2", "i3", "b1"))
    day.meet("c1", "i1", SLOT, "T1")
    day.meet("c2", "i1", 0, "T1")
    db.session.add(PairRule.for_pair(day.event.id, day.orgs["c2"].id, day.orgs["i3"].id, PairRuleKind.FORBIDDEN))
    for key in ("c2", "c3", "i1", "i2", "i3", "b1"):
        checkin.check_in(day.staff, day.participations[key])
    db.session.commit()
    dayops.mark_absent(day.staff, day.participations["c1"], NoShowReason.ILLNESS)
    db.session.commit()
    return day


@pytest.fixture
def outsider(make_user, make_office):
    """Staff of another office."""
    return make_user(Role.STAFF, office_id=make_office(name="Faraway office").id)


def state():
    """What the attacks below must leave unchanged."""
    db.session.expire_all()
    return {
        "attendance": sorted((p.id, p.attendance.value, p.status.value)
                             for p in db.session.scalars(select(Participation))),
        "meetings": sorted((m.id, m.status.value, m.start_dt.isoformat())
                           for m in db.session.scalars(select(Meeting))),
        "noshows": db.session.scalar(select(func.count()).select_from(NoShow)),
        "interpreters": db.session.scalar(select(func.count()).select_from(InterpreterSlot)),
    }


def walk_ins():
    db.session.expire_all()
    return db.session.scalars(select(Meeting).where(Meeting.walk_in.is_(True))).all()


# --- staff of another office -----------------------------------------------------------------------

def test_outsider_can_neither_read_nor_change_anything_of_the_day(client, auth, day, outsider):
    event, p = day.event, day.participations["c4"]
    token = checkin_token(p)
    meeting = day.meetings["c2", "i1"]
    before = state()
    auth.login(outsider)
    reads = [
        f"/staff/events/{event.id}/checkin", f"/staff/checkin/{token}", f"/staff/participations/{p.id}/day",
        f"/staff/events/{event.id}/walkins", f"/staff/events/{event.id}/live",
        f"/staff/events/{event.id}/live/rows", f"/staff/events/{event.id}/print/agendas",
        f"/staff/events/{event.id}/print/tables", f"/staff/events/{event.id}/print/briefs",
        f"/staff/noshows?event={event.id}", f"/staff/events/{event.id}/interpreters",
        f"/staff/events/{event.id}/zones",
    ]
    writes = {
        f"/staff/checkin/{token}": {},
        f"/staff/participations/{p.id}/checkin": {},
        f"/staff/participations/{day.participations['c2'].id}/absent": {"reason": "illness"},
        f"/staff/meetings/{meeting.id}/missed": {"organization_id": day.orgs["c2"].id, "reason": "illness"},
        f"/staff/events/{event.id}/walkins": {"org_id": day.orgs["i1"].id, "candidate_id": day.orgs["c3"].id,
                                              "slot": SLOT},
        f"/staff/events/{event.id}/interpreters": {"language_a": "en", "language_b": "ko", "slot": "all",
                                                   "count": "2"},
    }

    assert {url: client.get(url).status_code for url in reads} == {url: 403 for url in reads}
    assert {url: client.post(url, data=data).status_code for url, data in writes.items()} == {
        url: 403 for url in writes
    }
    assert state() == before


def test_outsider_ledger_lists_no_entry_of_another_office(client, auth, day, outsider):
    auth.login(outsider)

    page = client.get("/staff/noshows").get_data(as_text=True)
    by_org = client.get(f"/staff/noshows?org={day.orgs['c1'].id}").get_data(as_text=True)

    assert "Org c1" not in page
    assert "Illness" not in by_org.split("<main", 1)[-1].split("<select", 1)[0]
    assert db.session.scalar(select(func.count()).select_from(NoShow)) == 1  # the entry exists


def test_outsider_cannot_decide_another_offices_application(client, auth, day, outsider, make_org,
                                                             make_participation):
    applied = make_participation(day.event, make_org(OrgKind.COMPANY), ParticipationStatus.APPLIED)
    auth.login(outsider)

    assert client.post(f"/staff/reviews/{applied.id}", data={"approve": "y"}).status_code == 403
    assert client.post(f"/staff/participations/{applied.id}/decide", data={"approve": "y"}).status_code == 403
    assert "Org c" not in client.get("/staff/reviews").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Participation, applied.id).status == ParticipationStatus.APPLIED


def test_office_less_staff_may_act_on_every_office(client, auth, day, make_user):
    everywhere = make_user(Role.STAFF, office_id=None)
    auth.login(everywhere)

    response = client.post(f"/staff/participations/{day.participations['c4'].id}/checkin")

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Participation, day.participations["c4"].id).attendance == Attendance.CHECKED_IN


# --- check-in codes ----------------------------------------------------------------------------------

def _tampered(token: str) -> str:
    payload, signature = token.rsplit(".", 1)
    return f"{payload}.{signature[:-2]}{'AA' if not signature.endswith('AA') else 'BB'}"


@pytest.mark.parametrize("who", ["staff", "member"])
def test_forged_altered_or_foreign_codes_are_404_and_change_nothing(client, auth, day, app, who):
    p = day.participations["c4"]
    real = checkin_token(p)
    key, mine = app.config["SECRET_KEY"], {"p": p.id, "o": p.organization_id}
    other_key = URLSafeSerializer("not-the-secret", salt="matchmaker.checkin").dumps(mine)
    other_salt = URLSafeSerializer(key, salt="matchmaker.reset").dumps(mine)
    signed = URLSafeSerializer(key, salt="matchmaker.checkin").dumps
    wrong_org = signed({"p": p.id, "o": day.orgs["c3"].id})
    not_a_dict, string_id, huge_id = signed([p.id]), signed({**mine, "p": str(p.id)}), signed({**mine, "p": 10**30})
    codes = [_tampered(real), other_key, other_salt, wrong_org, not_a_dict, string_id, huge_id, "x" * 5000, "."]
    before = state()
    auth.login(day.staff if who == "staff" else day.users["c4"])

    for code in codes:
        assert client.get(f"/checkin/{code}").status_code == 404, code
        if who == "staff":
            assert client.get(f"/staff/checkin/{code}").status_code == 404, code
            assert client.post(f"/staff/checkin/{code}").status_code == 404, code
    assert state() == before


def test_code_is_refused_after_the_day_after_the_event(client, auth, day):
    p = day.participations["c4"]
    token = checkin_token(p)
    day.event.date = date.today() - timedelta(days=3)
    db.session.commit()
    auth.login(day.staff)

    assert client.get(f"/staff/checkin/{token}").status_code == 404
    assert client.post(f"/staff/checkin/{token}").status_code == 404
    assert state()["attendance"] == sorted(
        (x.id, x.attendance.value, x.status.value) for x in db.session.scalars(select(Participation))
    )
    db.session.expire_all()
    assert db.session.get(Participation, p.id).attendance == Attendance.EXPECTED


def test_member_cannot_check_in_with_a_code_even_their_own(client, auth, day):
    p = day.participations["c4"]
    token = checkin_token(p)
    before = state()
    auth.login(day.users["c4"])

    assert client.get(f"/checkin/{token}").status_code == 200
    assert client.post(f"/checkin/{token}").status_code == 405
    assert client.get(f"/staff/checkin/{token}").status_code == 403
    assert client.post(f"/staff/checkin/{token}").status_code == 403
    assert client.post(f"/staff/participations/{p.id}/checkin").status_code == 403
    assert state() == before


def test_opening_a_code_never_checks_in(client, auth, day):
    token = checkin_token(day.participations["c4"])
    before = state()
    auth.login(day.staff)

    assert client.get(f"/checkin/{token}").status_code == 302
    assert client.get(f"/staff/checkin/{token}").status_code == 200
    assert state() == before


def test_code_of_a_participant_no_longer_approved_does_not_check_in(client, auth, day):
    p = day.participations["c4"]
    token = checkin_token(p)
    p.status = ParticipationStatus.WITHDRAWN
    db.session.commit()
    auth.login(day.staff)

    client.post(f"/staff/checkin/{token}")

    db.session.expire_all()
    assert db.session.get(Participation, p.id).attendance == Attendance.EXPECTED


# --- walk-ins that must be refused -------------------------------------------------------------------

def _post_walk_in(client, day, org, candidate, slot=SLOT):
    """`org` and `candidate`: a key of the day's organizations, an Organization, or a raw form value."""
    def value(x):
        return day.orgs[x].id if x in day.orgs else getattr(x, "id", x)

    return client.post(f"/staff/events/{day.event.id}/walkins",
                       data={"org_id": value(org), "candidate_id": value(candidate), "slot": slot})


@pytest.mark.parametrize(("org", "candidate", "slot", "message"), [
    ("i3", "c2", 1, "The office does not offer this meeting."),  # a forbidden pair
    ("i1", "i2", SLOT, "A pair is one company and one investor or buyer."),
    ("c3", "c4", SLOT, "A pair is one company and one investor or buyer."),
    ("i1", "c1", SLOT, "is marked absent."),
    ("i2", "c2", 0, "already has a meeting at that time."),
    ("i1", "c2", SLOT, "These two already have a meeting at this matchmaking day."),
    ("i1", "c3", 99, "Choose a candidate from the list."),
    ("i1", "c3", -1, "Choose a candidate from the list."),
    ("i1", "c3", "two", "Choose a candidate from the list."),
    ("i1", "c3", "", "Choose a candidate from the list."),
    ("i1", "c3", "1e9", "Choose a candidate from the list."),
    ("i1", "c3", "99999999999999999999999", "Choose a candidate from the list."),
])
def test_walk_in_refusals_place_nothing(client, auth, day, org, candidate, slot, message):
    before = state()
    auth.login(day.staff)

    response = _post_walk_in(client, day, org, candidate, slot)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/events/{day.event.id}/walkins"
    assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    assert walk_ins() == [] and state() == before


@pytest.mark.parametrize("bad", [*TOO_BIG, "-1", "0", "abc", ""])
def test_walk_in_with_ids_that_name_nobody_places_nothing(client, auth, day, bad):
    before = state()
    auth.login(day.staff)

    first = _post_walk_in(client, day, bad, "c3")
    second = _post_walk_in(client, day, "i1", bad)

    assert (first.status_code, second.status_code) == (302, 302)
    assert walk_ins() == [] and state() == before


def test_walk_in_of_an_organization_not_in_the_day_is_refused(client, auth, day, make_org):
    stranger = make_org(OrgKind.COMPANY, name="Stranger Co")
    before = state()
    auth.login(day.staff)

    response = _post_walk_in(client, day, "i1", stranger)

    assert "Stranger Co does not take part in this matchmaking day." in client.get(
        response.headers["Location"]).get_data(as_text=True)
    assert walk_ins() == [] and state() == before


def test_walk_in_of_another_days_organizations_through_this_day_is_refused(client, auth, day, make_office,
                                                                            make_program, make_event, make_user,
                                                                            make_participation):
    other = build_day(make_office, make_program, make_event, make_user, make_participation,
                      companies=("x1",), partners=("y1",))
    before = state()
    auth.login(day.staff)

    _post_walk_in(client, day, str(other.orgs["y1"].id), other.orgs["x1"])

    assert walk_ins() == [] and state() == before


# --- ids, indexes and times that are not what a page expects -----------------------------------------

@pytest.mark.parametrize("path", [
    "/staff/events/{big}/checkin", "/staff/participations/{big}/day", "/staff/imports/{big}",
    "/staff/events/{big}/live", "/staff/events/{big}/interpreters", "/meetings/{big}/feedback",
    "/meetings/{big}", "/requests/{big}", "/staff/events/{big}",
])
@pytest.mark.parametrize("big", TOO_BIG)
def test_ids_past_the_databases_range_are_404(client, auth, day, make_user, path, big):
    user = make_user(Role.COMPANY) if path.startswith(("/meetings", "/requests")) else day.staff
    auth.login(user)

    assert client.get(path.format(big=big)).status_code == 404


@pytest.mark.parametrize("query", [f"event={TOO_BIG[0]}", f"event={TOO_BIG[2]}", f"org={TOO_BIG[0]}",
                                   f"org={TOO_BIG[2]}", "event=abc", "org=-3"])
def test_ledger_filters_that_name_nothing_are_never_a_500(client, auth, day, query):
    auth.login(day.staff)

    response = client.get(f"/staff/noshows?{query}")

    assert response.status_code in (200, 404)
    if query.startswith("event=9"):
        assert response.status_code == 404


@pytest.mark.parametrize("back", [*TOO_BIG, "abc", "-1"])
def test_missed_meeting_with_a_bad_return_participant_records_and_goes_to_the_desk(client, auth, day, back):
    meeting = day.meetings["c2", "i1"]
    auth.login(day.staff)

    response = client.post(f"/staff/meetings/{meeting.id}/missed", data={
        "organization_id": day.orgs["c2"].id, "reason": "illness", "participation_id": back,
    })

    assert response.headers["Location"] == f"/staff/events/{day.event.id}/checkin"
    assert db.session.scalar(select(func.count()).select_from(NoShow)) == 2


def test_missed_meeting_never_returns_to_another_days_participant(client, auth, day, make_office, make_program,
                                                                 make_event, make_user, make_participation):
    other = build_day(make_office, make_program, make_event, make_user, make_participation,
                      companies=("x1",), partners=())
    meeting = day.meetings["c2", "i1"]
    auth.login(day.staff)

    response = client.post(f"/staff/meetings/{meeting.id}/missed", data={
        "organization_id": day.orgs["c2"].id, "reason": "illness",
        "participation_id": other.participations["x1"].id,
    })

    assert response.headers["Location"] == f"/staff/events/{day.event.id}/checkin"


@pytest.mark.parametrize("data", [
    {"organization_id": "999999", "reason": "illness"}, {"organization_id": TOO_BIG[2], "reason": "illness"},
    {"organization_id": "abc", "reason": "illness"}, {"reason": "illness"},
    {"organization_id": "{c2}", "reason": "nonsense"}, {"organization_id": "{c2}", "reason": ""},
])
def test_missed_meeting_with_bad_input_records_nothing(client, auth, day, data):
    meeting = day.meetings["c2", "i1"]
    before = state()
    auth.login(day.staff)

    response = client.post(f"/staff/meetings/{meeting.id}/missed",
                           data={k: v.format(c2=day.orgs["c2"].id) for k, v in data.items()})

    assert response.status_code == 302
    assert state() == before


@pytest.mark.parametrize("reason", ["", "nonsense", "ILLNESS"])
def test_absent_without_a_known_reason_changes_nothing(client, auth, day, reason):
    before = state()
    auth.login(day.staff)

    client.post(f"/staff/participations/{day.participations['c3'].id}/absent", data={"reason": reason})

    assert state() == before


def test_absent_without_a_reason_shows_the_form_again_with_the_note(client, auth, day):
    before = state()
    auth.login(day.staff)
    participation = day.participations["c3"]

    response = client.post(f"/staff/participations/{participation.id}/absent",
                           data={"reason": "", "note": "Flight from Seoul cancelled"})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose the reason for the absence." in page
    assert 'value="Flight from Seoul cancelled"' in page
    assert '<details class="absent" open>' in page
    assert participation.organization.display_name in page  # the participant's own page
    assert state() == before


@pytest.mark.parametrize("path", ["/staff/events/{e}/live", "/staff/events/{e}/live/rows",
                                  "/staff/events/{e}/walkins"])
@pytest.mark.parametrize("at", ["yesterday", "2027-13-01T10:00", "0001-01-01T00:00", "9999-12-31T23:59",
                                "0001-01-01T00:00+14:00", "9999-12-31T23:59-12:00", "2027-03-10T10:15+99:00"])
def test_at_parameter_out_of_range_is_400_never_500(client, auth, day, path, at):
    auth.login(day.staff)

    response = client.get(path.format(e=day.event.id), query_string={"at": at})

    assert response.status_code in (200, 400)
    if at in ("yesterday", "2027-13-01T10:00", "2027-03-10T10:15+99:00"):
        assert response.status_code == 400


def test_at_parameter_still_shows_another_time(client, auth, day):
    auth.login(day.staff)
    slot = day.event.slots()[0]

    response = client.get(f"/staff/events/{day.event.id}/live",
                          query_string={"at": slot.start.isoformat()})

    assert response.status_code == 200


@pytest.mark.parametrize("row_id", ["", "abc", *TOO_BIG, "-1"])
def test_removing_an_interpreter_row_that_is_not_one_is_refused(client, auth, day, row_id):
    db.session.add(InterpreterSlot(event_id=day.event.id, language_a="en", language_b="ko", count=1))
    db.session.commit()
    before = state()
    auth.login(day.staff)

    response = client.post(f"/staff/events/{day.event.id}/interpreters/remove", data={"row_id": row_id})

    assert response.status_code == 302
    assert "This interpreter entry does not exist." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert state() == before


def test_removing_another_days_interpreter_row_through_this_day_is_refused(client, auth, day, make_event):
    elsewhere = make_event()
    row = InterpreterSlot(event_id=elsewhere.id, language_a="en", language_b="ko", count=1)
    db.session.add(row)
    db.session.commit()
    auth.login(day.staff)

    client.post(f"/staff/events/{day.event.id}/interpreters/remove", data={"row_id": row.id})

    db.session.expire_all()
    assert db.session.get(InterpreterSlot, row.id) is not None


@pytest.mark.parametrize("data", [
    {"language_a": "en", "language_b": "en", "slot": "all", "count": "1"},
    {"language_a": "en", "language_b": "ko", "slot": "all", "count": "-1"},
    {"language_a": "en", "language_b": "ko", "slot": "all", "count": "99999999999999999999"},
    {"language_a": "en", "language_b": "ko", "slot": "999", "count": "1"},
    {"language_a": "en", "language_b": "ko", "slot": "-1", "count": "1"},
    {"language_a": "xx-evil", "language_b": "ko", "slot": "all", "count": "1"},
    {"language_a": "en", "language_b": "ko", "slot": "all", "count": "two"},
])
def test_interpreter_form_with_bad_input_is_a_form_error(client, auth, day, data):
    before = state()
    auth.login(day.staff)

    response = client.post(f"/staff/events/{day.event.id}/interpreters", data=data)

    assert response.status_code == 200  # the form again, with its messages
    assert state() == before


@pytest.mark.parametrize("lang", ["xx", "../../etc", "en\x00", "k" * 500])
def test_briefs_in_an_unknown_language_fall_back(client, auth, day, lang):
    auth.login(day.staff)

    response = client.get(f"/staff/events/{day.event.id}/print/briefs", query_string={"lang": lang})

    assert response.status_code == (400 if "\x00" in lang else 200)


def test_checkin_search_with_wildcards_and_long_terms_is_no_500(client, auth, day):
    auth.login(day.staff)

    for term in ("%", "_", "\\", "'; DROP TABLE users; --", "x" * 5000):
        assert client.get(f"/staff/events/{day.event.id}/checkin", query_string={"q": term}).status_code == 200


# --- CSRF on every form of the day -------------------------------------------------------------------

def _posts(day) -> dict[str, dict]:
    p, meeting = day.participations["c4"], day.meetings["c2", "i1"]
    row = InterpreterSlot(event_id=day.event.id, language_a="en", language_b="ko", count=1)
    db.session.add(row)
    db.session.commit()
    return {
        f"/staff/participations/{p.id}/checkin": {},
        f"/staff/checkin/{checkin_token(p)}": {},
        f"/staff/participations/{p.id}/absent": {"reason": "illness"},
        f"/staff/meetings/{meeting.id}/missed": {"organization_id": day.orgs["c2"].id, "reason": "illness"},
        f"/staff/events/{day.event.id}/walkins": {"org_id": day.orgs["i1"].id, "candidate_id": day.orgs["c3"].id,
                                                  "slot": SLOT},
        f"/staff/events/{day.event.id}/interpreters": {"language_a": "en", "language_b": "id", "slot": "all",
                                                       "count": "2"},
        f"/staff/events/{day.event.id}/interpreters/remove": {"row_id": row.id},
    }


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def test_every_form_of_the_day_refuses_a_post_without_its_csrf_token(app, client, auth, day, monkeypatch):
    posts = _posts(day)
    before = state()
    auth.login(day.staff)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    statuses = {url: client.post(url, data=data).status_code for url, data in posts.items()}
    forged = {url: client.post(url, data={**data, "csrf_token": "forged"}).status_code
              for url, data in posts.items()}

    assert statuses == {url: 400 for url in posts}
    assert forged == {url: 400 for url in posts}
    assert state() == before
    assert walk_ins() == []


def test_the_days_pages_carry_the_token_their_forms_need(app, client, auth, day, monkeypatch):
    auth.login(day.staff)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    p = day.participations["c4"]

    page = client.get(f"/staff/events/{day.event.id}/checkin").get_data(as_text=True)
    token = CSRF_FIELD.search(page).group(1)
    response = client.post(f"/staff/participations/{p.id}/checkin", data={"csrf_token": token})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Participation, p.id).attendance == Attendance.CHECKED_IN
    for path in (f"/staff/events/{day.event.id}/walkins", f"/staff/participations/{p.id}/day",
                 f"/staff/events/{day.event.id}/interpreters"):
        forms = client.get(path).get_data(as_text=True).count('method="post"')
        tokens = len(CSRF_FIELD.findall(client.get(path).get_data(as_text=True)))
        assert tokens >= forms, path


def test_no_get_changes_the_day(client, auth, day):
    """Every page of the day opened by staff, with the query strings the pages use: nothing changes."""
    p = day.participations["c4"]
    before = state()
    auth.login(day.staff)
    audit = db.session.scalar(select(func.count()).select_from(AuditLog))
    for path in (f"/staff/events/{day.event.id}/checkin?q=Org", f"/staff/participations/{p.id}/day",
                 f"/staff/checkin/{checkin_token(p)}", f"/checkin/{checkin_token(p)}",
                 f"/staff/events/{day.event.id}/walkins?org={day.orgs['i1'].id}&slot={SLOT}",
                 f"/staff/events/{day.event.id}/live", f"/staff/events/{day.event.id}/print/agendas",
                 "/staff/noshows", f"/staff/events/{day.event.id}/zones"):
        assert client.get(path).status_code in (200, 302), path

    assert state() == before
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == audit
    assert db.session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.status == MeetingStatus.SCHEDULED)) == 1
    assert db.session.get(Organization, day.orgs["c1"].id) is not None


def test_board_refresh_errors_answer_json_to_a_client_asking_for_json(client, auth, day, outsider):
    json_only = {"Accept": "application/json"}
    auth.login(day.staff)

    bad_time = client.get(f"/staff/events/{day.event.id}/live/rows?at=soon", headers=json_only)
    auth.logout()
    auth.login(outsider)
    forbidden = client.get(f"/staff/events/{day.event.id}/live/rows", headers=json_only)
    missing = client.get("/staff/events/999999/live/rows", headers=json_only)

    assert (bad_time.status_code, bad_time.json) == (400, {"error": 400,
                                                           "message": "Give the time as 2027-03-10T10:15."})
    assert (forbidden.status_code, forbidden.json["error"]) == (403, 403)
    assert (missing.status_code, missing.json["error"]) == (404, 404)


def test_two_desks_marking_the_same_participant_absent_at_once_record_it_once(app, day, monkeypatch):
    """Both see the participant expected, both mark: the second waits for the first and is told, so the
    meetings are cancelled, the counterparts told and the ledger written once."""
    from matchmaker.services import dayops as service

    second_staff = User(email="desk2@example.com", name="Desk 2", role=Role.STAFF, office_id=day.staff.office_id,
                        locale="en", timezone="UTC", verified=True, password_hash="!")
    db.session.add(second_staff)
    db.session.commit()
    day.meet("c3", "i2", 1, "T2")
    p_id, staff_ids = day.participations["c3"].id, [day.staff.id, second_staff.id]
    mails_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    both_checked = threading.Barrier(2, timeout=20)
    cancel = service.meeting_service.cancel
    calls = []

    def cancel_counted(actor, request):
        calls.append(request.id)
        return cancel(actor, request)

    real_update = service.update

    def update_after_both_checked(*args):
        both_checked.wait()  # both have read the participant as expected; now both try to write
        return real_update(*args)

    monkeypatch.setattr(service, "update", update_after_both_checked)
    monkeypatch.setattr(service.meeting_service, "cancel", cancel_counted)
    outcomes = []

    def mark(staff_id: int):
        with app.app_context():
            try:
                service.mark_absent(db.session.get(User, staff_id), db.session.get(Participation, p_id),
                                    NoShowReason.ILLNESS)
                db.session.commit()
                outcomes.append("marked")
            except ServiceError as error:
                db.session.rollback()
                outcomes.append(str(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=mark, args=(staff_id,)) for staff_id in staff_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes) == ["This participant is already marked absent.", "marked"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(NoShow).where(
        NoShow.organization_id == day.orgs["c3"].id)) == 1
    assert len(calls) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) > mails_before
