"""/api/v1 schedule: a meeting read by each role as the pages show it; staff move and swap meetings through the board's
service (the same audit entries, e-mails and webhooks as the board page), a version read before another change is a
409, a slot, table or meeting that is not the day's is a 422 (never a 500); staff cancel a meeting after its preview,
with the preview's token, as on the confirmation page."""

import pytest
from builders.api_world import ROLES, api_world, get, post
from builders.clients import sign_in
from builders.dayops import build_day
from sqlalchemy import select

from matchmaker.enums import MeetingStatus, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Meeting, OutboxMessage, WebhookDelivery
from matchmaker.services import api_tokens, webhooks
from matchmaker.services.availability import save_availability


@pytest.fixture
def world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
          add_meeting):
    ids = api_world(make_office, make_user, make_org, make_program, make_event, make_participation, make_request,
                    add_meeting)
    meeting = db.session.get(Meeting, ids["meeting"])
    guest = make_org()
    make_participation(meeting.event, guest)
    second = add_meeting(make_request(meeting.event, guest, make_org(), status=RequestStatus.ACCEPTED), slot=2)
    db.session.commit()
    return {**ids, "request": meeting.request_id, "second": second.id}


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation)
    webhooks.create(day.staff, day.event.program.office_id, "http://127.0.0.1:9/hooks",
                    ["meeting.moved", "meeting.cancelled"])
    day.token = api_tokens.create(day.staff, "test", "write")[1]
    db.session.commit()
    return day


# (method, path, body, status for (company, partner, staff of office A, staff of office B, admin)), as the pages
# answer; run in this order by each role on a world of its own (the writes last).
MATRIX = [
    ("GET", "/api/v1/meetings/{meeting}", None, (404, 200, 200, 403, 200)),
    ("GET", "/api/v1/meetings/999999", None, (404, 404, 404, 404, 404)),
    ("GET", "/api/v1/meetings/{meeting}/cancellation", None, (403, 403, 200, 403, 200)),
    ("GET", "/api/v1/requests/{request}/cancellation", None, (404, 200, 403, 403, 403)),
    ("POST", "/api/v1/meetings/{meeting}/move", {"slot": 1, "table": None}, (403, 403, 200, 403, 200)),
    ("POST", "/api/v1/meetings/{meeting}/swap", {"with_meeting_id": "second"}, (403, 403, 200, 403, 200)),
    ("POST", "/api/v1/requests/{request}/cancel", {}, (404, 409, 403, 403, 403)),
    ("POST", "/api/v1/meetings/{meeting}/cancel", {}, (403, 403, 409, 403, 409)),
]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_pages_give(client, world, role):
    token = world["tokens"][role]
    answers = []
    for method, path, body, _statuses in MATRIX:
        url = path.format(**world)
        if method == "GET":
            answers.append(get(client, token, url).status_code)
        else:
            body = {key: world[value] if value == "second" else value for key, value in body.items()}
            answers.append(post(client, token, url, body).status_code)

    assert answers == [statuses[ROLES.index(role)] for *_call, statuses in MATRIX]


# API path -> (the page a member opens, the page staff and admins open), read by each role; None: no such page.
PAGES = {
    "/api/v1/meetings/{meeting}": ("/meetings/{meeting}", None),
    "/api/v1/meetings/{meeting}/cancellation": ("/staff/meetings/{meeting}/cancel", "/staff/meetings/{meeting}/cancel"),
    "/api/v1/requests/{request}/cancellation": ("/requests/{request}/cancel", "/requests/{request}/cancel"),
}


@pytest.mark.parametrize("api_path", list(PAGES))
def test_the_api_answers_each_role_as_its_page_does(app, client, world, api_path):
    pages, answers = [], []
    for role in ROLES:
        page = PAGES[api_path][role not in ("company", "partner")]
        if page is not None:
            browser = app.test_client()
            assert sign_in(browser, world["emails"][role]).status_code == 302
            pages.append((role, browser.get(page.format(**world)).status_code))
            answers.append((role, get(client, world["tokens"][role], api_path.format(**world)).status_code))

    assert answers == pages


