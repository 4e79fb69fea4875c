"""Rooms of online meetings (issue #14, part 1, the link template): each meeting of an online day with a template
gets its own unguessable link, a new one when it is moved, carried by its page, agenda and invites; staff's form
refuses templates that would not give every meeting its own http(s) room; the template is never evaluated."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaker.domain import rooms
from matchmaker.enums import EventMode, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Event, MeetingRequest, OutboxMessage
from matchmaker.services import invites
from matchmaker.services.events import save_event
from matchmaker.services.placement import place
from matchmaker.services.scheduling import move_meeting, publish

TEMPLATE = "https://meet.jit.si/kita-{event}-{room}"


def _accepted(event, a, b) -> MeetingRequest:
    item = MeetingRequest(event_id=event.id, from_org_id=a.organization_id, to_org_id=b.organization_id,
                          status=RequestStatus.ACCEPTED)
    db.session.add(item)
    db.session.flush()
    return item


def _room_pattern(event) -> re.Pattern:
    return re.compile(rf"https://meet\.jit\.si/kita-{event.id}-([A-Za-z0-9_-]{{16}})")


def _unfolded(calendar: str) -> str:
    return calendar.replace("\r\n ", "").replace("\n ", "")


@pytest.fixture
def online_day(two_by_two, make_user):
    """The online day of two_by_two with a room link template, its two pairs placed in the same slot."""
    event, ai, health, ai_vc, health_vc = two_by_two
    event.room_link_template = TEMPLATE
    event.online_url = "https://meet.example/one-room-for-all"
    first = place(_accepted(event, ai, ai_vc), event.slots()[0], None)
    second = place(_accepted(event, health, health_vc), event.slots()[0], None)
    db.session.commit()
    staff = make_user(Role.STAFF, office=event.program.office)
    return event, first, second, ai, staff


def test_parallel_meetings_of_an_online_day_each_get_their_own_room(online_day):
    event, first, second, _, _ = online_day
    pattern = _room_pattern(event)
    assert pattern.fullmatch(first.online_url) and pattern.fullmatch(second.online_url)
    assert first.online_url != second.online_url
    assert event.online_url not in (first.online_url, second.online_url)


def test_placing_again_in_the_same_slot_keeps_the_room(online_day):
    event, first, _, _, _ = online_day
    link = first.online_url
    place(first.request, event.slots()[0], None)
    assert first.online_url == link


def _saved(staff, event, **changes) -> None:
    """Staff save the day with these changes (as the day's form would)."""
    values = {key: getattr(event, key) for key in (
        "title", "description", "mode", "venue", "online_url", "timezone", "date", "day_start", "day_end",
        "slot_minutes", "breaks", "tables", "request_deadline_dt", "scheduling", "max_open_requests",
        "room_link_template", "virtual_rooms")}
    save_event(staff, event.program, event, **{**values, **changes})
    db.session.commit()


def test_a_template_given_to_a_day_with_meetings_gives_each_its_own_room(two_by_two, make_user):
    event, ai, health, ai_vc, health_vc = two_by_two
    event.online_url = "https://meet.example/one-room-for-all"
    first = place(_accepted(event, ai, ai_vc), event.slots()[0], None)
    second = place(_accepted(event, health, health_vc), event.slots()[0], None)
    db.session.commit()
    assert first.online_url == second.online_url == event.online_url  # the day's single link, shared
    staff = make_user(Role.STAFF, office=event.program.office)
    sequences = (first.sequence, second.sequence)

    _saved(staff, event, room_link_template=TEMPLATE)
    pattern = _room_pattern(event)
    assert pattern.fullmatch(first.online_url) and pattern.fullmatch(second.online_url)
    assert first.online_url != second.online_url
    assert (first.sequence, second.sequence) == (sequences[0] + 1, sequences[1] + 1)  # calendars get the update

    links = (first.online_url, second.online_url)
    _saved(staff, event, title="Renamed")  # the template unchanged: the rooms stay
    assert (first.online_url, second.online_url) == links
    _saved(staff, event, room_link_template="https://video.example/{room}")
    assert first.online_url.startswith("https://video.example/") and second.online_url.startswith(
        "https://video.example/") and first.online_url != second.online_url


def test_a_new_single_link_reaches_the_meetings_of_a_day_without_template(two_by_two, make_user):
    event, ai, _, ai_vc, _ = two_by_two
    event.online_url = "https://meet.example/typo"
    meeting = place(_accepted(event, ai, ai_vc), event.slots()[0], None)
    db.session.commit()
    _saved(make_user(Role.STAFF, office=event.program.office), event, online_url="https://meet.example/right")
    assert meeting.online_url == "https://meet.example/right"


def test_a_day_without_template_keeps_its_single_link(two_by_two):
    event, ai, health, ai_vc, health_vc = two_by_two
    event.online_url = "https://meet.example/one-room-for-all"
    first = place(_accepted(event, ai, ai_vc), event.slots()[0], None)
    second = place(_accepted(event, health, health_vc), event.slots()[0], None)
    assert first.online_url == second.online_url == "https://meet.example/one-room-for-all"


def test_an_in_person_meeting_at_a_table_gets_no_room(two_by_two):
    event, ai, _, ai_vc, _ = two_by_two
    event.mode, event.venue, event.tables, event.room_link_template = EventMode.IN_PERSON, "Hall", 3, TEMPLATE
    meeting = place(_accepted(event, ai, ai_vc), event.slots()[0], "T1")
    assert meeting.online_url is None


def test_the_room_shows_on_the_meeting_page_and_agenda(client, auth, online_day):
    event, first, _, ai, staff = online_day
    publish(staff, event)
    db.session.commit()
    auth.login(ai)
    assert first.online_url in client.get(f"/meetings/{first.id}").get_data(as_text=True)
    assert first.online_url in client.get("/agenda").get_data(as_text=True)
    assert first.online_url in client.get("/agenda/print").get_data(as_text=True)


def test_a_move_gives_a_new_room_and_the_update_invite_carries_it(online_day):
    event, first, _, _, staff = online_day
    publish(staff, event)
    db.session.commit()
    old = first.online_url
    invited = [m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invite"))
               if old in _unfolded(m.calendar)]
    assert len(invited) == 2 and all("CONFERENCE;" in _unfolded(m.calendar) for m in invited)
    move_meeting(staff, first, event.slots()[3], None)
    db.session.commit()
    assert first.online_url != old and _room_pattern(event).fullmatch(first.online_url)
    before = db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
    assert invites.send_pending_invites(event) == 2
    db.session.commit()
    updates = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id > before)).all()
    assert len(updates) == 2
    for update in updates:
        calendar = _unfolded(update.calendar)
        [conference] = [line for line in calendar.splitlines() if line.startswith("CONFERENCE")]
        assert conference.endswith(":" + first.online_url)
        assert old not in calendar and first.online_url in update.body_text


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


