"""No-shows: absent for the day (remaining meetings cancelled, counterparts told, nothing else moves),
missing one meeting, and the ledger staff read across events."""

import pytest
from builders.dayops import build_day
from sqlalchemy import select

from matchmaker.enums import Attendance, MeetingStatus, NoShowReason, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Meeting, NoShow, OutboxMessage, Participation
from matchmaker.services import ServiceError
from matchmaker.services import dayops as service
from matchmaker.services.invites import send_pending_invites
from matchmaker.tasks.mail import deliver_due


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation)
    day.meet("c1", "i1", 0, "T1")  # over by the time c1 is marked absent below
    day.meet("c1", "i2", 2, "T1")
    day.meet("c1", "i3", 4, "T2")
    day.meet("c2", "i1", 2, "T2")
    day.meet("c2", "i3", 3, "T1")
    day.meet("c3", "i2", 0, "T2")
    send_pending_invites(day.event)  # the schedule is published: calendars hold every meeting
    db.session.commit()
    deliver_due()
    return day


def snapshot(exclude=()):
    """Every meeting's place and state, except `exclude` (ids)."""
    db.session.expire_all()
    return {
        m.id: (m.start_dt, m.table_label, m.status, m.sequence, sorted(s.organization_id for s in m.seats))
        for m in db.session.scalars(select(Meeting).order_by(Meeting.id)) if m.id not in exclude
    }


def outbox(user, kind=None):
    query = select(OutboxMessage).where(OutboxMessage.to_address == user.email).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


def test_absent_cancels_only_meetings_not_started(day):
    slots = day.event.slots()
    now = slots[1].start  # c1's first meeting (slot 0) is over
    ids = {k: m.id for k, m in day.meetings.items()}
    cancelled = service.mark_absent(day.staff, day.participations["c1"], NoShowReason.ILLNESS, "fever", now=now)
    db.session.commit()
    assert sorted(m.id for m in cancelled) == sorted([ids["c1", "i2"], ids["c1", "i3"]])
    db.session.expire_all()
    statuses = {k: db.session.get(Meeting, i).status for k, i in ids.items() if k[0] == "c1"}
    assert statuses == {("c1", "i1"): MeetingStatus.SCHEDULED, ("c1", "i2"): MeetingStatus.CANCELLED,
                        ("c1", "i3"): MeetingStatus.CANCELLED}
    assert db.session.get(Meeting, ids["c1", "i2"]).seats == []  # the slot is free for the counterpart
    assert db.session.get(Meeting, ids["c1", "i2"]).request.status == RequestStatus.CANCELLED
    p = db.session.get(Participation, day.participations["c1"].id)
    assert p.attendance == Attendance.ABSENT
    entry = db.session.scalars(select(NoShow)).one()
    assert (entry.organization_id, entry.meeting_id, entry.reason, entry.note, entry.recorded_by_id) == (
        day.orgs["c1"].id, None, NoShowReason.ILLNESS, "fever", day.staff.id
    )


def test_absent_leaves_every_other_meeting_in_place(day):
    mine = [m.id for k, m in day.meetings.items() if k[0] == "c1"]
    before = snapshot(exclude=mine)
    service.mark_absent(day.staff, day.participations["c1"], NoShowReason.TRAVEL, now=day.event.slots()[1].start)
    db.session.commit()
    assert snapshot(exclude=mine) == before
    assert len(before) == 3


def test_counterparts_get_an_email_and_a_calendar_cancel(day):
    i2, i3, i1 = day.users["i2"], day.users["i3"], day.users["i1"]
    seen = {u.id: len(outbox(u)) for u in (i1, i2, i3)}
    service.mark_absent(day.staff, day.participations["c1"], NoShowReason.NO_NOTICE,
                        now=day.event.slots()[1].start)
    db.session.commit()
    for user in (i2, i3):
        new = outbox(user)[seen[user.id]:]
        assert sorted(m.kind for m in new) == ["invite_cancel", "request_cancelled"]
        cancel = next(m for m in new if m.kind == "invite_cancel")
        assert cancel.calendar_method == "CANCEL" and "Org c1" in cancel.subject
    assert len(outbox(i1)) == seen[i1.id]  # the meeting already over is not touched
    assert [m.kind for m in outbox(day.users["c1"], "request_cancelled")] == ["request_cancelled"] * 2


def test_unpublished_day_sends_no_calendar_cancel(make_office, make_program, make_event, make_user,
                                                  make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation, published=False)
    day.meet("c1", "i1", 1)
    service.mark_absent(day.staff, day.participations["c1"], NoShowReason.OTHER)
    db.session.commit()
    assert [m.kind for m in outbox(day.users["i1"])] == ["request_cancelled"]


def test_marking_absent_twice_is_refused_and_records_once(day):
    service.mark_absent(day.staff, day.participations["c1"], NoShowReason.ILLNESS)
    db.session.commit()
    with pytest.raises(ServiceError):
        service.mark_absent(day.staff, day.participations["c1"], NoShowReason.ILLNESS)
    assert len(db.session.scalars(select(NoShow)).all()) == 1


