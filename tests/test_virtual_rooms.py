"""Virtual tables of an online day (issue #14, part 1): the rooms an office owns, typed by staff one a line, handed
out by the scheduler, staff's moves and walk-ins as tables, each meeting carrying its room's link on its page and in
its invites; a bad rooms list is refused line by line with what was typed kept."""

from datetime import time, timedelta

import pytest
from builders.clients import switch_user
from builders.scheduling import run_scheduler
from sqlalchemy import select

from matchmaker.domain.rooms import parse_rooms
from matchmaker.enums import EventMode, MeetingStatus, RequestStatus, Role, SchedulingMode
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingRequest, OutboxMessage
from matchmaker.services import ServiceError, invites, walkins
from matchmaker.services.events import save_event
from matchmaker.services.meetings import accept
from matchmaker.services.placement import free_slots, place
from matchmaker.services.scheduling import build_instance, move_meeting, publish, swap_meetings

ROOMS = [{"label": f"Room {n}", "url": f"https://rooms.example/office-{n}"} for n in (1, 2, 3)]


def _accepted(event, a, b) -> MeetingRequest:
    item = MeetingRequest(event_id=event.id, from_org_id=a.organization_id, to_org_id=b.organization_id,
                          status=RequestStatus.ACCEPTED)
    db.session.add(item)
    db.session.flush()
    return item


def _unfolded(calendar: str) -> str:
    return calendar.replace("\r\n ", "").replace("\n ", "")


def _conference(calendar: str) -> str:
    [line] = [line for line in _unfolded(calendar).splitlines() if line.startswith("CONFERENCE")]
    return line[line.index(":http") + 1:]


@pytest.fixture
def roomed_day(two_by_two, make_user):
    """two_by_two's online day with three rooms; staff of its office. Returns (event, ai, health, ai_vc,
    health_vc, staff)."""
    event = two_by_two[0]
    event.virtual_rooms = ROOMS
    db.session.commit()
    staff = make_user(Role.STAFF, office=event.program.office)
    return (*two_by_two, staff)


# --- the scheduler ------------------------------------------------------------------------------------------------

@pytest.fixture
def crowded_day(make_event, make_user, make_participation):
    """An online day of one slot with four pairs that could all meet at once, and staff of its office."""
    event = make_event(day_start=time(9), day_end=time(9, 30))
    pairs = []
    for _pair in range(4):
        company, investor = make_user(Role.COMPANY), make_user(Role.PARTNER)
        for user in (company, investor):
            make_participation(event, user.organization)
        pairs.append(_accepted(event, company, investor))
    db.session.commit()
    return event, pairs, make_user(Role.STAFF, office=event.program.office)


def test_the_rooms_limit_the_parallel_meetings_of_a_scheduler_run(crowded_day):
    event, pairs, staff = crowded_day
    event.virtual_rooms = ROOMS[:2]
    db.session.commit()
    instance = build_instance(event)
    assert instance["table_ids"] == ["Room 1", "Room 2"] and instance["tables"] == 2
    assert all(m["table_needed"] for m in instance["meetings"])

    run_scheduler(staff, event, time_limit=10)
    db.session.expire_all()
    placed = db.session.scalars(select(Meeting).where(Meeting.event_id == event.id,
                                                      Meeting.status == MeetingStatus.SCHEDULED)).all()
    assert len(placed) == 2
    assert sorted(m.table_label for m in placed) == ["Room 1", "Room 2"]
    assert {m.online_url for m in placed} == {ROOMS[0]["url"], ROOMS[1]["url"]}
    assert all(m.online_url == next(r["url"] for r in ROOMS if r["label"] == m.table_label) for m in placed)


def test_without_rooms_an_online_day_has_no_limit(crowded_day):
    event, pairs, staff = crowded_day
    run_scheduler(staff, event, time_limit=10)
    db.session.expire_all()
    placed = db.session.scalars(select(Meeting).where(Meeting.event_id == event.id)).all()
    assert len(placed) == 4 and all(m.table_label is None for m in placed)


# --- moves, the board and invites ---------------------------------------------------------------------------------

