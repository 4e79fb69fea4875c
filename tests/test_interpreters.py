"""Meeting languages: pairs without a common language, interpreters per slot in the scheduler and in PICK
mode, the language of placed meetings, and the staff page for interpreters."""

from collections import Counter
from datetime import time

import pytest
from builders.scheduling import run_scheduler
from sqlalchemy import select

from matchmaker.domain.languages import common_languages, interpreter_pair, meeting_language, resource_id
from matchmaker.enums import EventMode, MeetingStatus, OrgKind, RequestStatus, Role, RunStatus, SchedulingMode
from matchmaker.extensions import db
from matchmaker.models import InterpreterSlot, Meeting, MeetingRequest, ScheduleRun
from matchmaker.services import meetings as meeting_service
from matchmaker.services import scheduling as service
from matchmaker.services.availability import slots_to_windows


@pytest.mark.parametrize(("a", "b", "expected"), [
    (["ko"], ["vi"], ("ko", "vi")),
    (["ko", "en"], ["en"], None),  # English in common
    (["ko"], ["en", "vi"], ("en", "ko")),  # English is the bridge interpreters most often cover
    (["ko"], ["vi", "en"], ("en", "ko")),
    (["ko"], ["th", "vi"], ("ko", "th")),  # no bridge: the languages listed first
    (["KO-kr"], ["ko"], None),  # compared by primary subtag, case-insensitively
    ([], ["vi"], None),  # nothing known, nothing flagged
])
def test_interpreter_pair(a, b, expected):
    assert interpreter_pair(a, b) == expected


def test_interpreter_pair_prefers_a_pair_staff_can_cover():
    assert interpreter_pair(["ko"], ["en", "vi"], {("ko", "vi"): 2}) == ("ko", "vi")
    assert interpreter_pair(["ko"], ["en", "vi"], {("ko", "vi"): 0}) == ("en", "ko")


def test_meeting_language_code():
    assert common_languages(["ko", "en", "vi"], ["vi", "en"]) == ["en", "vi"]
    assert meeting_language(["ko", "en"], ["vi", "en"]).code == "en"
    language = meeting_language(["ko"], ["vi"])
    assert language.needs_interpreter and language.code == "ko-vi"
    assert resource_id(language.pair) == "interp:ko-vi"


@pytest.fixture
def day(make_user, make_org, make_event, make_participation, make_office, make_program, auth):
    """An online day of 6 slots; three Korean-only companies each meet one Vietnamese-only buyer."""
    office = make_office()
    event = make_event(program=make_program(office=office), mode=EventMode.ONLINE, timezone="Asia/Ho_Chi_Minh",
                       day_start=time(9), day_end=time(12))
    companies = [make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, languages=["ko"]))
                 for _ in range(3)]
    buyers = [make_user(Role.PARTNER, organization=make_org(OrgKind.BUYER, languages=["vi"])) for _ in range(3)]
    parts = {u.organization_id: make_participation(event, u.organization) for u in companies + buyers}
    items = [MeetingRequest(event_id=event.id, from_org_id=c.organization_id, to_org_id=b.organization_id,
                            status=RequestStatus.ACCEPTED) for c, b in zip(companies, buyers, strict=True)]
    db.session.add_all(items)
    db.session.commit()
    staff = make_user(Role.STAFF, office=office)
    return event, companies, buyers, parts, staff, items


def _interpreters(event, count, start=None):
    db.session.add(InterpreterSlot(event_id=event.id, language_a="ko", language_b="vi", count=count, start_dt=start))
    db.session.commit()


def _placed(event) -> list[Meeting]:
    return list(db.session.scalars(
        select(Meeting).where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.SCHEDULED)
        .order_by(Meeting.id)
    ))


def _run(staff, event) -> ScheduleRun:
    run = run_scheduler(staff, event, time_limit=10)
    run = db.session.get(ScheduleRun, run.id)
    assert run.status == RunStatus.DONE, run.error
    return run


def test_instance_needs_an_interpreter_per_pair(day):
    event, *_ = day
    _interpreters(event, 2)
    instance = service.build_instance(event)
    assert instance["resources"] == [{"id": "interp:ko-vi", "capacity": 2}]
    assert all(m["needs"] == ["interp:ko-vi"] for m in instance["meetings"])


def test_scheduler_places_no_more_interpreted_meetings_than_interpreters(day):
    event, companies, buyers, parts, staff, items = day
    _interpreters(event, 1)
    # Everyone is free only in the first two slots: one interpreter, so only two of the three meetings fit.
    for p in parts.values():
        p.availability = slots_to_windows(event.slots()[:2])
    db.session.commit()
    run = _run(staff, event)
    placed = _placed(event)
    assert len(placed) == 2
    assert max(Counter(m.start_dt for m in placed).values()) == 1
    assert all(m.language == "ko-vi" and m.interpreter for m in placed)
    (left,) = run.result["unscheduled"]
    assert "interp:ko-vi" in left["reason"]
    assert run.result["objective"]["scheduled"] == 2


