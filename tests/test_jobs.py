"""Background work through a real Redis with an RQ worker, and reminders that go out once."""

import os
from datetime import timedelta
from pathlib import Path
from time import time as clock

import pytest
from sqlalchemy import select

from matchmaker.enums import EventMode, OrgKind, OutboxStatus, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.jobs import close_worker_app
from matchmaker.models import MeetingRequest, OutboxMessage
from matchmaker.services.meetings import place
from matchmaker.services.reminders import queue_due_reminders
from matchmaker.services.scheduling import publish

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_queue():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown
    from rq import Queue

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisDown:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Redis does not answer at 127.0.0.1:6379; CI requires it")
        pytest.skip("Redis does not answer at 127.0.0.1:6379")
    queue = Queue("matchmaker", connection=connection)
    queue.empty()
    yield queue
    queue.empty()
    connection.close()


def test_mail_is_delivered_by_an_rq_worker(app, client, monkeypatch, tmp_path, redis_queue):
    from rq import SimpleWorker

    monkeypatch.setitem(app.config, "JOBS_MODE", "rq")
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    # The worker builds its own app from the environment, as `rq worker` does in production.
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("MAIL_OUTBOX_DIR", str(tmp_path))
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    client.post("/register", data=dict(
        kind="buyer", organization_name="Queue Buyer", country="SG", name="Tan", email="tan@queue.example",
        password="long-enough-pw", confirm="long-enough-pw", locale="en", timezone="Asia/Singapore"))
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.status == OutboxStatus.QUEUED  # the page did not wait for the mail
    assert redis_queue.count == 1

    started = clock()
    try:
        SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    finally:
        close_worker_app()
    assert clock() - started < 30
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.SENT
    assert [p.name.split("-", 1)[1] for p in Path(tmp_path).glob("*.eml")] == ["verify_email.eml"]


def test_reminders_go_out_once_a_day_and_an_hour_before(make_user, make_org, make_event, make_participation):
    event = make_event(mode=EventMode.ONLINE)
    company = make_user(Role.COMPANY, organization=make_org(OrgKind.COMPANY))
    investor = make_user(Role.PARTNER, organization=make_org(OrgKind.INVESTOR))
    for user in (company, investor):
        make_participation(event, user.organization)
    item = MeetingRequest(event_id=event.id, from_org_id=company.organization_id,
                          to_org_id=investor.organization_id, status=RequestStatus.ACCEPTED)
    db.session.add(item)
    db.session.flush()
    meeting = place(item, event.slots()[0], None)
    publish(make_user(Role.STAFF), event)
    db.session.commit()

    start = meeting.start_dt
    assert queue_due_reminders(start - timedelta(hours=30)) == 0  # too early
    assert queue_due_reminders(start - timedelta(hours=23)) == 2  # the day before, both sides
    assert queue_due_reminders(start - timedelta(hours=22)) == 0  # never twice
    assert queue_due_reminders(start - timedelta(minutes=50)) == 2  # the hour before
    db.session.commit()
    kinds = sorted(db.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.kind.like("reminder%"))))
    assert kinds == ["reminder_day", "reminder_day", "reminder_hour", "reminder_hour"]
