"""Honest request states: the one rule (accepted requests wait for the schedule, are not scheduled with a reason, or
are scheduled), the scheduler's reasons kept as data on the request and worded the same for both sides and staff."""

from datetime import time

import pytest
from builders.clients import switch_user
from builders.scheduling import run_scheduler

from matchmaker.domain.request_state import RequestState, request_state
from matchmaker.enums import EventMode, MeetingStatus, OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.scheduling import parse_instance, solve
from matchmaker.scheduling.instance import INSTANCE_FORMAT
from matchmaker.scheduling.reasons import CODES
from matchmaker.scheduling.schedule import Unscheduled
from matchmaker.services import meetings as meetings_service
from matchmaker.services import scheduling as scheduling_service
from matchmaker.services.availability import slots_to_windows
from matchmaker.services.request_states import REASONS, describe, stored_reason

WAITING = "Accepted, waiting for the schedule"
NOT_SCHEDULED = "Accepted, not scheduled"
FULLY_BOOKED = "At every time both sides are available, Jakarta Buyer already has another meeting."
HELP = "Jakarta Buyer can add available times, or the office can decide which meeting to keep."


@pytest.mark.parametrize(("status", "placed", "shown", "unplaced", "expected"), [
    ("requested", False, False, False, RequestState.REQUESTED),
    ("declined", False, True, False, RequestState.DECLINED),
    ("expired", False, False, False, RequestState.EXPIRED),
    ("cancelled", False, True, True, RequestState.CANCELLED),  # a reason left behind does not matter any more
    ("accepted", False, False, False, RequestState.WAITING),  # no run yet
    ("accepted", False, True, False, RequestState.WAITING),  # accepted after the publication, no run since
    ("accepted", False, False, True, RequestState.NOT_SCHEDULED),  # a run could not place it
    ("accepted", False, True, True, RequestState.NOT_SCHEDULED),
    ("accepted", True, False, False, RequestState.WAITING),  # placed in the draft, not published
    ("accepted", True, True, False, RequestState.SCHEDULED),
    ("accepted", True, True, True, RequestState.SCHEDULED),  # placed wins over a stale reason
])
def test_request_state_rule(status, placed, shown, unplaced, expected):
    assert request_state(status, placed=placed, shown=shown, unplaced=unplaced) == expected


def _pair(make_org, make_event, make_request):
    event = make_event()
    company = make_org(OrgKind.COMPANY, name="Seoul Co")
    buyer = make_org(OrgKind.BUYER, name="Jakarta Buyer")
    return make_request(event, company, buyer, status=RequestStatus.ACCEPTED), company, buyer


@pytest.mark.parametrize(("code", "params", "expected"), [
    ("fully_booked", {"participant": "buyer"}, {"code": "fully_booked", "params": {"side": "partner"}}),
    ("unavailable", {"participant": "company"}, {"code": "unavailable", "params": {"side": "company"}}),
    ("max_meetings", {"participant": "company", "max": 3},
     {"code": "max_meetings", "params": {"side": "company", "max": 3}}),
    ("too_few_slots", {"participant": "buyer"}, {"code": "fully_booked", "params": {"side": "partner"}}),
    ("booked_in_turn", {}, {"code": "both_fully_booked", "params": {}}),
    ("no_common_slot", {}, {"code": "no_common_time", "params": {}}),
    ("tables_full", {"tables": 2}, {"code": "no_table", "params": {}}),
    ("resource_full", {"resource": "interp:en-ko"}, {"code": "no_interpreter", "params": {}}),
    ("resources_apart", {"resources": ["interp:en-ko", "interp:en-vi"]}, {"code": "no_interpreter", "params": {}}),
    ("resource_full", {"resource": "projector"}, {"code": "staff_decision", "params": {}}),
    ("time_limit", {}, {"code": "time_limit", "params": {}}),
    ("priority", {}, {"code": "staff_decision", "params": {}}),
    ("precedence", {"after": "7"}, {"code": "staff_decision", "params": {}}),
])
def test_stored_reason_names_the_side_not_the_id(make_org, make_event, make_request, code, params, expected):
    item, company, buyer = _pair(make_org, make_event, make_request)
    ids = {"company": str(company.id), "buyer": str(buyer.id)}
    params = {k: ids.get(v, v) if k == "participant" else v for k, v in params.items()}
    assert stored_reason(item, Unscheduled(str(item.id), "the scheduler's sentence", code, params)) == expected
    assert expected["code"] in REASONS


