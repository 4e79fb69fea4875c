"""The meeting workflow: request, answer, cancel, expire; slots picked within both sides' availability."""

import re
from datetime import timedelta

import pytest
from builders.clients import switch_user
from sqlalchemy import func, select

from matchmaker.database import utcnow
from matchmaker.enums import (
    MeetingStatus,
    OrgKind,
    PairRuleKind,
    ParticipationStatus,
    RequestStatus,
    Role,
    SchedulingMode,
)
from matchmaker.extensions import db
from matchmaker.models import MeetingRequest, MeetingSeat, OutboxMessage
from matchmaker.services import ServiceError
from matchmaker.services import meetings as service
from matchmaker.services.availability import slots_to_windows, working_hours_default


@pytest.fixture
def world(make_user, make_org, make_event, make_participation):
    """An online day in Los Angeles (09:00-12:00, six slots) with two companies and two investors."""
    event = make_event()
    people = {}
    for key, kind, role in [("kim", OrgKind.COMPANY, Role.COMPANY), ("lee", OrgKind.COMPANY, Role.COMPANY),
                            ("vc", OrgKind.INVESTOR, Role.PARTNER), ("buyer", OrgKind.BUYER, Role.PARTNER)]:
        user = make_user(role, organization=make_org(kind))
        make_participation(event, user.organization)
        people[key] = user
    return event, people


def _outbox_to(user) -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == user.email).order_by(OutboxMessage.id)
    ).all()


def test_request_accept_shows_contact_only_after_acceptance(client, world):
    event, p = world
    switch_user(client, p["kim"])
    response = client.post(f"/events/{event.id}/request/{p['vc'].organization_id}", data={"message": "Hi"})
    item = db.session.scalars(select(MeetingRequest)).one()
    assert response.headers["Location"] == f"/requests/{item.id}"
    assert [m.kind for m in _outbox_to(p["vc"])] == ["request_received"]

    switch_user(client, p["vc"])
    before = client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert p["kim"].email not in before
    client.post(f"/requests/{item.id}/accept")
    db.session.refresh(item)
    assert item.status == RequestStatus.ACCEPTED
    assert item.meeting is None  # staff schedule this day (batch mode)
    assert p["kim"].email in client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert [m.kind for m in _outbox_to(p["kim"])] == ["request_accepted"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("same_side", "Companies meet investors and buyers, not their own side."),
        ("not_approved", "This organization does not take part in this matchmaking day."),
        ("forbidden", "The office does not offer this meeting."),
        ("reverse_exists", "There is already a request between your organizations for this day."),
        ("deadline", "The deadline for meeting requests has passed."),
        ("cap", "You may have at most 1 request waiting for an answer."),
    ],
)
def test_request_refused_with_reason(world, make_user, setup, message):
    event, p = world
    sender, target = p["kim"], p["vc"]
    if setup == "same_side":
        target = p["lee"]
    elif setup == "not_approved":
        participation = service.participation_of(event, target.organization)
        participation.status = ParticipationStatus.APPLIED
    elif setup == "forbidden":
        service.set_pair_rule(make_user(Role.STAFF), event, sender.organization, target.organization,
                              PairRuleKind.FORBIDDEN)
    elif setup == "reverse_exists":
        service.request_meeting(target, event, sender.organization, None)
    elif setup == "deadline":
        event.request_deadline_dt = utcnow() - timedelta(minutes=1)
    elif setup == "cap":
        event.max_open_requests = 1
        service.request_meeting(sender, event, p["buyer"].organization, None)
    db.session.commit()
    with pytest.raises(ServiceError) as refused:
        service.request_meeting(sender, event, target.organization, None)
    assert str(refused.value) == message


