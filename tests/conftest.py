"""Fixtures: one migrated database per test session (SQLite, or TEST_DATABASE_URL), emptied after
each test; builders that return callables; an `auth` helper that signs in through the login form
(`builders.clients.sign_in`). Helpers shared beyond fixtures live in tests/builders; the browser's fixtures in
tests/browser/conftest.py."""

import itertools
import os
from datetime import date, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from builders.clients import PASSWORD, AuthActions, IsolatedClient
from flask_migrate import upgrade

from matchmaker import create_app
from matchmaker.config import TestConfig
from matchmaker.domain import consent_texts
from matchmaker.enums import EventMode, OrgKind, ParticipationStatus, RequestStatus, Role
from matchmaker.extensions import db, limiter
from matchmaker.models import (
    Consent,
    Event,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    Office,
    Organization,
    Participation,
    Program,
    User,
)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance / 'test.db'}"
    config = TestConfig(instance, database_url=url)
    config.WTF_CSRF_ENABLED = False  # tests that check CSRF turn it back on
    app = create_app(config)
    with app.app_context():
        _drop_everything()
        upgrade()  # the schema comes from the migrations, as in production
    yield app
    with app.app_context():
        db.session.remove()
        _drop_everything()
        db.engine.dispose()


def _drop_everything():
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(autouse=True)
def _clean_state(request, app):
    """Each test starts with empty tables, an empty outbox folder and fresh rate limits."""
    if "app" not in request.fixturenames and "client" not in request.fixturenames:
        yield
        return
    limiter.reset()
    ctx = app.app_context()
    ctx.push()
    yield
    db.session.rollback()
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
    ctx.pop()
    outbox = Path(app.config["MAIL_OUTBOX_DIR"])
    for file in outbox.glob("*.eml"):
        file.unlink()


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_counter = itertools.count(1)


@pytest.fixture
def make_office():
    def make(**overrides) -> Office:
        n = next(_counter)
        values = dict(name=f"Office {n}", city="San Jose", timezone="America/Los_Angeles", locale="en")
        office = Office(**{**values, **overrides})
        db.session.add(office)
        db.session.commit()
        return office

    return make


@pytest.fixture
def make_org():
    def make(kind: OrgKind = OrgKind.COMPANY, **overrides) -> Organization:
        n = next(_counter)
        values = dict(
            kind=kind, name=f"{kind.value.title()} {n}", country="KR" if kind == OrgKind.COMPANY else "US",
            timezone="Asia/Seoul" if kind == OrgKind.COMPANY else "America/Los_Angeles",
            sectors={"ai": 1.0}, stages=["series-a"], markets=["US"], languages=["en"],
            existing_investors=[], portfolio=[],
        )
        org = Organization(**{**values, **overrides})
        db.session.add(org)
        db.session.commit()
        return org

    return make


@pytest.fixture
def make_user(make_org):
    def make(role: Role = Role.COMPANY, password: str = PASSWORD, consented: bool = True, **overrides) -> User:
        """A user; a company or partner member has agreed to every required consent unless `consented=False` (as
        someone imported by staff who has not signed in yet)."""
        n = next(_counter)
        if role in (Role.COMPANY, Role.PARTNER) and "organization" not in overrides:
            overrides["organization"] = make_org(OrgKind.COMPANY if role == Role.COMPANY else OrgKind.INVESTOR)
        values = dict(
            email=f"user{n}@example.com", name=f"User {n}", role=role, locale="en",
            timezone="Asia/Seoul", verified=True,
        )
        user = User(**{**values, **overrides})
        user.set_password(password)
        db.session.add(user)
        if consented and role in (Role.COMPANY, Role.PARTNER):
            db.session.add_all(Consent(user=user, kind=text.kind, version=text.version)
                               for text in consent_texts.TEXTS.values() if text.required)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_program(make_office):
    def make(office: Office | None = None, **overrides) -> Program:
        start = date.today() + timedelta(days=30)
        values = dict(
            office=office or make_office(), title=f"Program {next(_counter)}",
            start_date=start, end_date=start + timedelta(days=60),
        )
        program = Program(**{**values, **overrides})
        db.session.add(program)
        db.session.commit()
        return program

    return make


@pytest.fixture
def make_event(make_program):
    def make(program: Program | None = None, **overrides) -> Event:
        program = program or make_program()
        values = dict(
            program=program, title=f"Matchmaking day {next(_counter)}", mode=EventMode.ONLINE,
            timezone="America/Los_Angeles", date=program.start_date + timedelta(days=7),
            day_start=time(9), day_end=time(12), slot_minutes=30, breaks=[], tables=None,
        )
        event = Event(**{**values, **overrides})
        db.session.add(event)
        db.session.commit()
        return event

    return make


@pytest.fixture
def make_participation():
    def make(event: Event, organization: Organization,
             status: ParticipationStatus = ParticipationStatus.APPROVED) -> Participation:
        participation = Participation(event=event, organization=organization, status=status)
        db.session.add(participation)
        db.session.commit()
        return participation

    return make


@pytest.fixture
def two_by_two(make_user, make_org, make_event, make_participation):
    """An event of two companies and two investors, approved: AI (a Korean-speaking user) and digital health,
    each with the investor of its sector. Returns (event, ai, health, ai_vc, health_vc), the users."""
    event = make_event()
    ai = make_user(Role.COMPANY, locale="ko", organization=make_org(
        OrgKind.COMPANY, name="주식회사 에이아이", sectors={"ai": 1.0}, stages=["series-a"], markets=["US"]))
    health = make_user(Role.COMPANY, organization=make_org(
        OrgKind.COMPANY, name="Health Co", sectors={"digital-health": 1.0}, stages=["seed"], markets=["SG"]))
    ai_vc = make_user(Role.PARTNER, organization=make_org(
        OrgKind.INVESTOR, name="AI Capital", sectors={"ai": 1.0}, stages=["series-a"], markets=["US"]))
    health_vc = make_user(Role.PARTNER, organization=make_org(
        OrgKind.INVESTOR, name="Care Ventures", sectors={"digital-health": 1.0}, stages=["seed"], markets=["SG"]))
    for user in (ai, health, ai_vc, health_vc):
        make_participation(event, user.organization)
    return event, ai, health, ai_vc, health_vc


@pytest.fixture
def make_request():
    def make(event: Event, from_org: Organization, to_org: Organization, **overrides) -> MeetingRequest:
        values = dict(event_id=event.id, from_org_id=from_org.id, to_org_id=to_org.id,
                      status=RequestStatus.REQUESTED)
        item = MeetingRequest(**{**values, **overrides})
        db.session.add(item)
        db.session.commit()
        return item

    return make


@pytest.fixture
def add_meeting():
    """Place an accepted request in one of its event's slots, with a seat for each organization."""

    def add(request: MeetingRequest, slot: int = 0) -> Meeting:
        start, end = request.event.slots()[slot].start, request.event.slots()[slot].end
        meeting = Meeting(uid=f"meeting-{request.id}@test", event_id=request.event_id, request_id=request.id,
                          start_dt=start, end_dt=end)
        db.session.add(meeting)
        db.session.flush()
        for org_id in (request.from_org_id, request.to_org_id):
            db.session.add(MeetingSeat(meeting_id=meeting.id, organization_id=org_id, start_dt=start))
        db.session.commit()
        return meeting

    return add


@pytest.fixture
def auth(client):
    return AuthActions(client)