def test_a_move_to_another_room_changes_the_link_and_the_update_invite(roomed_day):
    event, ai, health, ai_vc, health_vc, staff = roomed_day
    meeting = place(_accepted(event, ai, ai_vc), event.slots()[0], "Room 1")
    place(_accepted(event, health, health_vc), event.slots()[0], "Room 2")
    db.session.commit()
    assert meeting.online_url == ROOMS[0]["url"]
    publish(staff, event)
    db.session.commit()
    first = [m for m in db.session.scalars(select(OutboxMessage)) if m.calendar and ROOMS[0]["url"] in m.calendar]
    assert len(first) == 2 and all(_conference(m.calendar) == ROOMS[0]["url"] for m in first)
    assert all("Room 1" in m.body_text and ROOMS[0]["url"] in m.body_text for m in first)

    with pytest.raises(ServiceError, match="Room 2 is taken at that time"):
        move_meeting(staff, meeting, event.slots()[0], "Room 2")
    db.session.rollback()
    with pytest.raises(ServiceError, match="Choose one of the day's rooms"):
        move_meeting(staff, meeting, event.slots()[0], "T1")
    db.session.rollback()
    sequence = meeting.sequence
    move_meeting(staff, meeting, event.slots()[0], "Room 3")
    db.session.commit()
    assert (meeting.table_label, meeting.online_url) == ("Room 3", ROOMS[2]["url"])
    assert meeting.sequence == sequence + 1

    before = db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
    assert invites.send_pending_invites(event) == 2
    db.session.commit()
    updates = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id > before)).all()
    assert len(updates) == 2
    for update in updates:
        assert _conference(update.calendar) == ROOMS[2]["url"]
        assert ROOMS[0]["url"] not in _unfolded(update.calendar)
        assert "Room 3" in update.body_text and ROOMS[2]["url"] in update.body_text


def test_the_board_shows_the_rooms_and_moves_a_meeting_between_them(client, auth, roomed_day):
    event, ai, _, ai_vc, _, staff = roomed_day
    meeting = place(_accepted(event, ai, ai_vc), event.slots()[1], "Room 1")
    db.session.commit()
    auth.login(staff)
    page = client.get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
    assert all(room["label"] in page for room in ROOMS)
    response = client.post(f"/staff/meetings/{meeting.id}/move",
                           data={"slot": "2", "table": "Room 2", "version": str(meeting.version)})
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(Meeting, meeting.id)
    assert (moved.start_dt, moved.table_label, moved.online_url) == (event.slots()[2].start, "Room 2",
                                                                      ROOMS[1]["url"])


def test_the_meeting_page_and_agenda_show_the_room_and_its_link(client, auth, roomed_day):
    event, ai, _, ai_vc, _, staff = roomed_day
    meeting = place(_accepted(event, ai, ai_vc), event.slots()[0], "Room 2")
    publish(staff, event)
    db.session.commit()
    auth.login(ai_vc)
    for url in (f"/meetings/{meeting.id}", "/agenda", "/agenda/print"):
        page = client.get(url).get_data(as_text=True)
        assert "Room 2" in page and ROOMS[1]["url"] in page, url
        assert "Table Room 2" not in page, url
    for url in ("/dashboard", f"/requests/{meeting.request_id}"):
        page = client.get(url).get_data(as_text=True)
        assert "Room 2" in page and "Table Room 2" not in page, url
    switch_user(client, staff)
    page = client.get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
    assert f'<label for="table-{meeting.id}">Room</label>' in page


# --- walk-ins -----------------------------------------------------------------------------------------------------

def test_a_walk_in_gets_a_free_room_and_none_when_all_are_taken(roomed_day, make_user, make_participation):
    event, ai, health, ai_vc, health_vc, staff = roomed_day
    event.virtual_rooms = ROOMS[:2]
    slot = event.slots()[0]
    place(_accepted(event, ai, ai_vc), slot, "Room 1")
    db.session.commit()
    now = slot.start - timedelta(minutes=5)
    meeting = walkins.place_walk_in(staff, event, health.organization, health_vc.organization, slot, now)
    db.session.commit()
    assert (meeting.table_label, meeting.online_url) == ("Room 2", ROOMS[1]["url"])

    late, late_vc = make_user(Role.COMPANY), make_user(Role.PARTNER)
    for user in (late, late_vc):
        make_participation(event, user.organization)
    with pytest.raises(ServiceError, match="No room is free at that time"):
        walkins.place_walk_in(staff, event, late.organization, late_vc.organization, slot, now)
    db.session.rollback()


