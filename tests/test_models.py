"""The database refuses corrupt states on SQLite and PostgreSQL alike; the time-slot domain is right
across daylight-saving changes; the domain core imports nothing from Flask."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from matchmaker.database import UTCDateTime
from matchmaker.domain.timeslots import day_slots, local_to_utc
from matchmaker.enums import RequestStatus
from matchmaker.extensions import db
from matchmaker.models import Meeting, MeetingSeat, Office, Organization, Participation

START = datetime(2027, 5, 4, 17, 0, tzinfo=UTC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def make_meeting(make_request):
    """A scheduled meeting with one seat per side, as the scheduler writes it."""

    def make(event, from_org, to_org, start: datetime = START, minutes: int = 30) -> Meeting:
        request = make_request(event, from_org, to_org, status=RequestStatus.ACCEPTED)
        meeting = Meeting(
            uid=f"meeting-{request.id}@test", event_id=event.id, request_id=request.id,
            start_dt=start, end_dt=start + timedelta(minutes=minutes),
            seats=[MeetingSeat(organization_id=from_org.id), MeetingSeat(organization_id=to_org.id)],
        )
        db.session.add(meeting)
        db.session.commit()
        return meeting

    return make


def seat_starts(meeting_id: int) -> list[datetime]:
    """The seats' start as the database holds it, bypassing the session's identity map."""
    column = MeetingSeat.__table__.c.start_dt
    rows = db.session.execute(sa.select(column).where(MeetingSeat.__table__.c.meeting_id == meeting_id))
    return [row.start_dt for row in rows]


# Meeting requests -------------------------------------------------------------------------------


def test_request_same_pair_same_event_refused_in_either_direction(make_event, make_org, make_request):
    event, a, b = make_event(), make_org(), make_org()
    make_request(event, a, b)
    for first, second in ((a, b), (b, a)):
        with pytest.raises(IntegrityError):
            make_request(event, first, second)
        db.session.rollback()


def test_request_same_pair_other_event_allowed(make_event, make_org, make_request):
    a, b = make_org(), make_org()
    make_request(make_event(), a, b)
    other = make_request(make_event(), b, a)
    assert (other.org_low_id, other.org_high_id) == (min(a.id, b.id), max(a.id, b.id))


def test_request_to_oneself_refused(make_event, make_org, make_request):
    org = make_org()
    with pytest.raises(IntegrityError):
        make_request(make_event(), org, org)
    db.session.rollback()


def test_request_pair_not_matching_sides_refused(make_event, make_org, make_request):
    event, a, b, c = make_event(), make_org(), make_org(), make_org()
    item = make_request(event, a, b)
    low, high = sorted((a.id, c.id))
    with pytest.raises(IntegrityError):
        db.session.execute(
            sa.text("UPDATE meeting_requests SET org_low_id = :low, org_high_id = :high WHERE id = :id"),
            {"low": low, "high": high, "id": item.id},
        )
    db.session.rollback()


# Meeting seats ----------------------------------------------------------------------------------


def test_seat_two_meetings_same_start_for_one_org_refused(make_event, make_org, make_meeting):
    event, a, b, c = make_event(), make_org(), make_org(), make_org()
    make_meeting(event, a, b, start=START)
    with pytest.raises(IntegrityError):
        make_meeting(event, a, c, start=START)
    db.session.rollback()


def test_seat_two_meetings_different_starts_allowed(make_event, make_org, make_meeting):
    event, a, b, c = make_event(), make_org(), make_org(), make_org()
    make_meeting(event, a, b, start=START)
    second = make_meeting(event, a, c, start=START + timedelta(minutes=30))
    assert seat_starts(second.id) == [START + timedelta(minutes=30)] * 2


def test_seat_start_follows_moved_meeting(make_event, make_org, make_meeting):
    meeting = make_meeting(make_event(), make_org(), make_org(), start=START)
    assert seat_starts(meeting.id) == [START, START]
    later = START + timedelta(hours=1)
    meeting.start_dt, meeting.end_dt = later, later + timedelta(minutes=30)
    db.session.commit()
    db.session.expire_all()
    assert seat_starts(meeting.id) == [later, later]
    assert {seat.start_dt for seat in db.session.get(Meeting, meeting.id).seats} == {later}


def test_seat_start_differing_from_meeting_refused(make_event, make_org, make_meeting):
    meeting = make_meeting(make_event(), make_org(), make_org(), start=START)
    with pytest.raises(IntegrityError):
        db.session.execute(
            sa.update(MeetingSeat.__table__)
            .where(MeetingSeat.__table__.c.meeting_id == meeting.id)
            .values(start_dt=START + timedelta(minutes=5))
        )
    db.session.rollback()


# Foreign keys, enums, e-mail --------------------------------------------------------------------


def test_foreign_keys_enforced(make_org):
    org = make_org()
    db.session.add(Participation(event_id=987654, organization_id=org.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_sqlite_connections_enable_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragma; PostgreSQL always enforces foreign keys")
    assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("users", "role", "boss"),
        ("organizations", "kind", "charity"),
        ("participations", "status", "maybe"),
        ("meeting_requests", "status", "pending"),
    ],
)
def test_enum_check_refuses_unknown_value(table, column, value, make_user, make_event, make_org,
                                          make_participation, make_request):
    user = make_user()
    event = make_event()
    make_participation(event, user.organization)
    make_request(event, user.organization, make_org())
    with pytest.raises(IntegrityError):
        db.session.execute(sa.text(f"UPDATE {table} SET {column} = :value"), {"value": value})
    db.session.rollback()


def test_email_mixed_case_refused(make_user):
    user = make_user(email="lower@example.com")
    with pytest.raises(IntegrityError):
        db.session.execute(
            sa.text("UPDATE users SET email = 'Lower@Example.com' WHERE id = :id"), {"id": user.id}
        )
    db.session.rollback()


def test_email_unique(make_user):
    make_user(email="same@example.com")
    with pytest.raises(IntegrityError):
        make_user(email="same@example.com")
    db.session.rollback()


# UTCDateTime ------------------------------------------------------------------------------------


def test_utc_datetime_refuses_naive_value(make_office):
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2027, 5, 4, 9, 0), db.engine.dialect)
    office = make_office()
    office.created_dt = datetime(2027, 5, 4, 9, 0)
    with pytest.raises(StatementError, match="naive"):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    "stored",
    [
        datetime(2027, 5, 4, 9, 0, tzinfo=ZoneInfo("Asia/Seoul")),
        datetime(2027, 5, 4, 9, 0, tzinfo=ZoneInfo("Asia/Seoul")).astimezone(UTC),
        datetime(2027, 5, 3, 17, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
    ],
    ids=["seoul", "utc", "los-angeles"],
)
def test_utc_datetime_round_trip_aware_utc(stored, make_office):
    office = make_office(created_dt=stored)
    db.session.expire_all()
    loaded = db.session.get(Office, office.id).created_dt
    assert loaded == utc(2027, 5, 4, 0, 0)
    assert loaded.tzinfo is UTC


# Organizations and events -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ticket_min", "ticket_max"), [(None, None), (0, None), (None, 5), (500_000, 500_000), (1, 2)]
)
def test_organization_ticket_range_allowed(ticket_min, ticket_max, make_org):
    org = make_org(ticket_min_usd=ticket_min, ticket_max_usd=ticket_max)
    assert db.session.get(Organization, org.id).ticket_max_usd == ticket_max


@pytest.mark.parametrize(("ticket_min", "ticket_max"), [(2_000_000, 1_000_000), (-1, None), (-5, 10)])
def test_organization_ticket_range_refused(ticket_min, ticket_max, make_org):
    with pytest.raises(IntegrityError):
        make_org(ticket_min_usd=ticket_min, ticket_max_usd=ticket_max)
    db.session.rollback()


@pytest.mark.parametrize(
    "overrides",
    [
        dict(day_start=time(12), day_end=time(12)),
        dict(day_start=time(12), day_end=time(9)),
        dict(slot_minutes=4),
        dict(slot_minutes=241),
        dict(tables=-1),
    ],
    ids=["day-empty", "day-reversed", "slot-too-short", "slot-too-long", "tables-negative"],
)
def test_event_check_refused(overrides, make_program, make_event):
    program = make_program()
    with pytest.raises(IntegrityError):
        make_event(program, **overrides)
    db.session.rollback()


@pytest.mark.parametrize("slot_minutes", [5, 240])
def test_event_slot_length_bounds_allowed(slot_minutes, make_event):
    event = make_event(day_start=time(8), day_end=time(12, 5), slot_minutes=slot_minutes)
    assert event.slot_minutes == slot_minutes


# Domain: time slots -----------------------------------------------------------------------------

LA = "America/Los_Angeles"


def test_day_slots_skip_lunch_break():
    slots = day_slots(date(2027, 6, 1), time(9), time(14), 30, [{"start": "12:00", "end": "13:00"}],
                      "Asia/Seoul")
    starts = [s.start for s in slots]
    # Seoul is UTC+9 all year: 09:00 local is 00:00 UTC.
    assert starts == [utc(2027, 6, 1, h, m) for h, m in
                      [(0, 0), (0, 30), (1, 0), (1, 30), (2, 0), (2, 30), (4, 0), (4, 30)]]
    assert [s.index for s in slots] == list(range(8))
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)


def test_day_slots_two_breaks_and_partial_last_slot():
    breaks = [{"start": "10:00", "end": "10:30"}, {"start": "12:00", "end": "13:00"}]
    slots = day_slots(date(2027, 6, 1), time(9), time(13, 50), 45, breaks, "UTC")
    assert [(s.start.time(), s.end.time()) for s in slots] == [
        (time(9), time(9, 45)),
        (time(10, 30), time(11, 15)),
        (time(11, 15), time(12)),
        (time(13), time(13, 45)),
    ]


def test_day_slots_spring_forward_day_is_an_hour_shorter():
    # 2027-03-14: Los Angeles clocks jump from 02:00 PST to 03:00 PDT.
    slots = day_slots(date(2027, 3, 14), time(0), time(6), 60, [], LA)
    assert len(slots) == 5
    assert slots[0].start == utc(2027, 3, 14, 8)  # 00:00 PST
    assert slots[-1].end == utc(2027, 3, 14, 13)  # 06:00 PDT
    assert all(s.end - s.start == timedelta(hours=1) for s in slots)


def test_day_slots_fall_back_day_is_an_hour_longer():
    # 2027-11-07: Los Angeles clocks fall back from 02:00 PDT to 01:00 PST.
    slots = day_slots(date(2027, 11, 7), time(0), time(6), 60, [], LA)
    assert len(slots) == 7
    assert slots[0].start == utc(2027, 11, 7, 7)  # 00:00 PDT
    assert slots[-1].end == utc(2027, 11, 7, 14)  # 06:00 PST


def test_day_slots_ordinary_day_in_los_angeles():
    slots = day_slots(date(2027, 7, 1), time(9), time(12), 30, [], LA)
    assert len(slots) == 6
    assert slots[0].start == utc(2027, 7, 1, 16)  # 09:00 PDT = UTC-7


def test_local_to_utc_nonexistent_time_moves_forward():
    # 02:30 does not exist on 2027-03-14 in Los Angeles; a wall clock would show 03:30 PDT.
    instant = local_to_utc(date(2027, 3, 14), time(2, 30), LA)
    assert instant == utc(2027, 3, 14, 10, 30)
    assert instant.astimezone(ZoneInfo(LA)).time() == time(3, 30)
    assert local_to_utc(date(2027, 3, 14), time(2, 30), LA, fold=1) == instant


@pytest.mark.parametrize(("fold", "expected"), [(0, utc(2027, 11, 7, 8, 30)), (1, utc(2027, 11, 7, 9, 30))])
def test_local_to_utc_ambiguous_time_takes_fold(fold, expected):
    # 01:30 happens twice on 2027-11-07 in Los Angeles: first PDT (UTC-7), then PST (UTC-8).
    assert local_to_utc(date(2027, 11, 7), time(1, 30), LA, fold=fold) == expected


def test_local_to_utc_seoul_morning_is_previous_day_in_san_francisco():
    instant = local_to_utc(date(2027, 6, 2), time(9), "Asia/Seoul")
    assert instant == utc(2027, 6, 2, 0)
    san_francisco = instant.astimezone(ZoneInfo(LA))
    assert (san_francisco.date(), san_francisco.time()) == (date(2027, 6, 1), time(17))


@pytest.mark.parametrize("day", [date(2027, 1, 15), date(2027, 3, 14), date(2027, 7, 15), date(2027, 11, 7)])
def test_local_to_utc_jakarta_has_no_daylight_saving(day):
    assert local_to_utc(day, time(9), "Asia/Jakarta") == datetime.combine(day, time(2), UTC)
    slots = day_slots(day, time(9), time(17), 60, [], "Asia/Jakarta")
    assert len(slots) == 8


def test_local_to_utc_returns_aware_utc():
    instant = local_to_utc(date(2027, 6, 1), time(9), "Asia/Singapore")
    assert instant.tzinfo is UTC
    assert instant == utc(2027, 6, 1, 1)


def test_day_slots_resume_right_after_a_break_off_the_grid():
    """45-minute slots and a 09:50-10:10 pause: the next slot starts at 10:10, no time is lost."""
    seoul = ZoneInfo("Asia/Seoul")
    slots = day_slots(date(2027, 3, 10), time(9, 5), time(11, 40), 45, [{"start": "09:50", "end": "10:10"}],
                      "Asia/Seoul")
    starts = [s.start.astimezone(seoul).strftime("%H:%M") for s in slots]
    assert starts == ["09:05", "10:10", "10:55"]