def test_pick_mode_accept_places_meeting_and_slot_is_no_longer_offered(client, world):
    event, p = world
    event.scheduling = SchedulingMode.PICK
    db.session.commit()
    first = service.request_meeting(p["kim"], event, p["vc"].organization, None)
    second = service.request_meeting(p["lee"], event, p["vc"].organization, None)
    db.session.commit()

    switch_user(client, p["vc"])
    slot = event.slots()[2]
    client.post(f"/requests/{first.id}/accept", data={"accept-slot": str(slot.index)})
    db.session.refresh(first)
    assert first.meeting.start_dt == slot.start
    assert {s.organization_id for s in first.meeting.seats} == {p["kim"].organization_id, p["vc"].organization_id}
    assert slot.index not in {s.index for s in service.free_slots(second)}

    page = client.post(f"/requests/{second.id}/accept", data={"accept-slot": str(slot.index)},
                       follow_redirects=True).get_data(as_text=True)
    assert "This time is no longer free for both of you; choose another." in page
    db.session.refresh(second)
    assert second.status == RequestStatus.REQUESTED


def test_a_time_taken_at_another_day_at_the_same_instant_is_not_offered(client, world, make_event,
                                                                       make_participation):
    """An office running two days at once: Kim meets the investor at 09:00 on one; on the other the buyer
    cannot be offered Kim at 09:00 (accepting it was a 500: the seat is unique per organization and start)."""
    event, p = world
    twin = make_event(program=event.program, scheduling=SchedulingMode.PICK)
    assert [s.start for s in twin.slots()] == [s.start for s in event.slots()]
    for key in ("kim", "buyer"):
        make_participation(twin, p[key].organization)
    event.scheduling = SchedulingMode.PICK
    met = service.request_meeting(p["kim"], event, p["vc"].organization, None)
    service.accept(p["vc"], met, event.slots()[0])
    item = service.request_meeting(p["kim"], twin, p["buyer"].organization, None)
    db.session.commit()
    assert 0 not in {s.index for s in service.free_slots(item)}

    switch_user(client, p["buyer"])
    form = client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert '<option value="0"' not in form and '<option value="1"' in form
    response = client.post(f"/requests/{item.id}/accept", data={"accept-slot": "0"}, follow_redirects=True)
    assert response.status_code == 200
    assert "This time is no longer free for both of you; choose another." in response.get_data(as_text=True)
    db.session.refresh(item)
    assert item.status == RequestStatus.REQUESTED and item.meeting is None


def test_a_second_answer_is_told_what_the_first_did(world):
    event, p = world
    item = service.request_meeting(p["kim"], event, p["vc"].organization, None)
    service.accept(p["vc"], item)
    with pytest.raises(ServiceError, match="This request is already accepted."):
        service.accept(p["vc"], item)
    with pytest.raises(ServiceError, match="This request is already accepted."):
        service.decline(p["vc"], item)
    other = service.request_meeting(p["lee"], event, p["vc"].organization, None)
    service.decline(p["vc"], other)
    with pytest.raises(ServiceError, match="This request is already declined."):
        service.accept(p["vc"], other)
    assert [m.kind for m in _outbox_to(p["kim"])] == ["request_accepted"]


def test_cancel_frees_the_slot_and_bumps_the_sequence(world):
    event, p = world
    event.scheduling = SchedulingMode.PICK
    item = service.request_meeting(p["kim"], event, p["vc"].organization, None)
    service.accept(p["vc"], item, event.slots()[0])
    db.session.commit()
    meeting = item.meeting
    service.cancel(p["kim"], item)
    db.session.commit()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 1
    assert db.session.scalar(select(func.count()).select_from(MeetingSeat)) == 0
    assert [m.kind for m in _outbox_to(p["vc"])][-1] == "request_cancelled"


def test_only_the_receiver_answers_and_only_the_sender_edits(world):
    event, p = world
    item = service.request_meeting(p["kim"], event, p["vc"].organization, "first")
    with pytest.raises(ServiceError):
        service.accept(p["kim"], item)
    with pytest.raises(ServiceError):
        service.edit_request(p["vc"], item, "hijack")
    service.edit_request(p["kim"], item, "second")
    assert item.message == "second"
    service.decline(p["vc"], item)
    with pytest.raises(ServiceError):
        service.edit_request(p["kim"], item, "third")