# --- changing the rooms of a day with meetings --------------------------------------------------------------------

def _values(event: Event, **changes) -> dict:
    values = {key: getattr(event, key) for key in (
        "title", "description", "mode", "venue", "online_url", "timezone", "date", "day_start", "day_end",
        "slot_minutes", "breaks", "tables", "request_deadline_dt", "scheduling", "max_open_requests",
        "room_link_template", "virtual_rooms")}
    return {**values, **changes}


def test_a_room_in_use_cannot_be_taken_away_and_a_new_link_reaches_its_meetings(roomed_day):
    event, ai, _, ai_vc, _, staff = roomed_day
    meeting = place(_accepted(event, ai, ai_vc), event.slots()[0], "Room 3")
    db.session.commit()
    with pytest.raises(ServiceError, match="Meetings are placed in Room 3"):
        save_event(staff, event.program, event, **_values(event, virtual_rooms=ROOMS[:2]))
    db.session.rollback()

    moved_room = [*ROOMS[:2], {"label": "Room 3", "url": "https://rooms.example/new-3"}]
    sequence = meeting.sequence
    save_event(staff, event.program, event, **_values(event, virtual_rooms=moved_room))
    db.session.commit()
    assert meeting.online_url == "https://rooms.example/new-3" and meeting.sequence == sequence + 1


def test_rooms_given_to_a_day_with_meetings_go_to_them(two_by_two, make_user):
    event, ai, health, ai_vc, health_vc = two_by_two
    staff = make_user(Role.STAFF, office=event.program.office)
    first = place(_accepted(event, ai, ai_vc), event.slots()[0], None)
    second = place(_accepted(event, health, health_vc), event.slots()[0], None)
    db.session.commit()
    with pytest.raises(ServiceError, match="more meetings are placed than there are rooms"):
        save_event(staff, event.program, event, **_values(event, virtual_rooms=ROOMS[:1]))
    db.session.rollback()
    save_event(staff, event.program, event, **_values(event, virtual_rooms=ROOMS[:2]))
    db.session.commit()
    assert {(m.table_label, m.online_url) for m in (first, second)} == {
        ("Room 1", ROOMS[0]["url"]), ("Room 2", ROOMS[1]["url"])}


def test_an_in_person_day_switched_to_online_puts_its_meetings_from_tables_into_rooms(two_by_two, make_user):
    event, ai, health, ai_vc, health_vc = two_by_two
    event.mode, event.venue, event.tables = EventMode.IN_PERSON, "Hall", 2
    staff = make_user(Role.STAFF, office=event.program.office)
    first = place(_accepted(event, ai, ai_vc), event.slots()[0], "T1")
    second = place(_accepted(event, health, health_vc), event.slots()[0], "T2")
    db.session.commit()
    save_event(staff, event.program, event, **_values(event, mode=EventMode.ONLINE, venue=None, tables=None,
                                                      virtual_rooms=ROOMS[:2]))
    db.session.commit()
    assert {(m.table_label, m.online_url) for m in (first, second)} == {
        ("Room 1", ROOMS[0]["url"]), ("Room 2", ROOMS[1]["url"])}


def test_rooms_given_later_to_a_day_switched_from_in_person_take_its_meetings_from_tables(two_by_two, make_user):
    event, ai, _, ai_vc, _ = two_by_two
    event.mode, event.venue, event.tables = EventMode.IN_PERSON, "Hall", 2
    staff = make_user(Role.STAFF, office=event.program.office)
    meeting = place(_accepted(event, ai, ai_vc), event.slots()[0], "T2")
    db.session.commit()
    save_event(staff, event.program, event, **_values(event, mode=EventMode.ONLINE, venue=None, tables=None))
    db.session.commit()
    save_event(staff, event.program, event, **_values(event, virtual_rooms=ROOMS[:1]))
    db.session.commit()
    assert (meeting.table_label, meeting.online_url) == ("Room 1", ROOMS[0]["url"])