def test_mark_absent_from_the_desk_frees_the_day_and_opens_walk_ins(client, auth, day):
    auth.login(day.staff)
    p = day.participations["c1"]
    response = client.post(f"/staff/participations/{p.id}/absent", data={"reason": "travel", "note": "visa"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/events/{day.event.id}/walkins"
    db.session.expire_all()
    assert db.session.get(Participation, p.id).attendance == Attendance.ABSENT
    statuses = {db.session.get(Meeting, m.id).status for k, m in day.meetings.items() if k[0] == "c1"}
    assert statuses == {MeetingStatus.CANCELLED}  # the day has not begun: all of them
    page = client.get(f"/staff/events/{day.event.id}/walkins").get_data(as_text=True)
    assert "Org i1" in page and "Org i2" in page and "Org i3" in page
    assert "Was to meet Org c1, who is absent." in page


def test_mark_absent_needs_a_reason(client, auth, day):
    auth.login(day.staff)
    p = day.participations["c1"]
    response = client.post(f"/staff/participations/{p.id}/absent", data={"reason": "bored"})
    assert response.status_code == 400
    assert "Choose the reason for the absence." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Participation, p.id).attendance == Attendance.EXPECTED
    assert db.session.scalars(select(NoShow)).all() == []


def test_record_missed_meeting_changes_nothing_else(day):
    meeting = day.meetings["c2", "i1"]
    before = snapshot()
    entry = service.record_missed_meeting(day.staff, meeting, day.orgs["i1"], NoShowReason.SCHEDULE, "late call")
    db.session.commit()
    assert snapshot() == before
    assert (entry.meeting_id, entry.organization_id, entry.event_id) == (meeting.id, day.orgs["i1"].id,
                                                                         day.event.id)
    with pytest.raises(ServiceError):
        service.record_missed_meeting(day.staff, meeting, day.orgs["i1"], NoShowReason.SCHEDULE)
    with pytest.raises(ServiceError):  # c1 is not in that meeting
        service.record_missed_meeting(day.staff, meeting, day.orgs["c1"], NoShowReason.SCHEDULE)


def test_record_missed_meeting_from_the_participant_page(client, auth, day):
    meeting = day.meetings["c2", "i1"]
    p = day.participations["c2"]
    auth.login(day.staff)
    page = client.get(f"/staff/participations/{p.id}/day").get_data(as_text=True)
    assert "Record no-show" in page and "Org i1" in page
    response = client.post(f"/staff/meetings/{meeting.id}/missed", data={
        "organization_id": day.orgs["i1"].id, "reason": "illness", "note": "", "participation_id": p.id,
    })
    assert response.headers["Location"] == f"/staff/participations/{p.id}/day"
    entry = db.session.scalars(select(NoShow)).one()
    assert (entry.meeting_id, entry.organization_id, entry.reason) == (meeting.id, day.orgs["i1"].id,
                                                                       NoShowReason.ILLNESS)


def test_record_missed_meeting_refuses_an_organization_outside_the_meeting(client, auth, day):
    auth.login(day.staff)
    meeting = day.meetings["c2", "i1"]
    client.post(f"/staff/meetings/{meeting.id}/missed",
                data={"organization_id": day.orgs["c1"].id, "reason": "illness"})
    assert db.session.scalars(select(NoShow)).all() == []


def test_ledger_across_events_of_the_office_only(client, auth, day, make_office, make_program, make_event,
                                                 make_user, make_participation):
    second = make_event(make_program(day.event.program.office), title="Second day")
    make_participation(second, day.orgs["c2"])
    p2 = db.session.scalar(select(Participation).where(Participation.event_id == second.id))
    service.mark_absent(day.staff, p2, NoShowReason.TRAVEL, "flight cancelled")
    service.mark_absent(day.staff, day.participations["c1"], NoShowReason.ILLNESS)
    service.record_missed_meeting(day.staff, day.meetings["c3", "i2"], day.orgs["i2"], NoShowReason.NO_NOTICE)
    elsewhere = build_day(make_office, make_program, make_event, make_user, make_participation,
                          companies=("c9",), partners=())
    elsewhere.orgs["c9"].name = "Faraway Org"
    service.mark_absent(elsewhere.staff, elsewhere.participations["c9"], NoShowReason.OTHER)
    db.session.commit()

    auth.login(day.staff)
    page = client.get("/staff/noshows").get_data(as_text=True)
    assert "Faraway Org" not in page
    assert "flight cancelled" in page and "Travel (flight, visa, traffic)" in page
    assert "Org c1" in page and "Illness" in page and "Second day" in page
    assert "Did not come, no notice" in page and "Meeting at" in page
    assert page.count("Desk Staff") >= 3  # who recorded them
    only_first = client.get(f"/staff/noshows?event={day.event.id}").get_data(as_text=True)
    assert "flight cancelled" not in only_first and "Org c1" in only_first
    only_c2 = client.get(f"/staff/noshows?org={day.orgs['c2'].id}").get_data(as_text=True)
    assert "flight cancelled" in only_c2 and "Did not come, no notice" not in only_c2
    assert client.get(f"/staff/noshows?event={elsewhere.event.id}").status_code == 403


def test_admin_ledger_shows_every_office(client, auth, day, make_user):
    service.mark_absent(day.staff, day.participations["c1"], NoShowReason.ILLNESS)
    db.session.commit()
    auth.login(make_user(Role.ADMIN))
    assert "Org c1" in client.get("/staff/noshows").get_data(as_text=True)
