"""The schedule board touched directly: the blocked cells as JSON, drops that move or swap, placing a request,
undo, the participant filter without JavaScript and the swap chooser (staff/views/board_moves.py)."""


import pytest
from builders.board_day import small_board_day
from builders.clients import switch_user
from sqlalchemy import select

from matchmaker.enums import EventMode, MeetingStatus, OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Meeting, Participation
from matchmaker.services.availability import slots_to_windows
from matchmaker.services.placement import place


@pytest.fixture
def board(make_user, make_org, make_event, make_participation, make_office, make_program, make_request, auth):
    """An in-person day of 4 slots and 2 tables. Pair a (company A, buyer X, asked by the buyer) at slot 0 table T1,
    pair b (company B, buyer Y) at slot 1 table T1, pair c (company A, buyer Y) at slot 2 T2; request d (company B,
    buyer X) accepted, not placed."""
    event, meetings, orgs = small_board_day(make_org, make_event, make_program, make_office, make_participation,
                                            make_request)
    waiting = make_request(event, orgs["b"], orgs["x"], status=RequestStatus.ACCEPTED)
    db.session.commit()
    staff = make_user(Role.STAFF, office=event.program.office)
    auth.login(staff)
    return event, meetings, waiting, staff


def seat(meeting_id: int) -> tuple:
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting_id)
    return meeting.status, meeting.start_dt, meeting.table_label


def test_the_board_shows_the_company_first_whoever_asked(client, board):
    event, meetings, waiting, staff = board
    page = client.get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
    card = page[page.index(f'data-meeting="{meetings["a"].id}" data-version'):]
    assert card.index("Company A") < card.index("Buyer X")
    assert '<span class="company">Company A</span> <span class="partner">Buyer X</span>' in page
    assert '<script type="application/json" id="board-text">' in page
    assert "Swap with meeting number" not in page


def test_cells_json_marks_busy_and_locked_cells_with_the_reason(client, board):
    event, meetings, waiting, staff = board
    meetings["b"].locked = True
    db.session.commit()
    answer = client.get(f"/staff/meetings/{meetings['a'].id}/cells").get_json()
    # Company A meets Buyer Y at slot 2; slot 1 and 3 are open (other tables), a swap with the locked b is not.
    assert answer["moves"] == {"2": "Company A already has a meeting then."}
    assert answer["swaps"] == {str(meetings["b"].id): "Locked in place: unlock it first."}


def test_a_drop_on_a_free_cell_moves_the_meeting_and_answers_the_grid(client, board):
    event, meetings, waiting, staff = board
    a = meetings["a"]
    response = client.post(f"/staff/meetings/{a.id}/drop", json={"slot": 3, "table": "T2", "version": a.version})
    assert response.status_code == 200
    assert response.get_json()["message"] == "The meeting is moved."
    assert f'data-meeting="{a.id}"' in response.get_json()["html"]
    assert seat(a.id) == (MeetingStatus.SCHEDULED, event.slots()[3].start, "T2")


def test_a_drop_on_a_meeting_swaps_the_two(client, board):
    event, meetings, waiting, staff = board
    a, b = meetings["a"], meetings["b"]
    response = client.post(f"/staff/meetings/{a.id}/drop",
                           json={"slot": 1, "table": "T1", "other": b.id, "version": a.version,
                                 "other_version": b.version})
    assert response.get_json()["message"] == "The meetings are swapped."
    slots = event.slots()
    assert seat(a.id)[1:] == (slots[1].start, "T1")
    assert seat(b.id)[1:] == (slots[0].start, "T1")


@pytest.mark.parametrize(("body", "message"), [
    ({"slot": 2, "table": "T1"}, "Company A already has a meeting then."),  # c holds company A at slot 2
    ({"slot": 3, "table": "T1", "version": 0}, "Someone else changed this meeting a moment ago"),
])
def test_a_drop_that_breaks_a_rule_is_refused_with_why_and_nothing_moves(client, board, body, message):
    event, meetings, waiting, staff = board
    a = meetings["a"]
    before = seat(a.id)
    response = client.post(f"/staff/meetings/{a.id}/drop", json={"version": a.version, **body})
    assert response.status_code == 409
    assert message in response.get_json()["message"]
    assert seat(a.id) == before