def test_requests_expire_after_the_deadline(world):
    event, p = world
    item = service.request_meeting(p["kim"], event, p["vc"].organization, None)
    event.request_deadline_dt = utcnow() + timedelta(hours=1)
    db.session.commit()
    assert service.expire_due_requests(utcnow()) == 0
    assert service.expire_due_requests(utcnow() + timedelta(hours=2)) == 1
    assert item.status == RequestStatus.EXPIRED


def test_forced_pair_becomes_an_accepted_request(world, make_user):
    event, p = world
    service.set_pair_rule(make_user(Role.STAFF), event, p["vc"].organization, p["lee"].organization,
                          PairRuleKind.FORCED)
    item = service.existing_request(event, p["vc"].organization_id, p["lee"].organization_id)
    assert item.status == RequestStatus.ACCEPTED
    assert item.from_org_id == p["lee"].organization_id  # the company side asks


def test_availability_defaults_to_working_hours_and_limits_free_slots(client, world, make_event, make_program):
    event, p = world  # 09:00-12:00 Los Angeles: 02:00-05:00 next day in Seoul (winter)
    seoul_slots = working_hours_default(event.slots(), "Asia/Seoul")
    assert seoul_slots == event.slots()  # nothing in working hours: every slot is offered
    switch_user(client, p["kim"])
    page = client.get(f"/events/{event.id}/availability").get_data(as_text=True)
    assert "Korean Standard Time" in page and "Pacific Standard Time" in page
    client.post(f"/events/{event.id}/availability", data={"slots": ["0", "1"]})
    participation = service.participation_of(event, p["kim"].organization)
    db.session.refresh(participation)
    assert participation.availability == slots_to_windows(event.slots()[:2])
    item = service.request_meeting(p["kim"], event, p["vc"].organization, None)
    assert [s.index for s in service.free_slots(item)] == [0, 1]
    empty = client.post(f"/events/{event.id}/availability", data={}).get_data(as_text=True)
    assert "Choose at least one time when you can meet." in empty


def test_counterparts_list_shows_only_the_other_side(client, world):
    event, p = world
    switch_user(client, p["kim"])
    page = client.get(f"/events/{event.id}/participants").get_data(as_text=True)
    assert p["vc"].organization.name in page and p["buyer"].organization.name in page
    assert p["lee"].organization.name not in page
    assert ">United States</td>" in page and ">US</td>" not in page  # countries by name, not code


def test_cancelling_an_accepted_meeting_says_what_it_does_first_and_what_it_did(client, world):
    """One click cancelled an accepted meeting, with no word of what it does, and said 'The request is
    cancelled.' after: the page says first that it cannot be undone and that the other side is told."""
    event, p = world
    event.scheduling = SchedulingMode.PICK
    item = service.request_meeting(p["kim"], event, p["vc"].organization, None)
    service.accept(p["vc"], item, event.slots()[0])
    db.session.commit()
    name = p["vc"].organization.display_name
    switch_user(client, p["kim"])
    page = client.get(f"/requests/{item.id}").get_data(as_text=True)
    warning = f"Cancelling cannot be undone: {name} is told by e-mail."
    assert page.index(warning) < page.index("Cancel the meeting")
    confirm = client.post(f"/requests/{item.id}/cancel", follow_redirects=True)  # no token: the page first
    assert confirm.request.path == f"/requests/{item.id}/cancel"
    token = re.search(r'name="token" value="([0-9a-f]+)"', confirm.get_data(as_text=True)).group(1)
    page = client.post(f"/requests/{item.id}/cancel", data={"token": token},
                       follow_redirects=True).get_data(as_text=True)
    assert f"The meeting is cancelled; {name} is told by e-mail." in page
    assert warning not in page