def test_a_member_reads_its_meeting_only_once_the_day_is_published(client, world):
    meeting = db.session.get(Meeting, world["meeting"])
    path = f"/api/v1/meetings/{meeting.id}"
    meeting.event.published = False
    db.session.commit()

    hidden = get(client, world["tokens"]["partner"], path)
    staff = get(client, world["tokens"]["staff_a"], path)

    assert hidden.status_code == 404
    body = staff.get_json()
    assert (body["id"], body["slot"], body["version"], body["locked"], body["status"]) == (
        meeting.id, 0, meeting.version, False, "scheduled")
    assert body["organization_ids"] == [world["other_org"], world["partner_org"]]


def test_a_table_on_a_day_without_tables_is_422(client, world):
    answer = post(client, world["tokens"]["staff_a"], "/api/v1/meetings/{meeting}/move".format(**world),
                  {"slot": 1, "table": "T1"})

    assert (answer.status_code, answer.get_json()["errors"]) == (
        422, {"json": {"table": ["This day has no tables: send null."]}})


def _audit(meeting_ids) -> list[tuple[str, str]]:
    return list(db.session.execute(select(AuditLog.object_type, AuditLog.action).where(
        AuditLog.action.in_(("board_change", "move_meeting")),
        AuditLog.object_id.in_(meeting_ids) | (AuditLog.object_type == "Event")).order_by(AuditLog.id)))


def _mail_to(day, *keys) -> list[str]:
    addresses = {day.users[key].email for key in keys}
    return sorted(m.kind for m in db.session.scalars(select(OutboxMessage)) if m.to_address in addresses)


def _moved(meeting_id: int) -> list[int]:
    return [d.payload["meeting"]["id"] for d in db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.event_type == "meeting.moved").order_by(WebhookDelivery.id))
        if d.payload["meeting"]["id"] == meeting_id]


def test_a_move_does_what_the_boards_move_does(client, auth, day):
    by_page, by_api = day.meet("c1", "i1", 0, "T1"), day.meet("c2", "i2", 1, "T1")
    auth.login(day.staff)
    client.post(f"/staff/meetings/{by_page.id}/move", data={"slot": "3", "table": "T2"})
    page_audit, page_mail = _audit([by_page.id]), _mail_to(day, "c1", "i1")
    auth.logout()

    answer = post(client, day.token, f"/api/v1/meetings/{by_api.id}/move",
                  {"slot": 4, "table": "T3", "version": by_api.version})

    body = answer.get_json()
    assert (answer.status_code, body["slot"], body["table_label"]) == (200, 4, "T3")
    assert body["start_dt"] == day.event.slots()[4].start.isoformat()
    assert page_audit == [("Meeting", "move_meeting"), ("Event", "board_change")]
    assert _audit([by_page.id, by_api.id]) == page_audit * 2
    assert _mail_to(day, "c2", "i2") == page_mail == []  # a move is told at the next publication, as the board's
    assert (_moved(by_page.id), _moved(by_api.id)) == ([by_page.id], [by_api.id])


def test_a_version_read_before_another_change_is_a_conflict(client, day):
    meeting = day.meet("c1", "i1", 0, "T1")
    seen = meeting.version
    path = f"/api/v1/meetings/{meeting.id}/move"
    first = post(client, day.token, path, {"slot": 2, "table": "T1", "version": seen})

    second = post(client, day.token, path, {"slot": 3, "table": "T1", "version": seen})

    assert (first.status_code, first.get_json()["version"]) == (200, seen + 1)
    assert (second.status_code, second.mimetype, second.get_json()["detail"]) == (409, "application/problem+json",
        "Someone else changed this meeting a moment ago; the board shows it as it is now.")
    db.session.expire_all()
    assert (meeting.start_dt, meeting.version) == (day.event.slots()[2].start, seen + 1)


def test_a_swap_exchanges_two_seats_and_answers_both(client, day):
    first, second = day.meet("c1", "i1", 0, "T1"), day.meet("c2", "i2", 3, "T2")

    answer = post(client, day.token, f"/api/v1/meetings/{first.id}/swap",
                  {"with_meeting_id": second.id, "version": first.version, "with_version": second.version})
    stale = post(client, day.token, f"/api/v1/meetings/{first.id}/swap",
                 {"with_meeting_id": second.id, "with_version": second.version - 1})

    assert answer.status_code == 200
    assert [(m["id"], m["slot"], m["table_label"]) for m in answer.get_json()] == [
        (first.id, 3, "T2"), (second.id, 0, "T1")]
    assert stale.status_code == 409
    assert sorted(_moved(first.id) + _moved(second.id)) == sorted([first.id, second.id])