def test_scheduler_places_them_together_when_interpreters_suffice(day):
    event, companies, buyers, parts, staff, items = day
    _interpreters(event, 3)
    for p in parts.values():
        p.availability = slots_to_windows(event.slots()[:1])
    db.session.commit()
    _run(staff, event)
    placed = _placed(event)
    assert len(placed) == 3 and {m.start_dt for m in placed} == {event.slots()[0].start}


def test_a_slot_specific_number_overrides_the_default(day):
    event, companies, buyers, parts, staff, items = day
    slots = event.slots()
    _interpreters(event, 3)
    _interpreters(event, 1, slots[0].start)
    for p in parts.values():
        p.availability = slots_to_windows(slots[:2])
    db.session.commit()
    run = _run(staff, event)
    placed = _placed(event)
    assert len(placed) == 3
    per_slot = Counter(m.start_dt for m in placed)
    assert per_slot[slots[0].start] <= 1 and per_slot[slots[1].start] <= 3
    assert run.result["unscheduled"] == []
    # The slot's own number is the resource's capacity in that slot; the instance has only the real meetings.
    assert run.instance["resources"] == [{"id": "interp:ko-vi", "capacity": 3, "slot_capacity": {"0": 1}}]
    assert sorted(m["id"] for m in run.instance["meetings"]) == sorted(str(i.id) for i in items)
    assert run.result["objective"]["scheduled"] == 3


def test_slot_numbers_without_a_default_leave_the_other_slots_without_interpreters(day):
    event, companies, buyers, parts, staff, items = day
    slots = event.slots()
    _interpreters(event, 1, slots[3].start)
    _interpreters(event, 2, slots[5].start)
    instance = service.build_instance(event)
    assert instance["resources"] == [{"id": "interp:ko-vi", "capacity": 0, "slot_capacity": {"3": 1, "5": 2}}]
    _run(staff, event)
    placed = _placed(event)
    assert len(placed) == 3
    assert Counter(m.start_dt for m in placed) == {slots[3].start: 1, slots[5].start: 2}


def test_no_interpreter_in_the_slots_the_pair_can_meet_is_the_reason(day):
    event, companies, buyers, parts, staff, items = day
    slots = event.slots()
    _interpreters(event, 3, slots[4].start)
    for p in parts.values():
        p.availability = slots_to_windows(slots[:2])
    db.session.commit()
    run = _run(staff, event)
    assert _placed(event) == []
    reasons = {u["reason"] for u in run.result["unscheduled"]}
    assert reasons == {"needs an interpreter for ko-vi, and there is none in 0, 1, the slots where they could meet"}


def test_no_interpreter_for_the_pair_is_the_reason(day):
    event, companies, buyers, parts, staff, items = day
    run = _run(staff, event)
    assert _placed(event) == []
    reasons = {u["reason"] for u in run.result["unscheduled"]}
    assert reasons == {"needs an interpreter for ko-vi, and there is none for this language pair"}


def test_common_language_meeting_has_its_language_and_no_interpreter(day, make_org, make_participation):
    event, companies, buyers, parts, staff, items = day
    speaker = make_org(OrgKind.BUYER, languages=["en", "ko"])
    make_participation(event, speaker)
    item = MeetingRequest(event_id=event.id, from_org_id=companies[0].organization_id, to_org_id=speaker.id,
                          status=RequestStatus.ACCEPTED)
    db.session.add(item)
    db.session.commit()
    _run(staff, event)
    (meeting,) = [m for m in _placed(event) if m.request_id == item.id]
    assert meeting.language == "ko" and meeting.interpreter is False


def test_pick_mode_offers_only_slots_with_a_free_interpreter(day, make_org, make_user, make_participation):
    event, companies, buyers, parts, staff, items = day
    event.scheduling = SchedulingMode.PICK
    slots = event.slots()
    _interpreters(event, 1)
    _interpreters(event, 0, slots[2].start)
    db.session.commit()
    meeting_service.place(items[0], slots[0], None)  # the interpreter of slot 0 is taken
    db.session.commit()
    other = make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY, languages=["ko"]))
    make_participation(event, other.organization)
    item = MeetingRequest(event_id=event.id, from_org_id=buyers[1].organization_id,
                          to_org_id=other.organization_id, status=RequestStatus.REQUESTED)
    db.session.add(item)
    db.session.commit()
    free = [s.index for s in meeting_service.free_slots(item)]
    assert free == [1, 3, 4, 5]
    with pytest.raises(meeting_service.ServiceError):
        meeting_service.accept(other, item, slots[0])
    meeting_service.accept(other, item, slots[1])
    db.session.commit()
    assert item.meeting.language == "ko-vi" and item.meeting.interpreter