@pytest.mark.parametrize(("changes", "message"), [
    ({"room_link_template": "https://meet.jit.si/{room}"}, "either a room link template or a list of rooms"),
    ({"mode": EventMode.IN_PERSON, "venue": "Hall"}, "Rooms are for online days"),
    ({"virtual_rooms": [{"label": "Room 1", "url": "javascript:alert(1)"}]}, "is not an http:// or https://"),
    ({"virtual_rooms": [{"label": "A"}]}, "is not an http:// or https://"),
])
def test_the_service_refuses_rooms_it_cannot_use(roomed_day, changes, message):
    event, *_, staff = roomed_day
    with pytest.raises(ServiceError, match=message):
        save_event(staff, event.program, event, **_values(event, **changes))
    db.session.rollback()


# --- the staff form -------------------------------------------------------------------------------------------------

@pytest.fixture
def staff(make_user, make_office, auth):
    user = make_user(Role.STAFF, office=make_office())
    auth.login(user)
    return user


ONLINE_DAY = {
    "title": "Online day", "mode": "online", "timezone": "America/Los_Angeles", "scheduling": "batch",
    "day_start": "09:00", "day_end": "12:00", "slot_minutes": "30",
}


def _post(client, program, rooms: str, **extra):
    day = program.start_date + timedelta(days=1)
    return client.post(f"/staff/programs/{program.id}/events/new",
                       data={**ONLINE_DAY, "date": day.isoformat(), "room_list": rooms, **extra})


def _field_errors(page: str) -> str:
    field = page[page.index('id="room_list"'):]
    return field[:field.index("</div>")]


def test_the_form_saves_rooms_and_shows_them_again(client, staff, make_program):
    program = make_program(office=staff.office)
    response = _post(client, program, "Room 1 | https://rooms.example/1\r\n\r\n  Room 2|https://rooms.example/2  ")
    assert response.status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert event.virtual_rooms == [{"label": "Room 1", "url": "https://rooms.example/1"},
                                   {"label": "Room 2", "url": "https://rooms.example/2"}]
    page = client.get(f"/staff/events/{event.id}/edit").get_data(as_text=True)
    assert "Room 1 | https://rooms.example/1\nRoom 2 | https://rooms.example/2" in page
    assert "2 video rooms" in client.get(f"/staff/events/{event.id}").get_data(as_text=True)


@pytest.mark.parametrize(("rooms", "message"), [
    ("https://rooms.example/1", "Line 1: give the room a name before the |"),
    (" | https://rooms.example/1", "Line 1: give the room a name before the |"),
    ("Room 1 | https://rooms.example/1\nRoom 2", "Line 2: Room 2 has no link"),
    ("Room 1 | ftp://rooms.example/1", "Line 1: the link of Room 1 is not an http:// or https:// link."),
    ("Room 1 | javascript:alert(1)", "Line 1: the link of Room 1 is not an http:// or https:// link."),
    ("Room 1 | https://rooms.example/a b", "Line 1: the link of Room 1 is not an http:// or https:// link."),
    ("Room 1 | https://rooms.example/" + "x" * 290, "Line 1: the link of Room 1 is longer than 300 characters."),
    ("R" * 41 + " | https://rooms.example/1", "Line 1: a room&#39;s name may have at most 40 characters."),
    ("Room 1 | https://rooms.example/1\nroom 1 | https://rooms.example/2",
     "Line 2: there is already a room called Room 1."),
    ("Room 1 | https://rooms.example/1\nRoom 2 | https://rooms.example/1",
     "Line 2: Room 2 has the same link as Room 1; each room needs its own."),
])
def test_the_form_refuses_each_bad_line_with_its_message_and_keeps_the_text(client, staff, make_program, rooms,
                                                                            message):
    program = make_program(office=staff.office)
    response = _post(client, program, rooms)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in _field_errors(page)
    assert rooms in page
    assert db.session.scalars(select(Event)).first() is None


def test_the_form_lists_every_bad_line_at_once(client, staff, make_program):
    program = make_program(office=staff.office)
    page = _post(client, program, "Room 1\nRoom 2 | https://rooms.example/2\n<b>x</b> | nope").get_data(as_text=True)
    errors = _field_errors(page)
    assert "Line 1: Room 1 has no link" in errors
    assert "Line 3: the link of &lt;b&gt;x&lt;/b&gt; is not an http:// or https:// link." in errors
    assert "<b>x</b>" not in page