def test_the_services_refusals_are_conflicts_with_its_message(client, day):
    meeting, busy = day.meet("c1", "i1", 0, "T1"), day.meet("c1", "i2", 1, "T1")
    day.meet("c2", "i3", 2, "T2")
    path = f"/api/v1/meetings/{meeting.id}/move"

    answers = [post(client, day.token, path, {"slot": 1, "table": "T2"}),
               post(client, day.token, path, {"slot": 2, "table": "T2"})]
    slots = day.event.slots()
    save_availability(day.users["i1"], day.participations["i1"], slots, [s.index for s in slots if s.index != 5])
    busy.locked = True
    db.session.commit()
    answers.append(post(client, day.token, path, {"slot": 5, "table": "T1"}))
    answers.append(post(client, day.token, f"/api/v1/meetings/{busy.id}/move", {"slot": 4, "table": "T1"}))

    assert [(a.status_code, a.get_json()["detail"]) for a in answers] == [
        (409, "Org c1 already has a meeting then."), (409, "Table T2 is taken at that time."),
        (409, "Org i1 is not available then."), (409, "Locked in place: unlock it first.")]
    db.session.expire_all()
    assert (meeting.start_dt, meeting.table_label) == (day.event.slots()[0].start, "T1")


@pytest.mark.parametrize("body, field", [
    ({"slot": -1, "table": "T1"}, "slot"), ({"slot": 10**20, "table": "T1"}, "slot"),
    ({"slot": "third", "table": "T1"}, "slot"), ({"slot": None, "table": "T1"}, "slot"), ({"table": "T1"}, "slot"),
    ({"slot": 6, "table": "T1"}, "slot"), ({"slot": 999, "table": "T1"}, "slot"),
    ({"slot": 1.5, "table": "T1"}, "slot"), ({"slot": "1", "table": "T1"}, "slot"),
    ({"slot": 1, "table": "T9"}, "table"), ({"slot": 1, "table": ""}, "table"), ({"slot": 1, "table": 5}, "table"),
    ({"slot": 1, "table": None}, "table"), ({"slot": 1, "table": "x" * 10_000}, "table"),
    ({"slot": 1, "table": "T1", "version": -1}, "version"), ({"slot": 1, "table": "T1", "version": 2**80}, "version"),
    ({"slot": 1, "table": "T1", "version": "new"}, "version"),
])
def test_a_move_to_no_place_of_the_day_is_422(client, day, body, field):
    meeting = day.meet("c1", "i1", 0, "T1")

    answer = post(client, day.token, f"/api/v1/meetings/{meeting.id}/move", body)

    assert (answer.status_code, list(answer.get_json()["errors"]["json"])) == (422, [field])
    db.session.expire_all()
    assert meeting.version == 1 and meeting.start_dt == day.event.slots()[0].start


def test_a_swap_with_no_meeting_of_the_day_is_422(client, day, make_event, make_request, add_meeting):
    meeting, cancelled = day.meet("c1", "i1", 0, "T1"), day.meet("c2", "i2", 1, "T1")
    cancelled.status = MeetingStatus.CANCELLED
    elsewhere = add_meeting(make_request(make_event(), day.orgs["c3"], day.orgs["i3"], status=RequestStatus.ACCEPTED))
    path = f"/api/v1/meetings/{meeting.id}/swap"

    answers = [post(client, day.token, path, {"with_meeting_id": other})
               for other in (meeting.id, cancelled.id, elsewhere.id, 999_999, 0, -5, 10**12, "x", None)]
    not_json = client.post(path, data="[1, 2", content_type="application/json",
                           headers={"Authorization": f"Bearer {day.token}"})

    assert [(a.status_code, list(a.get_json()["errors"]["json"])) for a in answers] == [
        (422, ["with_meeting_id"])] * 9
    assert (not_json.status_code, not_json.get_json()["errors"]) == (400, {"json": ["Invalid JSON body."]})
    db.session.expire_all()
    assert (meeting.version, elsewhere.version) == (1, 1)


