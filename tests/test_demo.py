"""The demo data: coherent profiles, working accounts, a schedule without clashes, a reproducible load."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from matchmaker.demo.loader import (
    DEMO_ACCOUNTS,
    DEMO_MEMBER_PASSWORD,
    DemoDataExists,
    demo_is_needed,
    load_demo,
    read_profiles,
)
from matchmaker.domain.timeslots import is_valid_zone
from matchmaker.enums import STAGES, OrgKind, ParticipationStatus, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    Office,
    Organization,
    OutboxMessage,
    Participation,
    User,
)
from matchmaker.services.board_rules import conflict_reasons
from matchmaker.services.invites import send_pending_invites
from matchmaker.services.schedule_board import scheduled_meetings

HANGUL = re.compile("[가-힣]")
NOW = datetime(2027, 1, 11, 3, 30, tzinfo=UTC)  # a Monday; tests that look at dates load with this clock
SECTORS = {
    "ai",
    "cloud",
    "saas",
    "metaverse",
    "digital-health",
    "ai-chips",
    "fintech",
    "cybersecurity",
    "mobility",
    "edtech",
    "iot",
    "robotics",
    "gaming",
    "e-commerce",
}


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch):
    """scrypt takes most of a load's time; any werkzeug method still checks passwords the same way."""
    monkeypatch.setattr(
        "matchmaker.demo.loader.generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )


@pytest.fixture
def demo(app):
    counts = load_demo(db.session)
    db.session.commit()
    return counts


def _events() -> dict[str, Event]:
    events = db.session.scalars(sa.select(Event)).all()
    return {
        key: next(e for e in events if word in e.title)
        for key, word in (("sv", "Silicon Valley"), ("jakarta", "Jakarta"), ("past", "Singapore"))
    }


def test_demo_files_are_coherent_profiles():
    companies, partners = read_profiles("companies.json"), read_profiles("partners.json")
    ids = [p["id"] for p in companies + partners]
    assert len(ids) == len(set(ids))
    partner_names = {p["name"] for p in partners}
    for profile in companies + partners:
        domain = profile["website"].removeprefix("https://")
        assert domain.endswith(".example"), profile["id"]
        assert profile["contact"]["email"].endswith("@" + domain), profile["id"]
        assert set(profile["stages"]) <= set(STAGES), profile["id"]
        assert set(profile["sectors"]) <= SECTORS, profile["id"]
        assert 1 <= len(profile["sectors"]) <= 5 and sum(profile["sectors"].values()) == pytest.approx(1.0)
        assert all(re.fullmatch("[A-Z]{2}", m) for m in profile["markets"] + [profile["country"]])
        if profile.get("ticket_usd"):
            low, high = profile["ticket_usd"]
            assert 0 < low <= high, profile["id"]
    for company in companies:
        assert company["country"] == "KR" and company["timezone"] == "Asia/Seoul"
        assert HANGUL.search(company["name"]) and not HANGUL.search(company["name_latin"])
        assert company["languages"][0] == "ko" and len(company["stages"]) == 1
        assert len(company["sectors"]) <= 3
    for partner in partners:
        assert partner["kind"] in ("investor", "buyer")
        assert 2 <= len(partner["portfolio"]) <= 6, partner["id"]
        assert all(2019 <= deal["year"] <= 2026 and deal["stage"] in STAGES for deal in partner["portfolio"])
        assert (partner["ticket_usd"] is not None) == (partner["kind"] == "investor"), partner["id"]
    # Co-investment ties: some companies name demo investors, and those investors list them back.
    ties = [
        (c["name_latin"], name)
        for c in companies
        for name in c["existing_investors"]
        if name in partner_names
    ]
    assert len(ties) >= 5
    portfolios = {p["name"]: {deal["company"] for deal in p["portfolio"]} for p in partners}
    assert all(company in portfolios[investor] for company, investor in ties)


def test_load_demo_counts(demo):
    assert demo["companies"] >= 40
    assert demo["investors"] + demo["buyers"] >= 30 and demo["investors"] > 0 and demo["buyers"] > 0
    kinds = Counter(db.session.scalars(sa.select(Organization.kind)))
    assert kinds[OrgKind.COMPANY] == demo["companies"]
    assert kinds[OrgKind.INVESTOR] == demo["investors"] and kinds[OrgKind.BUYER] == demo["buyers"]
    assert db.session.scalar(sa.select(sa.func.count(Office.id))) == demo["offices"] == 6
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == demo["users"] == sum(kinds.values()) + 3
    assert db.session.scalar(sa.select(sa.func.count(MeetingRequest.id))) == demo["requests"]
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == demo["meetings"] > 0

    events = _events()
    for key in ("sv", "jakarta"):
        statuses = Counter(
            db.session.scalars(
                sa.select(MeetingRequest.status).where(MeetingRequest.event_id == events[key].id)
            )
        )
        assert 35 <= sum(statuses.values()) <= 45
        assert {RequestStatus.REQUESTED, RequestStatus.ACCEPTED, RequestStatus.DECLINED} <= set(statuses)
    approved = Counter(
        (p.event_id, p.organization.kind)
        for p in db.session.scalars(sa.select(Participation))
        if p.status == ParticipationStatus.APPROVED
    )
    assert (
        approved[(events["sv"].id, OrgKind.COMPANY)]
        == 24
        == approved[(events["jakarta"].id, OrgKind.COMPANY)]
    )
    assert approved[(events["sv"].id, OrgKind.INVESTOR)] == 16
    rejected = db.session.scalars(
        sa.select(Participation).filter_by(status=ParticipationStatus.REJECTED)
    ).all()
    assert len(rejected) == 1 and rejected[0].reason


def test_demo_accounts_sign_in(demo, client, auth):
    companies, partners = read_profiles("companies.json"), read_profiles("partners.json")
    first_us_investor = next(p for p in partners if p["kind"] == "investor" and p["country"] == "US")
    for email, password, role, _ in DEMO_ACCOUNTS:
        user = db.session.scalar(sa.select(User).filter_by(email=email))
        assert user.role == role and user.verified and user.check_password(password), email
        assert auth.login(email, password).status_code == 302, email  # the real form redirects on success
        auth.logout()
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    assert users["company@matchmaker.example"].organization.external_id == companies[0]["id"]
    assert users["partner@matchmaker.example"].organization.external_id == first_us_investor["id"]
    assert users["staff.sv@matchmaker.example"].office.name == "Silicon Valley"
    assert users["staff.jkt@matchmaker.example"].office.name == "Jakarta"
    member = users[companies[1]["contact"]["email"]]
    assert member.check_password(DEMO_MEMBER_PASSWORD) and member.locale == "ko"
    assert users[partners[1]["contact"]["email"]].locale == "en"
    for user in users.values():
        if user.role in (Role.COMPANY, Role.PARTNER):
            assert user.organization is not None and user.timezone == user.organization.timezone


def test_demo_every_timezone_is_a_valid_iana_zone(demo):
    zones = [
        *db.session.scalars(sa.select(Organization.timezone)),
        *db.session.scalars(sa.select(User.timezone)),
        *db.session.scalars(sa.select(Office.timezone)),
        *db.session.scalars(sa.select(Event.timezone)),
    ]
    assert zones and all(is_valid_zone(zone) for zone in zones), sorted(set(zones))


def test_demo_requests_pair_an_approved_company_with_an_approved_partner(demo):
    approved = {
        (p.event_id, p.organization_id)
        for p in db.session.scalars(sa.select(Participation))
        if p.status == ParticipationStatus.APPROVED
    }
    pairs = Counter()
    for request in db.session.scalars(sa.select(MeetingRequest)):
        kinds = {request.from_org.kind == OrgKind.COMPANY, request.to_org.kind == OrgKind.COMPANY}
        assert kinds == {True, False}, request.id
        assert (request.event_id, request.from_org_id) in approved and (
            request.event_id,
            request.to_org_id,
        ) in approved
        # Filled by the model's @validates hook from from_org_id and to_org_id.
        assert (request.org_low_id, request.org_high_id) == tuple(
            sorted((request.from_org_id, request.to_org_id))
        )
        assert db.session.get(User, request.created_by_id).organization_id == request.from_org_id
        assert request.created_dt.tzinfo is not None
        answered = request.status in (RequestStatus.ACCEPTED, RequestStatus.DECLINED)
        assert (request.responded_dt is not None) == answered
        pairs[(request.event_id, request.org_low_id, request.org_high_id)] += 1
    assert max(pairs.values()) == 1


def test_demo_schedule_books_nobody_twice(demo):
    double_booked = db.session.execute(
        sa.select(MeetingSeat.organization_id, MeetingSeat.start_dt)
        .group_by(MeetingSeat.organization_id, MeetingSeat.start_dt)
        .having(sa.func.count() > 1)
    ).all()
    assert double_booked == []

    events = _events()
    assert events["jakarta"].published and events["past"].published and events["sv"].published
    for key in ("jakarta", "past", "sv"):
        event = events[key]
        slots = {(s.start, s.end) for s in event.slots()}
        accepted = db.session.scalars(
            sa.select(MeetingRequest).filter_by(event_id=event.id, status=RequestStatus.ACCEPTED)
        ).all()
        assert accepted and all(r.meeting is not None for r in accepted)
        meetings = db.session.scalars(sa.select(Meeting).filter_by(event_id=event.id)).all()
        assert len(meetings) == len(accepted)
        tables = Counter((m.start_dt, m.table_label) for m in meetings)
        assert max(tables.values()) == 1
        for meeting in meetings:
            assert (meeting.start_dt, meeting.end_dt) in slots
            if event.virtual_rooms:  # the online day: one of its video rooms, with the room's link
                assert {"label": meeting.table_label, "url": meeting.online_url} in event.virtual_rooms
            else:
                assert meeting.table_label in {f"T{n}" for n in range(1, event.tables + 1)}
            assert meeting.uid == f"meeting-{event.id}-{meeting.request_id}@matchmaker"
            assert {s.organization_id for s in meeting.seats} == {
                meeting.request.from_org_id,
                meeting.request.to_org_id,
            }
            assert all(s.start_dt == meeting.start_dt for s in meeting.seats)


def test_demo_schedule_keeps_afternoon_only_availability(demo):
    jakarta = _events()["jakarta"]
    limited = [p for p in jakarta.participations if p.availability]
    assert len(limited) == 2
    for participation in limited:
        after = datetime.fromisoformat(participation.availability[0]["start"])
        starts = db.session.scalars(
            sa.select(MeetingSeat.start_dt).filter_by(organization_id=participation.organization_id)
        ).all()
        assert all(start >= after for start in starts if jakarta.starts_at <= start < jakarta.ends_at)


def test_demo_loads_only_into_an_empty_database(app):
    assert demo_is_needed(db.session)
    counts = load_demo(db.session)
    db.session.commit()
    assert not demo_is_needed(db.session)
    with pytest.raises(DemoDataExists):
        load_demo(db.session)
    db.session.rollback()
    assert (
        db.session.scalar(sa.select(sa.func.count(Organization.id)))
        == counts["companies"] + counts["investors"] + counts["buyers"]
    )


def test_demo_is_not_needed_once_a_user_exists(app, make_user):
    make_user(Role.ADMIN)
    assert not demo_is_needed(db.session)


def test_demo_shows_korean_and_english_text(demo):
    companies = db.session.scalars(sa.select(Organization).filter_by(kind=OrgKind.COMPANY)).all()
    assert all(HANGUL.search(c.name) and c.name_latin for c in companies)
    korean = sum(bool(HANGUL.search(c.description)) for c in companies)
    assert len(companies) / 3 <= korean <= len(companies) * 2 / 3
    partners = db.session.scalars(sa.select(Organization).where(Organization.kind != OrgKind.COMPANY)).all()
    assert not any(HANGUL.search(p.description) for p in partners)


def test_demo_dates_follow_the_clock(app):
    load_demo(db.session, now=NOW)
    events = _events()
    sv, jakarta, past = events["sv"], events["jakarta"], events["past"]
    for event in events.values():
        assert event.date.weekday() < 5
    assert timedelta(days=85) <= sv.date - NOW.date() <= timedelta(days=100)
    assert sv.date < jakarta.date and past.ends_at < NOW
    # 16:00 in Los Angeles is the next morning in Seoul: 09:00 in US winter time, 08:00 in summer time.
    seoul_start = sv.starts_at.astimezone(ZoneInfo("Asia/Seoul"))
    assert seoul_start.date() == sv.date + timedelta(days=1) and seoul_start.hour in (8, 9)
    assert len(sv.slots()) == 6 and sv.tables is None and sv.online_url
    assert len(jakarta.slots()) == 14 and jakarta.tables == 12 and jakarta.venue
    upcoming = db.session.scalars(sa.select(MeetingRequest).where(MeetingRequest.event_id != past.id)).all()
    assert all(r.created_dt <= NOW and (r.responded_dt or r.created_dt) <= NOW for r in upcoming)
    past_requests = db.session.scalars(sa.select(MeetingRequest).filter_by(event_id=past.id)).all()
    assert all((r.responded_dt or r.created_dt) < past.starts_at for r in past_requests)


def test_demo_load_is_reproducible(app):
    def snapshot():
        names = dict(db.session.execute(sa.select(Organization.id, Organization.external_id)).all())
        requests = db.session.scalars(sa.select(MeetingRequest).order_by(MeetingRequest.id)).all()
        return [
            (
                names[r.from_org_id],
                names[r.to_org_id],
                r.status,
                r.message,
                r.meeting and (r.meeting.start_dt, r.meeting.table_label),
            )
            for r in requests
        ]

    load_demo(db.session, now=NOW)
    first = snapshot()
    db.session.rollback()  # load_demo only flushes, so this empties the database again
    assert demo_is_needed(db.session)
    load_demo(db.session, now=NOW)
    assert snapshot() == first


def test_demo_past_day_has_outcomes_for_the_dashboard(demo, client, auth):
    from matchmaker.demo.loader import ADMIN_EMAIL, ADMIN_PASSWORD
    from matchmaker.enums import Attendance, Outcome
    from matchmaker.models import Feedback, NoShow
    from matchmaker.services.reports import report_for

    past = _events()["past"]
    feedback = db.session.scalars(sa.select(Feedback).order_by(Feedback.id)).all()
    meetings = {m.id: m for m in db.session.scalars(sa.select(Meeting).filter_by(event_id=past.id))}
    assert feedback and all(f.meeting_id in meetings for f in feedback)
    assert all(
        f.organization_id in (meetings[f.meeting_id].request.from_org_id, meetings[f.meeting_id].request.to_org_id)
        and db.session.get(User, f.user_id).organization_id == f.organization_id
        for f in feedback
    )
    assert any(len([f for f in feedback if f.meeting_id == m]) == 2 for m in meetings)  # both sides answered
    assert {Outcome.NDA, Outcome.MOU} <= {f.outcome for f in feedback}
    assert any(f.expected_amount_usd for f in feedback) and any(f.follow_up for f in feedback)
    no_shows = db.session.scalars(sa.select(NoShow).filter_by(event_id=past.id)).all()
    assert no_shows and all(n.reason and n.meeting_id in meetings for n in no_shows)
    attendance = Counter(p.attendance for p in past.participations)
    assert attendance[Attendance.ABSENT] == 1 and attendance[Attendance.CHECKED_IN] == len(past.participations) - 1
    missed = {n.meeting_id for n in no_shows}
    assert not any(f.meeting_id in missed for f in feedback)  # nobody rates a meeting that did not happen

    total = report_for([past]).total
    assert total.held > 0 and total.no_shows == len(missed) and total.satisfaction
    assert total.deals > 0 and total.mous > 0 and total.amount_usd > 0 and total.expected_amount_usd > 0
    assert auth.login(ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 302
    page = client.get(f"/staff/reports?scope=event&id={past.id}").get_data(as_text=True)
    assert "Figures for headquarters" in page and "<svg" in page


def test_demo_outcomes_are_reproducible(app):
    from matchmaker.models import Feedback

    def snapshot():
        names = dict(db.session.execute(sa.select(Organization.id, Organization.external_id)).all())
        rows = db.session.scalars(sa.select(Feedback).order_by(Feedback.id)).all()
        return [(names[f.organization_id], f.rating, f.follow_up, f.outcome, f.amount_usd) for f in rows]

    load_demo(db.session, now=NOW)
    first = snapshot()
    db.session.rollback()
    load_demo(db.session, now=NOW)
    assert snapshot() == first and first


def test_demo_online_day_invites_carry_a_room_of_their_own(demo):
    """Published as `flask demo load` publishes it: every invite of the online day has its meeting's video room as
    CONFERENCE, and meetings at the same time are in different rooms."""
    sv = _events()["sv"]
    assert send_pending_invites(sv) == 0  # the demo's invitations went out when the day was published
    for meeting in db.session.scalars(sa.select(Meeting).filter_by(event_id=sv.id)):
        meeting.sequence += 1  # all updated: each attendee is told again
    assert send_pending_invites(sv) > 0
    db.session.commit()
    meetings = {m.uid: m for m in db.session.scalars(sa.select(Meeting).filter_by(event_id=sv.id))}
    invites = db.session.scalars(sa.select(OutboxMessage).filter_by(kind="invite")).all()
    assert {re.search(r"^UID:(.*)$", m.calendar, re.M).group(1).strip() for m in invites} == set(meetings)
    for invite in invites:
        calendar = invite.calendar.replace("\r\n ", "").replace("\r\n", "\n")
        meeting = meetings[re.search(r"^UID:(.*)$", calendar, re.M).group(1).strip()]
        [conference] = re.findall(r"^CONFERENCE;.*?:(https://\S+)$", calendar, re.M)
        assert conference == meeting.online_url.strip()
        assert meeting.table_label in invite.body_text and meeting.online_url in invite.body_text
    rooms_at = Counter((m.start_dt, m.online_url) for m in meetings.values())
    assert max(rooms_at.values()) == 1
    assert len({m.online_url for m in meetings.values()}) > 1
    assert max(Counter(m.start_dt for m in meetings.values()).values()) > 1  # parallel meetings exist



def test_demo_schedules_keep_every_rule_the_board_checks(demo):
    """Interpreted meetings carry their pair's code, and each day has the interpreters its busiest slot needs: the
    board shows no conflict on a demo day, and the Jakarta day does have interpreted meetings."""
    events = _events()
    for event in events.values():
        assert conflict_reasons(event, scheduled_meetings(event.id)) == {}, event.title
    interpreted = [m for m in scheduled_meetings(events["jakarta"].id) if m.interpreter]
    assert interpreted and all("-" in m.language for m in interpreted)