def test_a_swap_with_an_outdated_other_meeting_is_refused(client, board):
    event, meetings, waiting, staff = board
    a, b = meetings["a"], meetings["b"]
    response = client.post(f"/staff/meetings/{a.id}/drop",
                           json={"slot": 1, "table": "T1", "other": b.id, "other_version": b.version - 1})
    assert response.status_code == 409
    assert seat(b.id)[1] == event.slots()[1].start


def test_a_locked_meeting_is_not_moved(client, board):
    event, meetings, waiting, staff = board
    a = meetings["a"]
    a.locked = True
    db.session.commit()
    response = client.post(f"/staff/meetings/{a.id}/drop", json={"slot": 3, "table": "T2"})
    assert (response.status_code, response.get_json()["message"]) == (409, "Locked in place: unlock it first.")


def test_staff_of_another_office_cannot_drop_or_read_cells(client, board, make_user, make_office):
    event, meetings, waiting, staff = board
    switch_user(client, make_user(Role.STAFF, office=make_office()))
    a = meetings["a"]
    assert client.post(f"/staff/meetings/{a.id}/drop", json={"slot": 3, "table": "T2"}).status_code == 403
    assert client.get(f"/staff/meetings/{a.id}/cells").status_code == 403
    assert client.post(f"/staff/requests/{waiting.id}/place", json={"slot": 3, "table": "T2"}).status_code == 403
    assert client.post(f"/staff/events/{event.id}/schedule/undo").status_code == 403


def test_a_swap_with_another_days_meeting_is_not_found(client, board, make_event, make_org, make_request,
                                                        make_participation):
    event, meetings, waiting, staff = board
    twin = make_event(program=event.program, mode=EventMode.IN_PERSON, venue="Hall", tables=2)
    p, q = make_org(OrgKind.COMPANY), make_org(OrgKind.BUYER)
    elsewhere = place(make_request(twin, p, q, status=RequestStatus.ACCEPTED), twin.slots()[0], "T1")
    db.session.commit()
    response = client.post(f"/staff/meetings/{meetings['a'].id}/drop", json={"slot": 0, "other": elsewhere.id})
    assert response.status_code == 404


def test_undo_puts_the_last_move_back_once(client, board):
    event, meetings, waiting, staff = board
    a = meetings["a"]
    before = seat(a.id)
    client.post(f"/staff/meetings/{a.id}/drop", json={"slot": 3, "table": "T2", "version": a.version})
    response = client.post(f"/staff/events/{event.id}/schedule/undo", headers={"Accept": "application/json"})
    assert response.get_json()["message"] == "The last change is undone."
    assert seat(a.id) == before
    again = client.post(f"/staff/events/{event.id}/schedule/undo", headers={"Accept": "application/json"})
    assert (again.status_code, again.get_json()["message"]) == (409, "There is no change of yours to undo.")


def test_undo_puts_a_swap_back(client, board):
    event, meetings, waiting, staff = board
    a, b = meetings["a"], meetings["b"]
    before = {a.id: seat(a.id), b.id: seat(b.id)}
    client.post(f"/staff/meetings/{a.id}/drop", json={"slot": 1, "table": "T1", "other": b.id})
    client.post(f"/staff/events/{event.id}/schedule/undo")  # the form, without JavaScript
    assert {a.id: seat(a.id), b.id: seat(b.id)} == before


