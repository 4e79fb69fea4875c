"""The schedule board touched in Chromium: drag a meeting to another table and onto another meeting (a swap), the
same with the keyboard alone, a blocked cell refused with its reason, undo, and no serious axe violation."""


import pytest
from builders.accessibility import assert_accessible
from builders.board_day import small_board_day
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.enums import RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Meeting

pytestmark = pytest.mark.browser


@pytest.fixture
def day(make_user, make_org, make_event, make_program, make_office, make_participation, make_request):
    """4 slots × 2 tables: a (Company A – Buyer X, asked by the buyer) at slot 0 T1, b (Company B – Buyer Y) at
    slot 1 T1, c (Company A – Buyer Y) at slot 2 T2."""
    event, meetings, _orgs = small_board_day(make_org, make_event, make_program, make_office, make_participation,
                                             make_request, timezone="Asia/Jakarta")
    db.session.commit()
    staff = make_user(Role.STAFF, office=event.program.office, timezone="Asia/Jakarta")
    return event, {name: m.id for name, m in meetings.items()}, staff


def seat(meeting_id: int) -> tuple:
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting_id)
    return meeting.start_dt, meeting.table_label


def cell(page, slot: int, table: str):
    return page.locator(f"td.slot-cell[data-slot='{slot}'][data-table='{table}']")


def card(page, meeting_id: int):
    return page.locator(f".pick[data-meeting='{meeting_id}']")


def open_board(page, sign_in, event, staff):
    sign_in(page, staff.email)
    page.goto(f"/staff/events/{event.id}/schedule")


def test_drag_to_another_table_then_onto_a_meeting_then_undo(page, sign_in, day):
    event, ids, staff = day
    slots = event.slots()
    open_board(page, sign_in, event, staff)
    assert_accessible(page)
    page.evaluate("window.boardNotReloaded = true")  # gone if the page loaded again
    page.drag_and_drop(f".pick[data-meeting='{ids['a']}']", "td.slot-cell[data-slot='3'][data-table='T2']")
    expect(page.locator("#board-status")).to_have_text("The meeting is moved.")
    expect(cell(page, 3, "T2").locator(".pick")).to_contain_text("Company A")
    assert seat(ids["a"]) == (slots[3].start, "T2")
    assert page.evaluate("window.boardNotReloaded") is True
    page.reload()
    expect(cell(page, 3, "T2").locator(".pick")).to_have_text("Company A Buyer X")  # the company first

    page.drag_and_drop(f".pick[data-meeting='{ids['a']}']", f".pick[data-meeting='{ids['b']}']")
    expect(page.locator("#board-status")).to_have_text("The meetings are swapped.")
    assert seat(ids["a"]) == (slots[1].start, "T1")
    assert seat(ids["b"]) == (slots[3].start, "T2")

    page.get_by_role("button", name="Undo my last change").click()
    expect(page.locator("#board-status")).to_have_text("The last change is undone.")
    assert seat(ids["a"]) == (slots[3].start, "T2")
    assert seat(ids["b"]) == (slots[1].start, "T1")
    expect(cell(page, 1, "T1").locator(".pick")).to_contain_text("Company B")


def test_a_blocked_cell_is_marked_and_refused_with_its_reason(page, sign_in, day):
    event, ids, staff = day
    open_board(page, sign_in, event, staff)
    card(page, ids["a"]).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#board-status")).to_contain_text("Picked up: Company A")
    blocked = cell(page, 2, "T1")  # Company A meets Buyer Y at slot 2
    expect(blocked).to_have_class("slot-cell closed")
    expect(blocked).to_have_attribute("title", "Company A already has a meeting then.")
    expect(blocked.locator(".why")).to_have_text("Not possible here: Company A already has a meeting then.")
    assert_accessible(page)
    blocked.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#board-status")).to_have_text("Not possible here: Company A already has a meeting then.")
    page.keyboard.press("Escape")
    expect(page.locator("#board-status")).to_have_text("Put back; nothing changed.")
    assert seat(ids["a"]) == (event.slots()[0].start, "T1")
    # Dragged there, the same: refused (by the page, or by the server), nothing moves.
    page.drag_and_drop(f".pick[data-meeting='{ids['a']}']", "td.slot-cell[data-slot='2'][data-table='T1']")
    expect(page.locator("#board-status")).to_contain_text("Company A already has a meeting then.")
    assert seat(ids["a"]) == (event.slots()[0].start, "T1")


def test_the_keyboard_alone_moves_and_swaps(page, sign_in, day):
    event, ids, staff = day
    slots = event.slots()
    open_board(page, sign_in, event, staff)
    card(page, ids["a"]).focus()
    page.keyboard.press("Enter")  # pick a up at slot 0, T1
    expect(cell(page, 1, "T2")).to_have_class("slot-cell target")
    page.keyboard.press("ArrowRight")  # slot 0, T2
    page.keyboard.press("ArrowDown")  # slot 1, T2
    expect(cell(page, 1, "T2")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#board-status")).to_have_text("The meeting is moved.")
    assert seat(ids["a"]) == (slots[1].start, "T2")
    expect(card(page, ids["a"])).to_be_focused()  # the grid is new, the focus stays on the meeting

    page.keyboard.press(" ")  # pick a up again, at slot 1 T2
    expect(page.locator("#board-status")).to_contain_text("Picked up")
    page.keyboard.press("ArrowLeft")  # slot 1 T1: meeting b
    expect(card(page, ids["b"])).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#board-status")).to_have_text("The meetings are swapped.")
    assert seat(ids["a"]) == (slots[1].start, "T1")
    assert seat(ids["b"]) == (slots[1].start, "T2")


def test_a_request_not_placed_is_dragged_onto_a_free_cell_and_the_filter_dims_the_others(
        page, sign_in, day, make_request):
    event, ids, staff = day
    a_meeting = db.session.get(Meeting, ids["a"])
    company_a, buyer_x = a_meeting.request.to_org, a_meeting.request.from_org
    company_b = db.session.get(Meeting, ids["b"]).request.from_org
    waiting = make_request(event, company_b, buyer_x, status=RequestStatus.ACCEPTED)
    open_board(page, sign_in, event, staff)
    page.drag_and_drop(f".pick[data-request='{waiting.id}']", "td.slot-cell[data-slot='3'][data-table='T1']")
    expect(page.locator("#board-status")).to_have_text("The meeting is placed.")
    expect(cell(page, 3, "T1").locator(".pick")).to_have_text("Company B Buyer X")
    placed = db.session.scalars(select(Meeting).where(Meeting.request_id == waiting.id)).one()
    assert seat(placed.id) == (event.slots()[3].start, "T1")

    page.select_option("#board-org", str(company_a.id))  # no reload: the page marks the meetings in place
    expect(page.locator(f"#meeting-{ids['a']}")).to_have_class("cell chosen")
    expect(page.locator(f"#meeting-{ids['b']}")).to_have_class("cell dimmed")
    expect(page.locator(f"#meeting-{ids['c']}")).to_have_class("cell chosen")