def _post(client, program, template):
    day = program.start_date + timedelta(days=1)
    return client.post(f"/staff/programs/{program.id}/events/new",
                       data={**ONLINE_DAY, "date": day.isoformat(), "room_link_template": template})


@pytest.mark.parametrize("link", ["https://meet.example/day\r\nATTENDEE:mailto:x@evil.example",
                                  "https://meet.example/day one", "https://meet.example/day\x07",
                                  "https://meet.example/\u202eyad"])
def test_the_form_refuses_a_single_link_with_a_line_break_space_or_control_character(client, staff, make_program,
                                                                                     link):
    program = make_program(office=staff.office)
    day = program.start_date + timedelta(days=1)
    response = client.post(f"/staff/programs/{program.id}/events/new",
                           data={**ONLINE_DAY, "date": day.isoformat(), "online_url": link})
    assert response.status_code == 200
    assert "Enter a full address such as https://example.com." in response.get_data(as_text=True)
    assert db.session.scalars(select(Event)).first() is None


def test_the_form_saves_a_template_with_a_room(client, staff, make_program):
    program = make_program(office=staff.office)
    assert "{room}" in client.get(f"/staff/programs/{program.id}/events/new").get_data(as_text=True)
    response = _post(client, program, TEMPLATE)
    assert response.status_code == 302
    assert db.session.scalars(select(Event)).one().room_link_template == TEMPLATE


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("https://meet.jit.si/kita-{event}-{meeting}", "The link needs {room}"),
        ("https://meet.jit.si/{roomm}", "{roomm} is not a placeholder"),
        ("javascript:alert(1)//{room}", "is not an http:// or https:// link"),
        ("https://meet.jit.si/{room}}", "Every { needs its }"),
        ("https://meet.jit.si/" + "x" * 270 + "{room}", "longer than 300 characters"),
    ],
)
def test_the_form_refuses_a_template_under_the_field_and_keeps_it(client, staff, make_program, template, message):
    program = make_program(office=staff.office)
    response = _post(client, program, template)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    field = page[page.index('id="room_link_template"'):]
    assert message in field[:field.index("</div>")]
    assert f'value="{template}"' in page
    assert db.session.scalars(select(Event)).first() is None


# --- the renderer ---------------------------------------------------------------------------------------------------

def test_render_fills_each_placeholder_and_tokens_differ():
    link = rooms.render("https://r.example/{event}/{meeting}/{room}", room="abc", meeting=7, event=3)
    assert link == "https://r.example/3/7/abc"
    assert rooms.new_token() != rooms.new_token() and len(rooms.new_token()) == 16


@pytest.mark.parametrize(
    ("template", "kind", "name"),
    [
        ("https://r.example/{room.__class__}", "unknown", "{room.__class__}"),
        ("https://r.example/{0}/{room}", "unknown", "{0}"),
        ("https://r.example/{}/{room}", "unknown", "{}"),
        ("https://r.example/{room!r}", "unknown", "{room!r}"),
        ("https://r.example/{room:>999}", "unknown", "{room:>999}"),
        ("https://r.example/{room[0]}", "unknown", "{room[0]}"),
        ("https://r.example/{{room}}", "braces", None),
        ("https://r.example/{room", "braces", None),
        ("https://r.example/}{room}", "braces", None),
        ("https://r.example/{meeting}", "no_room", None),
        ("data:text/html,{room}", "not_web", None),
        ("//r.example/{room}", "not_web", None),
        (" https://r.example/{room}", "not_web", None),
        # Line breaks (an invite's next line), spaces and control characters inside: urlsplit drops some silently.
        ("https://r.example/{room}\r\nATTENDEE:mailto:x@evil.example", "not_web", None),
        ("https://r.example/{room} x", "not_web", None),
        ("https://r.example/{room}\x00", "not_web", None),
        ("https://r.example/{room}\u2028x", "not_web", None),
        ("https://r.exa\tmple/{room}", "not_web", None),
        ("https://r.example/" + "x" * 270 + "{room}", "too_long", None),
    ],
)
def test_render_refuses_hostile_templates_without_evaluating_them(template, kind, name):
    with pytest.raises(rooms.RoomTemplateError) as refused:
        rooms.render(template, room="abc", meeting=1, event=1)
    assert (refused.value.kind, refused.value.name) == (kind, name)
