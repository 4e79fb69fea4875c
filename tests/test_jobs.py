"""Background work through a real Redis with an RQ worker: one delivery job however many requests queue mail,
the scheduler on its own queue, a worker that finishes at once, Redis gone without a failed page; reminders
that go out once."""

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from builders.clients import AGREED
from builders.scheduling import run_scheduler
from sqlalchemy import select

from matchmaker import jobs
from matchmaker.enums import EventMode, OrgKind, OutboxStatus, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.jobs import DEFAULT_QUEUE, SCHEDULER_QUEUE, wait_for_background
from matchmaker.models import MeetingRequest, OutboxMessage
from matchmaker.services.meetings import place
from matchmaker.services.reminders import queue_due_reminders
from matchmaker.services.scheduling import publish
from matchmaker.worker import Worker

REDIS_URL = "redis://127.0.0.1:6379/14"
REDIS_DOWN = "redis://127.0.0.1:1/0"  # nothing listens there: Redis is "gone"
PROFILE = {"name": "Profile Saved Co", "country": "kr", "sectors": ["ai"], "stages": ["series-a"],
           "markets": "us", "languages": "ko, en", "timezone": "Asia/Seoul"}


def _registration(n: int) -> dict:
    return dict(kind="buyer", organization_name=f"Queue Buyer {n}", country="SG", name="Tan",
                email=f"tan{n}@queue.example", password="long-enough-pw", confirm="long-enough-pw", locale="en",
                timezone="Asia/Singapore", **AGREED)


@pytest.fixture
def redis_queues():
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
    connection.flushdb()  # database 14 belongs to these tests
    queues = {name: Queue(name, connection=connection) for name in (SCHEDULER_QUEUE, DEFAULT_QUEUE)}
    yield queues
    connection.flushdb()
    connection.close()


@pytest.fixture
def rq_mode(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "JOBS_MODE", "rq")
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    # The worker builds its own app from the environment, as `rq worker` does in production.
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SECRET_KEY", "worker-test-secret")
    monkeypatch.setenv("BASE_URL", "http://matchmaker.test")
    monkeypatch.setenv("MAIL_OUTBOX_DIR", str(tmp_path))
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    return tmp_path


def test_mail_is_delivered_by_an_rq_worker(client, rq_mode, redis_queues):
    client.post("/register", data=_registration(1))
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.status == OutboxStatus.QUEUED  # the page did not wait for the mail
    db.session.rollback()  # the test holds no transaction while the worker works
    assert redis_queues[DEFAULT_QUEUE].count == 1

    Worker(list(redis_queues.values()), connection=redis_queues[DEFAULT_QUEUE].connection).work(burst=True)
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.SENT
    assert [p.name.split("-", 1)[1] for p in Path(rq_mode).glob("*.eml")] == ["verify_email.eml"]


def test_many_requests_queue_one_delivery_job_that_sends_them_all(client, rq_mode, redis_queues):
    for n in range(5):
        client.post("/register", data=_registration(n))
    assert db.session.query(OutboxMessage).count() == 5
    db.session.rollback()
    assert redis_queues[DEFAULT_QUEUE].count == 1  # was one job per request

    Worker(list(redis_queues.values()), connection=redis_queues[DEFAULT_QUEUE].connection).work(burst=True)
    assert len(list(Path(rq_mode).glob("*.eml"))) == 5
    # The job cleared its mark when it started: the next mail asks for a job again.
    client.post("/register", data=_registration(9))
    assert redis_queues[DEFAULT_QUEUE].count == 1


def test_held_mail_asks_for_one_wake_up_at_the_earliest_time(app, rq_mode, redis_queues):
    from matchmaker.database import utcnow
    from matchmaker.domain.email import new_message_id
    from matchmaker.tasks.mail import deliver_due

    for minutes in (20, 10, 30):  # held for a digest, or waiting to be retried
        db.session.add(OutboxMessage(kind="invite", to_address="a@example.com", subject="s", body_text="b",
                                     message_id=new_message_id(),
                                     next_attempt_dt=utcnow() + timedelta(minutes=minutes)))
        db.session.commit()
        deliver_due()  # each run asks to be woken when the next message falls due
    registry = redis_queues[DEFAULT_QUEUE].scheduled_job_registry
    [job_id] = registry.get_job_ids()
    due = db.session.scalar(select(OutboxMessage.next_attempt_dt).order_by(OutboxMessage.next_attempt_dt))
    assert abs((registry.get_scheduled_time(job_id) - due).total_seconds()) < 1