@pytest.mark.parametrize(("stored", "why", "helped_by"), [
    ({"code": "fully_booked", "params": {"side": "partner"}},
     "At every time both sides are available, Jakarta Buyer already has another meeting.", {"buyer"}),
    ({"code": "unavailable", "params": {"side": "company"}}, "Seoul Co has no available time on this day.",
     {"company"}),
    ({"code": "no_common_time", "params": {}}, "The two sides have no available time in common.",
     {"company", "buyer"}),
    ({"code": "max_meetings", "params": {"side": "company", "max": 3}},
     "Seoul Co already has as many meetings as the office allows.", set()),
    ({"code": "time_limit", "params": {}}, "The scheduler ran out of time before placing it.", set()),
    # A code this version does not know, or a side the request lacks: the office decides.
    ({"code": "solar_eclipse", "params": {}}, "It could not be fitted in with the day's other meetings.", set()),
    ({"code": "unavailable", "params": {"side": "alien"}}, "It could not be fitted in with the day's other meetings.",
     set()),
])
def test_describe_words_the_reason_and_whose_availability_helps(app, make_org, make_event, make_request, stored,
                                                                 why, helped_by):
    item, company, buyer = _pair(make_org, make_event, make_request)
    item.unplaced_reason = stored
    with app.test_request_context():
        text = describe(item)
    assert (text.state, text.label, text.reason) == (RequestState.NOT_SCHEDULED, "Accepted, not scheduled", why)
    assert text.availability_of == {{"company": company.id, "buyer": buyer.id}[k] for k in helped_by}


def test_scheduler_reasons_carry_codes_and_the_json_output_is_unchanged():
    """A is available in one slot only and has two meetings; D is never available: each meeting left out carries
    a known code about the right participant, and the JSON output still gives only the meeting and the sentence."""
    slots = [{"id": str(n), "start": f"2026-12-01T{9 + n:02d}:00:00+00:00",
              "end": f"2026-12-01T{9 + n:02d}:30:00+00:00"} for n in range(2)]
    instance = {
        "format": INSTANCE_FORMAT, "name": "t", "slots": slots,
        "participants": [{"id": "A", "available": [{"start": slots[0]["start"], "end": slots[0]["end"]}]},
                         {"id": "B"}, {"id": "C"}, {"id": "D", "available": []}],
        "meetings": [{"id": "m1", "participants": ["A", "B"]}, {"id": "m2", "participants": ["A", "C"]},
                     {"id": "m3", "participants": ["D", "B"]}],
    }
    result = solve(parse_instance(instance), time_limit=5)
    left = {u.meeting: (u.code, dict(u.params)) for u in result.unscheduled}
    assert len(left) == 2 and left.pop("m3") == ("unavailable", {"participant": "D"})
    assert list(left.values()) == [("fully_booked", {"participant": "A"})]
    assert all(u.code in CODES for u in result.unscheduled)
    out = result.to_dict()["unscheduled"]
    assert all(set(u) == {"meeting", "reason"} for u in out)
    assert {u["meeting"]: u["reason"] for u in out}["m3"] == "participant D is not available in any slot"