def test_staff_cancel_after_the_preview_as_on_the_confirmation_page(client, auth, day):
    by_page, by_api = day.meet("c2", "i2", 0, "T2"), day.meet("c1", "i1", 1, "T1")
    auth.login(day.staff)
    page = client.get(f"/staff/meetings/{by_page.id}/cancel").get_data(True)
    page_token = page.split('name="token" value="')[1].split('"')[0]
    client.post(f"/staff/meetings/{by_page.id}/cancel", data={"token": page_token})
    auth.logout()
    path = f"/api/v1/meetings/{by_api.id}"

    preview = get(client, day.token, path + "/cancellation").get_json()
    without = post(client, day.token, path + "/cancel", {})
    stale = post(client, day.token, path + "/cancel", {"confirm_token": "f" * 32})
    done = post(client, day.token, path + "/cancel", {"confirm_token": preview.pop("confirm_token")})
    again = get(client, day.token, path + "/cancellation")

    date = day.event.date.isoformat()
    assert preview == {
        "request_id": by_api.request_id, "meeting_id": by_api.id, "event_id": day.event.id,
        "organizations": ["Org c1", "Org i1"], "start_dt": f"{date}T09:30:00+07:00", "end_dt": f"{date}T10:00:00+07:00",
        "timezone": "Asia/Jakarta", "table": "T1", "room": None,
        "told": [{"name": "Person c1", "organization_id": day.orgs["c1"].id, "organization": "Org c1"},
                 {"name": "Person i1", "organization_id": day.orgs["i1"].id, "organization": "Org i1"}],
        "calendar_cancellations": 0,
    }
    assert (without.status_code, without.get_json()["detail"]) == (
        409, f"Read the cancellation first (GET {path}/cancellation) and send its confirm_token.")
    assert (stale.status_code, stale.get_json()["detail"]) == (
        409, "The meeting changed since you looked at it (it may have moved): look at it again before cancelling.")
    assert (done.status_code, done.get_json()["status"]) == (200, "cancelled")
    assert (again.status_code, again.get_json()["detail"]) == (409, "This meeting is cancelled already.")
    assert [_mail_to(day, key) for key in ("c2", "i2", "c1", "i1")] == [["request_cancelled"]] * 4  # page = API
    assert [d.payload["meeting"]["id"] for d in db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.event_type == "meeting.cancelled")
        .order_by(WebhookDelivery.id))] == [by_page.id, by_api.id]


def test_a_meeting_moved_after_its_preview_is_not_cancelled(client, day):
    meeting = day.meet("c1", "i1", 0, "T1")
    path = f"/api/v1/meetings/{meeting.id}"
    token = get(client, day.token, path + "/cancellation").get_json()["confirm_token"]
    post(client, day.token, path + "/move", {"slot": 3, "table": "T1"})

    answer = post(client, day.token, path + "/cancel", {"confirm_token": token})

    assert answer.status_code == 409
    db.session.expire_all()
    assert (meeting.status, meeting.request.status) == (MeetingStatus.SCHEDULED, RequestStatus.ACCEPTED)


def test_refusals_come_in_the_token_owners_language(client, day, make_user):
    korean = make_user(Role.STAFF, office_id=day.event.program.office_id, locale="ko")
    token = api_tokens.create(korean, "test", "write")[1]
    db.session.commit()
    meeting = day.meet("c1", "i1", 0, "T1")

    answer = post(client, token, f"/api/v1/meetings/{meeting.id}/move", {"slot": 40, "table": "T1"})

    assert (answer.status_code, answer.get_json()["errors"]) == (
        422, {"json": {"slot": ["이 행사일의 시간대가 아닙니다."]}})


def test_a_member_reads_its_cancelled_meeting_as_its_page_shows_it(app, client, world):
    """The partner's meeting is cancelled: its meeting page still shows it, so the API answers it too, with its
    status, and the day's list keeps it (a calendar syncing with updated_since learns of the cancellation)."""
    meeting = db.session.get(Meeting, world["meeting"])
    meeting.status = MeetingStatus.CANCELLED
    db.session.commit()
    token = world["tokens"]["partner"]

    one = get(client, token, "/api/v1/meetings/{meeting}".format(**world))
    listed = get(client, token, "/api/v1/events/{event}/meetings".format(**world)).get_json()
    page = app.test_client()
    assert sign_in(page, world["emails"]["partner"]).status_code == 302

    assert (one.status_code, one.get_json()["status"]) == (200, "cancelled")
    assert [(m["id"], m["status"]) for m in listed] == [(world["meeting"], "cancelled")]
    assert page.get("/meetings/{meeting}".format(**world)).status_code == 200
    assert get(client, world["tokens"]["company"], "/api/v1/meetings/{meeting}".format(**world)).status_code == 404
