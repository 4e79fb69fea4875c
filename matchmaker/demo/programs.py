"""The three demo days and who takes part in them.

- Silicon Valley: an online investor day about three months ahead, with requests in every state, scheduled and
  published in the office's six video rooms (virtual tables: each meeting of a slot in a room of its own, so the
  invites of parallel meetings carry different links); staff can run the scheduler again live.
- Jakarta: an in-person buyer day a little later, scheduled and published.
- Singapore: a day two months ago, so dashboards have history: check-ins, a few no-shows, and feedback
  with outcomes (demo/outcomes.py).
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from matchmaker.demo.meetings import add_requests, place_meetings
from matchmaker.demo.outcomes import add_outcomes
from matchmaker.domain.timeslots import local_to_utc
from matchmaker.enums import EventMode, OrgKind, ParticipationStatus, RequestStatus
from matchmaker.models import Event, Office, Organization, Participation, Program, User

APPROVED, APPLIED = ParticipationStatus.APPROVED, ParticipationStatus.APPLIED
REJECTED, WITHDRAWN = ParticipationStatus.REJECTED, ParticipationStatus.WITHDRAWN
SEA = {"SG", "ID", "VN", "TH", "MY"}
NOT_US_READY = (
    "Thank you for applying. This scale-up day is for companies ready to sell or raise in the US, and your "
    "profile lists no US market yet. The Jakarta office's K-ICT Buyer Day may suit you better."
)


def add_days(
    session,
    rng,
    now: datetime,
    offices: dict[str, Office],
    companies: list[Organization],
    partners: list[Organization],
    members: dict[str, User],
    staff: dict[str, User],
) -> dict[str, int]:
    today = now.astimezone(UTC).date()
    sv = _silicon_valley_day(offices["Silicon Valley"], _weekday(today + timedelta(days=91)))
    jkt = _jakarta_day(offices["Jakarta"], _weekday(today + timedelta(days=105)))
    past = _singapore_day(offices["Singapore"], _weekday(today - timedelta(days=61), step=-1))
    session.add_all([sv.program, jkt.program, past.program])

    us_investors = [p for p in partners if p.country == "US" and p.kind == OrgKind.INVESTOR]
    sea_partners = [p for p in partners if p.country in SEA]
    first_company, first_investor = companies[0], us_investors[0]
    # Upcoming days opened for applications six weeks ago; the past one two months before it took place.
    opened = now - timedelta(days=45)
    past_opened = past.starts_at - timedelta(days=60)
    reviewer = {office.name: _staff_of(staff, office) for office in offices.values()}

    # Silicon Valley: companies heading for the US, and US investors.
    us_ready = _shuffled(rng, [c for c in companies if "US" in c.markets], first=first_company)
    not_us = _shuffled(rng, [c for c in companies if "US" not in c.markets])
    investors = _shuffled(rng, us_investors, first=first_investor)
    sv_people = {
        APPROVED: us_ready[:24] + investors[:16],
        APPLIED: us_ready[24:26] + not_us[:1] + investors[16:17],
        REJECTED: not_us[1:2],
        WITHDRAWN: investors[17:18],
    }
    _enroll(session, rng, sv, sv_people, reviewer["Silicon Valley"], opened, now, reason=NOT_US_READY)

    # Jakarta: companies heading for Indonesia first, Indonesian partners first.
    to_indonesia = _shuffled(rng, [c for c in companies if "ID" in c.markets and c is not first_company])
    others = _shuffled(rng, [c for c in companies if "ID" not in c.markets and c is not first_company])
    jkt_companies = [first_company] + to_indonesia + others
    jkt_partners = [p for p in sea_partners if p.country == "ID"]
    jkt_partners += _shuffled(rng, [p for p in sea_partners if p.country != "ID"])
    jkt_people = {
        APPROVED: jkt_companies[:24] + jkt_partners[:14],
        APPLIED: jkt_companies[24:27] + jkt_partners[14:16],
    }
    _enroll(session, rng, jkt, jkt_people, reviewer["Jakarta"], opened, now)
    # Two busy buyers can only come after lunch; the schedule must respect it.
    afternoon = [{"start": _iso(local_to_utc(jkt.date, time(13), jkt.timezone)), "end": _iso(jkt.ends_at)}]
    for participation in rng.sample(
        [p for p in jkt.participations if p.status == APPROVED and p.organization.kind == OrgKind.BUYER], 2
    ):
        participation.availability = afternoon

    # Singapore (past): digital-health companies plus a few others bound for Singapore.
    health = [c for c in companies if "digital-health" in c.sectors]
    bound_for_sg = [c for c in companies if "SG" in c.markets and c not in health]
    past_partners = [p for p in sea_partners if p.country == "SG" or "digital-health" in p.sectors]
    past_people = {APPROVED: health + rng.sample(bound_for_sg, 4) + past_partners}
    _enroll(session, rng, past, past_people, reviewer["Singapore"], past_opened, past.starts_at)
    session.flush()

    # Requests: upcoming days over the last three weeks; the past day in the month before it.
    by_id = {org.id: org for org in companies + partners}
    requested, accepted, declined = RequestStatus.REQUESTED, RequestStatus.ACCEPTED, RequestStatus.DECLINED
    recent = (now - timedelta(days=21), now)
    sv_requests = add_requests(
        session, rng, sv, by_id, members, count=40, window=recent,
        status_weights={requested: 35, accepted: 45, declined: 20},
        anchors=(first_company, first_investor),
    )  # fmt: skip
    jkt_requests = add_requests(
        session, rng, jkt, by_id, members, count=40, window=recent,
        status_weights={requested: 20, accepted: 60, declined: 20},
        anchors=(first_company,),
    )  # fmt: skip
    past_requests = add_requests(
        session, rng, past, by_id, members, count=18,
        window=(past.starts_at - timedelta(days=30), past.starts_at - timedelta(days=5)),
        status_weights={accepted: 65, declined: 20, RequestStatus.EXPIRED: 15},
    )  # fmt: skip
    session.flush()

    meetings = place_meetings(session, rng, jkt, jkt_requests, by_id, scheduled_dt=now)
    past_meetings = place_meetings(
        session, rng, past, past_requests, by_id, scheduled_dt=past.starts_at - timedelta(days=3)
    )
    meetings += past_meetings
    meetings += place_meetings(session, rng, sv, sv_requests, by_id, scheduled_dt=now)  # after: the rest as it was
    session.flush()
    # The past day's check-ins, no-shows and feedback, drawn from their own generator so that adding them
    # leaves everything above as it was.
    outcomes = add_outcomes(
        session, random.Random(f"outcomes-{rng.random()}"), past, past_meetings, by_id, members,
        reviewer["Singapore"],
    )
    session.flush()
    return {
        "programs": 3,
        "events": 3,
        "participations": sum(len(e.participations) for e in (sv, jkt, past)),
        "requests": len(sv_requests) + len(jkt_requests) + len(past_requests),
        "meetings": len(meetings),
        **outcomes,
    }


def _silicon_valley_day(office: Office, day: date) -> Event:
    program = Program(
        office=office,
        title="K-Startup Silicon Valley Scale-up 2027",
        description="A six-week scale-up programme for Korean ICT companies entering the US: mentoring, "
        "investor readiness and an online investor day.",
        start_date=day - timedelta(days=28),
        end_date=day + timedelta(days=14),
    )
    event = Event(
        program=program,
        title="K-Startup Silicon Valley Scale-up 2027: Online Investor Day",
        mode=EventMode.ONLINE,
        online_url="https://meet.matchmaker.example/sv-scaleup-2027",
        virtual_rooms=[
            {"label": f"Room {n}", "url": f"https://meet.matchmaker.example/kstartup-sv-room-{n}"} for n in range(1, 7)
        ],
        timezone="America/Los_Angeles",
        date=day,
        # Late afternoon in California is the next morning in Korea, so both sides meet in office hours.
        day_start=time(16),
        day_end=time(19),
        slot_minutes=30,
        breaks=[],
        tables=None,
        request_deadline_dt=local_to_utc(day - timedelta(days=7), time(17), "America/Los_Angeles"),
        published=True,
    )
    seoul = ZoneInfo("Asia/Seoul")
    event.description = (
        "30-minute video meetings between Korean companies and Silicon Valley investors, 16:00-19:00 "
        f"Pacific time ({event.starts_at.astimezone(seoul):%H:%M}-{event.ends_at.astimezone(seoul):%H:%M} "
        "the next morning in Seoul)."
    )
    return event


def _jakarta_day(office: Office, day: date) -> Event:
    program = Program(
        office=office,
        title="K-ICT Jakarta Buyer Day 2027",
        description="Korean ICT companies meet Indonesian and regional buyers and investors in Jakarta.",
        start_date=day,
        end_date=day,
    )
    return Event(
        program=program,
        title="K-ICT Jakarta Buyer Day 2027",
        description="Face-to-face meetings of 30 minutes at 12 tables, with Korean-Indonesian interpreters "
        "for meetings without a common language. Lunch is served in the foyer at 12:00.",
        mode=EventMode.IN_PERSON,
        venue="Nusantara Ballroom, Hotel Cendana Grand Jakarta, Jl. Cendana Raya 12, South Jakarta",
        timezone="Asia/Jakarta",
        date=day,
        day_start=time(9),
        day_end=time(17),
        slot_minutes=30,
        breaks=[{"start": "12:00", "end": "13:00"}],
        tables=12,
        request_deadline_dt=local_to_utc(day - timedelta(days=14), time(17), "Asia/Jakarta"),
        published=True,
    )


def _singapore_day(office: Office, day: date) -> Event:
    program = Program(
        office=office,
        title="K-Digital Health Singapore 2026",
        description="Korean digital-health companies meet hospitals, insurers and investors in Singapore.",
        start_date=day,
        end_date=day,
    )
    return Event(
        program=program,
        title="K-Digital Health Singapore 2026: Partnering Day",
        description="Partnering meetings alongside a digital-health conference in Singapore.",
        mode=EventMode.IN_PERSON,
        venue="Orchid Room, Harbourfront Pearl Hotel, Singapore",
        timezone="Asia/Singapore",
        date=day,
        day_start=time(10),
        day_end=time(16),
        slot_minutes=30,
        breaks=[{"start": "12:00", "end": "13:00"}],
        tables=8,
        request_deadline_dt=local_to_utc(day - timedelta(days=5), time(17), "Asia/Singapore"),
        published=True,
    )


def _enroll(
    session,
    rng,
    event: Event,
    people: dict[ParticipationStatus, list[Organization]],
    reviewer: User,
    opened: datetime,
    until: datetime,
    reason: str | None = None,
) -> None:
    """Participations that applied within ten days of `opened`; staff decided within a few days."""
    for status, orgs in people.items():
        for org in orgs:
            applied = opened + timedelta(hours=rng.uniform(0, 240))
            participation = Participation(event=event, organization=org, status=status, applied_dt=applied)
            if status in (APPROVED, REJECTED):
                participation.decided_dt = min(applied + timedelta(hours=rng.uniform(4, 96)), until)
                participation.decided_by_id = reviewer.id
            if status == REJECTED:
                participation.reason = reason
            session.add(participation)  # SQLAlchemy 2 does not cascade along the event= backref


def _shuffled(rng, orgs: list[Organization], first: Organization | None = None) -> list[Organization]:
    """A shuffled copy; `first` (a demo account's organization) always comes first so it takes part."""
    rest = [o for o in orgs if o is not first]
    rng.shuffle(rest)
    return ([first] if first is not None else []) + rest


def _staff_of(staff: dict[str, User], office: Office) -> User:
    """The office's staff member, or the admin for offices without one."""
    return next(
        (u for u in staff.values() if u.office is office), next(u for u in staff.values() if u.is_admin)
    )


def _weekday(day: date, step: int = 1) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=step)
    return day


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()