@pytest.fixture
def booked_day(make_user, make_org, make_event, make_participation, make_office, make_program, make_request,
               add_meeting):
    """An in-person day of four slots: the buyer is available only in the first, where its meeting with the first
    company is locked; the second company's accepted request with it has nowhere to go. Returns the day, the three
    users, the staff member and the two requests, after a scheduler run."""
    office = make_office()
    event = make_event(program=make_program(office=office), mode=EventMode.IN_PERSON, venue="Hall", tables=2,
                       timezone="Asia/Jakarta", day_start=time(9), day_end=time(11))
    first = make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, name="Busan Co"))
    second = make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, name="Seoul Co"))
    buyer = make_user(Role.PARTNER, organization=make_org(OrgKind.BUYER, name="Jakarta Buyer"))
    for user in (first, second):
        make_participation(event, user.organization)
    make_participation(event, buyer.organization).availability = slots_to_windows(event.slots()[:1])
    booked = make_request(event, first.organization, buyer.organization, status=RequestStatus.ACCEPTED)
    waiting = make_request(event, second.organization, buyer.organization, status=RequestStatus.ACCEPTED)
    add_meeting(booked, slot=0).locked = True
    db.session.commit()
    staff = make_user(Role.STAFF, office=office)
    run_scheduler(staff, event, time_limit=10)
    return event, first, second, buyer, staff, booked, waiting


def _page(client, user, url: str) -> str:
    switch_user(client, user)
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_before_any_run_an_accepted_request_waits_for_the_schedule(client, make_user, make_org, make_event,
                                                                  make_participation, make_request):
    event = make_event()
    company = make_user(Role.COMPANY)
    partner = make_user(Role.PARTNER)
    for user in (company, partner):
        make_participation(event, user.organization)
    item = make_request(event, company.organization, partner.organization, status=RequestStatus.ACCEPTED)
    for user in (company, partner):
        assert WAITING in _page(client, user, f"/requests/{item.id}")
        assert WAITING in _page(client, user, "/requests")
        agenda = _page(client, user, "/agenda")
        assert "Accepted, not scheduled" in agenda and WAITING in agenda
        assert NOT_SCHEDULED not in _page(client, user, f"/requests/{item.id}")


def test_after_a_run_both_sides_and_staff_see_not_scheduled_and_why(client, booked_day):
    event, first, second, buyer, staff, booked, waiting = booked_day
    assert waiting.unplaced_reason == {"code": "fully_booked", "params": {"side": "partner"}}
    for user in (second, buyer):
        for url in (f"/requests/{waiting.id}", "/requests", "/agenda"):
            page = _page(client, user, url)
            assert NOT_SCHEDULED in page and FULLY_BOOKED in page and HELP in page, (user.email, url)
    link = f'/events/{event.id}/availability">My availability'
    assert link in _page(client, buyer, f"/requests/{waiting.id}")  # the buyer's availability would help
    assert link not in _page(client, second, f"/requests/{waiting.id}")  # the company's would not
    board = _page(client, staff, f"/staff/events/{event.id}/schedule")
    assert NOT_SCHEDULED in board and FULLY_BOOKED in board and HELP in board
    assert "participant" in board.split("Accepted but not placed")[1]  # the scheduler's own sentence, as a detail
    # The first company's request was placed: its page says nothing of a reason (the day is not published yet).
    page = _page(client, first, f"/requests/{booked.id}")
    assert WAITING in page and NOT_SCHEDULED not in page


def test_once_placed_the_reason_is_cleared_and_the_time_shown(client, booked_day):
    event, first, second, buyer, staff, booked, waiting = booked_day
    meetings_service.cancel(staff, booked)  # frees the buyer's only slot
    db.session.commit()
    run_scheduler(staff, event, time_limit=10)
    db.session.refresh(waiting)
    assert waiting.unplaced_reason is None
    assert waiting.meeting.status == MeetingStatus.SCHEDULED
    scheduling_service.publish(staff, event)
    db.session.commit()
    for user in (second, buyer):
        page = _page(client, user, f"/requests/{waiting.id}")
        assert ">Scheduled<" in page and NOT_SCHEDULED not in page and FULLY_BOOKED not in page
        assert "Accepted, not scheduled" not in _page(client, user, "/agenda")


def test_a_cancelled_request_forgets_why_it_was_not_placed(client, booked_day):
    event, first, second, buyer, staff, booked, waiting = booked_day
    meetings_service.cancel(second, waiting)
    db.session.commit()
    assert waiting.unplaced_reason is None
    page = _page(client, buyer, f"/requests/{waiting.id}")
    assert "Cancelled" in page and FULLY_BOOKED not in page
