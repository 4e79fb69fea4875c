"""Cancelling a meeting goes through a page that names the meeting, both sides, its time with the zone and who is
e-mailed, for staff and for either side: the page changes nothing, a POST without its token (or with a stale one)
cancels nothing, the page's button cancels."""

import re

import pytest
from builders.dayops import build_day
from sqlalchemy import select

from matchmaker.enums import MeetingStatus, RequestStatus
from matchmaker.extensions import db
from matchmaker.models import OutboxMessage
from matchmaker.services import placement


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    return build_day(make_office, make_program, make_event, make_user, make_participation)


def _token(page: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)


def _status(meeting) -> MeetingStatus:
    db.session.expire_all()
    return meeting.status


def test_staff_page_names_the_meeting_then_cancels_with_its_token(client, auth, day):
    meeting = day.meet("c1", "i1", 1)
    p = day.participations["c1"]
    auth.login(day.staff)
    page = client.get(f"/staff/meetings/{meeting.id}/cancel", query_string={"participation": p.id}).get_data(True)
    assert "Cancel this meeting?" in page and "Org c1 – Org i1" in page
    assert "9:30" in page and "Western Indonesia Time" in page and "Table T1" in page
    assert "Person c1 (Org c1)" in page and "Person i1 (Org i1)" in page
    assert _status(meeting) == MeetingStatus.SCHEDULED

    refused = client.post(f"/staff/meetings/{meeting.id}/cancel", data={"participation": p.id},
                          follow_redirects=True)
    assert refused.request.path == f"/staff/meetings/{meeting.id}/cancel"
    assert "The meeting changed since you looked at it" in refused.get_data(True)
    assert _status(meeting) == MeetingStatus.SCHEDULED

    done = client.post(f"/staff/meetings/{meeting.id}/cancel", data={"participation": p.id, "token": _token(page)},
                       follow_redirects=True)
    assert done.request.path == f"/staff/participations/{p.id}/day"
    assert "The meeting of Org c1 and Org i1 is cancelled; both sides are told by e-mail." in done.get_data(True)
    assert _status(meeting) == MeetingStatus.CANCELLED
    told = {m.to_address for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "request_cancelled"))}
    assert told == {day.users["c1"].email, day.users["i1"].email}


def test_a_meeting_moved_after_the_page_was_read_is_not_cancelled(client, auth, day):
    meeting = day.meet("c1", "i1", 0)
    auth.login(day.staff)
    page = client.get(f"/staff/meetings/{meeting.id}/cancel").get_data(True)
    placement.place(meeting.request, day.event.slots()[3], meeting.table_label)  # a colleague moved it
    db.session.commit()
    client.post(f"/staff/meetings/{meeting.id}/cancel", data={"token": _token(page)})
    assert _status(meeting) == MeetingStatus.SCHEDULED


def test_a_member_confirms_before_cancelling_an_accepted_meeting(client, auth, day):
    meeting = day.meet("c1", "i1", 2)
    item = meeting.request
    auth.login(day.users["i1"])
    request_page = client.get(f"/requests/{item.id}").get_data(True)
    assert f'href="/requests/{item.id}/cancel"' in request_page
    page = client.get(f"/requests/{item.id}/cancel").get_data(True)
    assert "Cancel this meeting?" in page and "10:00" in page and "Western Indonesia Time" in page
    assert "Person c1 (Org c1)" in page and "Person i1 (Org i1)" not in page  # the other side is told
    client.post(f"/requests/{item.id}/cancel", data={"token": "f" * 32})
    db.session.expire_all()
    assert item.status == RequestStatus.ACCEPTED and meeting.status == MeetingStatus.SCHEDULED
    client.post(f"/requests/{item.id}/cancel", data={"token": _token(page)})
    db.session.expire_all()
    assert item.status == RequestStatus.CANCELLED and meeting.status == MeetingStatus.CANCELLED


def test_cancelling_a_waiting_request_stays_one_click(client, auth, day):
    item = day.meet("c1", "i1", 0).request
    placement.unplace(item.meeting)
    item.status = RequestStatus.REQUESTED
    db.session.commit()
    auth.login(day.users["c1"])
    assert client.get(f"/requests/{item.id}/cancel").headers["Location"] == f"/requests/{item.id}"
    client.post(f"/requests/{item.id}/cancel")
    db.session.expire_all()
    assert item.status == RequestStatus.CANCELLED