def test_undo_is_refused_when_the_meeting_changed_since(client, board):
    event, meetings, waiting, staff = board
    a = meetings["a"]
    client.post(f"/staff/meetings/{a.id}/drop", json={"slot": 3, "table": "T2", "version": a.version})
    client.post(f"/staff/meetings/{a.id}/lock", data={"locked": "1"})  # a change that is not a move
    response = client.post(f"/staff/events/{event.id}/schedule/undo", headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert "has changed since" in response.get_json()["message"]
    assert seat(a.id)[1:] == (event.slots()[3].start, "T2")


def test_a_request_not_placed_is_placed_on_a_free_cell_and_undone(client, board):
    event, meetings, waiting, staff = board
    refused = client.post(f"/staff/requests/{waiting.id}/place", json={"slot": 0, "table": "T2"})
    assert (refused.status_code, refused.get_json()["message"]) == (409, "Buyer X already has a meeting then.")
    response = client.post(f"/staff/requests/{waiting.id}/place", json={"slot": 3, "table": "T1"})
    assert response.get_json()["message"] == "The meeting is placed."
    placed = db.session.scalar(select(Meeting).where(Meeting.request_id == waiting.id))
    assert seat(placed.id) == (MeetingStatus.SCHEDULED, event.slots()[3].start, "T1")
    client.post(f"/staff/events/{event.id}/schedule/undo", headers={"Accept": "application/json"})
    assert seat(placed.id)[0] == MeetingStatus.CANCELLED


def test_the_filter_without_javascript_dims_the_other_meetings(client, board):
    event, meetings, waiting, staff = board
    a_org = meetings["a"].request.to_org_id
    page = client.get(f"/staff/events/{event.id}/schedule?org={a_org}").get_data(as_text=True)
    assert f'class="cell chosen" id="meeting-{meetings["a"].id}"' in page
    assert f'class="cell dimmed" id="meeting-{meetings["b"].id}"' in page


def test_the_swap_chooser_lists_the_other_meetings_and_swaps(client, board):
    event, meetings, waiting, staff = board
    a, c = meetings["a"], meetings["c"]
    page = client.get(f"/staff/meetings/{a.id}/swap").get_data(as_text=True)
    assert f'name="other" value="{c.id}"' in page and f'name="other" value="{a.id}"' not in page
    client.post(f"/staff/meetings/{a.id}/swap", data={"other": str(c.id), "version": str(a.version)})
    assert seat(a.id)[1:] == (event.slots()[2].start, "T2")


def test_an_online_day_without_rooms_has_a_column_per_meeting_held_at_once(client, auth, make_user, make_org,
                                                                             make_event, make_participation,
                                                                             make_office, make_program, make_request):
    office = make_office()
    event = make_event(program=make_program(office=office), mode=EventMode.ONLINE, online_url="https://meet.example/x")
    orgs = [make_org(OrgKind.COMPANY, name=f"Company {n}") for n in (1, 2)] + \
        [make_org(OrgKind.INVESTOR, name=f"Investor {n}") for n in (1, 2)]
    for org in orgs:
        make_participation(event, org)
    slots = event.slots()
    first = place(make_request(event, orgs[0], orgs[2], status=RequestStatus.ACCEPTED), slots[0], None)
    place(make_request(event, orgs[1], orgs[3], status=RequestStatus.ACCEPTED), slots[0], None)
    db.session.commit()
    auth.login(make_user(Role.STAFF, office=office))

    page = client.get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
    assert "Parallel meeting 3" in page and "Parallel meeting 4" not in page  # two at once, and one free column
    assert page.count('data-slot="1"') == 3

    response = client.post(f"/staff/meetings/{first.id}/drop", json={"slot": 1, "version": first.version})
    assert response.get_json()["message"] == "The meeting is moved."
    assert seat(first.id) == (MeetingStatus.SCHEDULED, slots[1].start, None)


def test_a_meeting_whose_side_is_no_longer_available_is_listed_as_a_conflict(client, board):
    event, meetings, waiting, staff = board
    buyer_y = db.session.scalars(select(Participation).where(
        Participation.organization_id == meetings["b"].request.to_org_id)).one()
    buyer_y.availability = slots_to_windows(event.slots()[2:])  # Buyer Y now free only from slot 2 on
    db.session.commit()
    page = client.get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
    assert f'class="cell conflict" id="meeting-{meetings["b"].id}"' in page
    assert "Buyer Y is not available then." in page
    assert f'class="cell" id="meeting-{meetings["c"].id}"' in page  # c, at slot 2, is fine