def test_staff_page_lists_needs_and_saves_counts(client, auth, day):
    event, companies, buyers, parts, staff, items = day
    auth.login(staff)
    page = client.get(f"/staff/events/{event.id}/interpreters").get_data(as_text=True)
    assert "Korean ↔ Vietnamese" in page and "none yet" in page
    url = f"/staff/events/{event.id}/interpreters"
    response = client.post(url, data={"language_a": "vi", "language_b": "ko", "slot": "all", "count": "2"})
    assert response.status_code == 302
    response = client.post(url, data={"language_a": "ko", "language_b": "vi", "slot": "1", "count": "0"})
    assert response.status_code == 302
    rows = db.session.scalars(select(InterpreterSlot).order_by(InterpreterSlot.id)).all()
    assert [(r.language_a, r.language_b, r.count, r.start_dt) for r in rows] == [
        ("ko", "vi", 2, None), ("ko", "vi", 0, event.slots()[1].start)]
    response = client.post(url, data={"language_a": "ko", "language_b": "vi", "slot": "all", "count": "3"})
    assert db.session.scalars(select(InterpreterSlot.count).where(InterpreterSlot.start_dt.is_(None))).all() == [3]
    response = client.post(f"{url}/remove", data={"row_id": str(rows[1].id)})
    assert response.status_code == 302
    assert len(db.session.scalars(select(InterpreterSlot)).all()) == 1


def test_staff_page_offers_the_first_pair_still_without_interpreters(client, auth, day):
    """The form used to open on the alphabetically first language twice (German ↔ German)."""
    event, *_, staff, items = day
    auth.login(staff)
    import re

    page = client.get(f"/staff/events/{event.id}/interpreters").get_data(as_text=True)
    chosen = {}
    for name in ("language_a", "language_b"):
        block = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
        chosen[name] = re.search(r'<option[^>]*\bselected\b[^>]*>', block).group(0)
    assert 'value="ko"' in chosen["language_a"] and 'value="vi"' in chosen["language_b"]


@pytest.mark.parametrize(("data", "message"), [
    ({"language_a": "ko", "language_b": "vi", "slot": "all", "count": "-1"}, "Enter a number from 0 to 99."),
    ({"language_a": "ko", "language_b": "ko", "slot": "all", "count": "1"}, "Choose two different languages."),
    ({"language_a": "xx", "language_b": "vi", "slot": "all", "count": "1"}, "Not a valid choice"),
    ({"language_a": "ko", "language_b": "vi", "slot": "99", "count": "1"}, "Not a valid choice"),
])
def test_staff_page_rejects_bad_input_and_keeps_it(client, auth, day, data, message):
    event, *_, staff, items = day
    auth.login(staff)
    response = client.post(f"/staff/events/{event.id}/interpreters", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(InterpreterSlot)).all() == []


def test_staff_of_another_office_cannot_set_interpreters(client, auth, day, make_office, make_user):
    event, *_ = day
    auth.login(make_user(Role.STAFF, office_id=make_office().id))
    response = client.post(f"/staff/events/{event.id}/interpreters",
                           data={"language_a": "ko", "language_b": "vi", "slot": "all", "count": "2"})
    assert response.status_code == 403
    assert db.session.scalars(select(InterpreterSlot)).all() == []


def test_zones_page_shows_the_overlap_chart_and_table(client, auth, day):
    event, *_, staff, items = day
    auth.login(staff)
    page = client.get(f"/staff/events/{event.id}/zones").get_data(as_text=True)
    assert "<svg" in page and "Seoul (3)" in page and "<table" in page
    assert f"/staff/events/{event.id}/zones" in client.get(f"/staff/events/{event.id}").get_data(as_text=True)


def test_flags_on_member_and_staff_pages(client, auth, day):
    event, companies, buyers, parts, staff, items = day
    auth.login(companies[0])
    page = client.get(f"/requests/{items[0].id}").get_data(as_text=True)
    assert "Needs an interpreter: Korean ↔ Vietnamese" in page
    auth.logout()
    auth.login(staff)
    page = client.get(f"/staff/events/{event.id}/requests").get_data(as_text=True)
    assert page.count("Needs an interpreter: Korean ↔ Vietnamese") == 3
    page = client.get(f"/staff/events/{event.id}/matrix").get_data(as_text=True)
    assert "ko↔vi" in page


def test_staff_cannot_move_an_interpreted_meeting_where_no_interpreter_is_free(day):
    event, companies, buyers, parts, staff, items = day
    slots = event.slots()
    _interpreters(event, 1)
    first = meeting_service.place(items[0], slots[0], None)
    second = meeting_service.place(items[1], slots[1], None)
    db.session.commit()
    with pytest.raises(meeting_service.ServiceError, match="No interpreter"):
        service.move_meeting(staff, second, slots[0], None)
    db.session.rollback()
    service.move_meeting(staff, first, slots[2], None)  # the interpreter moves with it
    db.session.commit()
    assert first.start_dt == slots[2].start and first.interpreter