@pytest.mark.parametrize(("extra", "message"), [
    ({"room_link_template": "https://meet.jit.si/{room}"}, "A day uses either a room link template or a list"),
    ({"mode": "in_person", "venue": "Hall A"}, "Rooms are for online days"),
])
def test_the_form_refuses_rooms_beside_a_template_or_on_an_in_person_day(client, staff, make_program, extra,
                                                                       message):
    program = make_program(office=staff.office)
    page = _post(client, program, "Room 1 | https://rooms.example/1", **extra).get_data(as_text=True)
    assert message in _field_errors(page)
    assert "Room 1 | https://rooms.example/1" in page
    assert db.session.scalars(select(Event)).first() is None


def test_the_form_says_a_room_in_use_cannot_go_under_the_rooms_and_keeps_them(client, auth, roomed_day):
    event, ai, _, ai_vc, _, staff = roomed_day
    place(_accepted(event, ai, ai_vc), event.slots()[0], "Room 3")
    db.session.commit()
    auth.login(staff)
    typed = "Room 1 | https://rooms.example/office-1\r\nRoom 2 | https://rooms.example/office-2"
    response = client.post(f"/staff/events/{event.id}/edit", data={
        **ONLINE_DAY, "title": event.title, "date": event.date.isoformat(), "room_list": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Meetings are placed in Room 3" in _field_errors(page)
    assert "Room 2 | https://rooms.example/office-2" in page
    db.session.expire_all()
    assert db.session.get(Event, event.id).virtual_rooms == ROOMS


def test_the_printed_table_lists_and_the_live_board_of_an_online_day_name_rooms(client, auth, roomed_day):
    event, ai, _, ai_vc, _, staff = roomed_day
    place(_accepted(event, ai, ai_vc), event.slots()[0], "Room 3")
    db.session.commit()
    auth.login(staff)
    for path in (f"/staff/events/{event.id}/print/tables", f"/staff/events/{event.id}/live"):
        page = client.get(path).get_data(as_text=True)
        assert '<th scope="col">Room</th>' in page and '<th scope="col">Table</th>' not in page, path


def test_parse_rooms_skips_blank_lines_and_reads_a_bar_in_the_link():
    rooms, errors = parse_rooms("\n  \nRoom A | https://r.example/a?x=1|2\n")
    assert errors == [] and rooms == [{"label": "Room A", "url": "https://r.example/a?x=1|2"}]


def test_a_swap_exchanges_rooms_and_links(roomed_day):
    event, ai, health, ai_vc, health_vc, staff = roomed_day
    first = place(_accepted(event, ai, ai_vc), event.slots()[0], "Room 1")
    second = place(_accepted(event, health, health_vc), event.slots()[1], "Room 2")
    db.session.commit()
    swap_meetings(staff, first, second)
    db.session.commit()
    assert (first.start_dt, first.table_label, first.online_url) == (event.slots()[1].start, "Room 2",
                                                                     ROOMS[1]["url"])
    assert (second.start_dt, second.table_label, second.online_url) == (event.slots()[0].start, "Room 1",
                                                                        ROOMS[0]["url"])


def test_participants_picking_a_time_get_a_room_and_full_slots_are_not_offered(two_by_two):
    event, ai, health, ai_vc, health_vc = two_by_two
    event.virtual_rooms, event.scheduling = ROOMS[:1], SchedulingMode.PICK
    place(_accepted(event, ai, ai_vc), event.slots()[0], "Room 1")
    db.session.commit()
    item = MeetingRequest(event_id=event.id, from_org_id=health.organization_id,
                          to_org_id=health_vc.organization_id, status=RequestStatus.REQUESTED)
    db.session.add(item)
    db.session.commit()
    assert event.slots()[0].index not in {s.index for s in free_slots(item)}
    accept(health_vc, item, event.slots()[1])
    db.session.commit()
    assert (item.meeting.table_label, item.meeting.online_url) == ("Room 1", ROOMS[0]["url"])