def test_scheduler_runs_wait_on_their_own_queue_not_behind_mail(client, rq_mode, redis_queues, make_user,
                                                                 make_event):
    client.post("/register", data=_registration(1))
    run = run_scheduler(make_user(Role.STAFF), make_event())
    assert redis_queues[SCHEDULER_QUEUE].count == 1
    assert redis_queues[DEFAULT_QUEUE].count == 1  # the mail alone
    [job] = redis_queues[SCHEDULER_QUEUE].get_jobs()
    assert job.args == ("matchmaker.tasks.scheduling:execute_run", run.id)


WORKER_WITH_LATE_STOP = """
import sys, time
from redis import Redis
from redis.client import PubSubWorkerThread
from rq import Queue
from matchmaker.worker import Worker

original_stop = PubSubWorkerThread.stop
def late_stop(self, timeout=None):
    time.sleep(0.05)  # the reply to UNSUBSCRIBE arrives before the stop
    return original_stop(self, timeout)
PubSubWorkerThread.stop = late_stop
connection = Redis.from_url(sys.argv[1])
queue = Queue("matchmaker", connection=connection)
queue.enqueue(print, "job done")
Worker([queue], connection=connection).work(burst=True)
"""


def test_burst_worker_finishes_even_when_the_unsubscribe_reply_comes_first(redis_queues):
    """RQ 3 sends UNSUBSCRIBE, then stops its pubsub thread and waits for it. When the thread reads the reply
    first (the machine busy with the whole suite), RQ's own worker waited out its 60 s poll before returning:
    a late stop makes that order certain here. The worker must still finish (the 20 s bound stands for "not
    stuck"; it is no measure of speed)."""
    done = subprocess.run([sys.executable, "-c", WORKER_WITH_LATE_STOP, REDIS_URL], capture_output=True,
                          text=True, timeout=20, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr
    assert "job done" in done.stdout


def test_redis_gone_pages_work_and_mail_still_goes_out(app, client, auth, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_MODE", "rq")
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_DOWN)
    member = make_user(Role.COMPANY)
    auth.login(member)
    response = client.post("/profile", data=PROFILE)  # enqueues the recommendations job
    assert response.status_code == 302
    db.session.refresh(member.organization)
    assert member.organization.name == PROFILE["name"]

    client.post("/logout")
    response = client.post("/register", data=_registration(1))
    assert response.status_code == 302
    assert wait_for_background(60)  # the jobs ran in threads of this process instead
    message = db.session.scalars(select(OutboxMessage)).one()
    db.session.refresh(message)
    assert message.status == OutboxStatus.SENT
    assert [p.name.split("-", 1)[1] for p in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml")] == [
        "verify_email.eml"]


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


RUNNING, RELEASE, LATER_RAN = threading.Event(), threading.Event(), threading.Event()


def held_timer_job():
    RUNNING.set()
    RELEASE.wait(20)


def later_timer_job():
    LATER_RAN.set()


def test_a_timer_job_that_runs_does_not_swallow_the_next_one_asked_for_its_key(app, monkeypatch):
    """A thread-mode timer, once fired and running, no longer stands for a later job of its key (a thread's e-mail
    job asking to run again, a message posted while it runs)."""
    monkeypatch.setitem(app.config, "JOBS_MODE", "thread")
    for flag in (RUNNING, RELEASE, LATER_RAN):
        flag.clear()
    with app.app_context():
        jobs.enqueue_at(datetime.now(UTC), held_timer_job, coalesce="timer-test")
        assert RUNNING.wait(20)
        jobs.enqueue_at(datetime.now(UTC) + timedelta(seconds=1), later_timer_job, coalesce="timer-test")
        RELEASE.set()
        assert LATER_RAN.wait(20)
