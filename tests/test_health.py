"""`/healthz` against the real services: the test database, a database on a closed port (503), Redis on a closed
port (still 200, Redis "error"), and the real Redis (database 11) with a job waiting in a queue."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from redis import Redis
from rq import Queue

from matchmaker import config, create_app
from matchmaker.enums import OutboxStatus
from matchmaker.extensions import db, limiter
from matchmaker.models import OutboxMessage

CLOSED_PORT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/x"
REDIS_DB11 = "redis://127.0.0.1:6379/11"
SECRETS = ("postgres", "127.0.0.1", "6379", "test-secret", "sqlite", "password")


def _app(tmp_path, **overrides):
    settings = config.TestConfig(tmp_path / "instance", database_url=overrides.pop("database_url", None))
    for key, value in overrides.items():
        setattr(settings, key, value)
    return create_app(settings)


def _message(age: timedelta, status=OutboxStatus.QUEUED) -> OutboxMessage:
    created = datetime.now(UTC) - age
    return OutboxMessage(kind="test", to_address="a@example.com", subject="s", body_text="b", status=status,
                         message_id=f"<{uuid.uuid4()}@test>", created_dt=created, next_attempt_dt=created)


def _redis_up() -> bool:
    try:
        return Redis.from_url(REDIS_DB11, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        return False


def test_healthz_with_the_database_up_is_200_without_sign_in(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok"
    assert body["redis"] == "not configured"
    assert body["queue_depth"] is None
    assert body["outbox_queued"] == 0 and body["oldest_outbox_age_seconds"] is None
    assert response.headers["Cache-Control"] == "no-store"
    assert not any(secret in response.get_data(as_text=True) for secret in SECRETS)


def test_healthz_gives_the_age_of_the_oldest_queued_message(client):
    db.session.add_all([_message(timedelta(minutes=10)), _message(timedelta(minutes=2)),
                        _message(timedelta(hours=5), OutboxStatus.SENT),
                        _message(timedelta(hours=6), OutboxStatus.FAILED)])
    db.session.commit()

    body = client.get("/healthz").get_json()

    assert body["outbox_queued"] == 2
    assert 600 <= body["oldest_outbox_age_seconds"] < 3600  # the ten-minute one; sent and failed ones don't count


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    app = _app(tmp_path, database_url=CLOSED_PORT_DATABASE)

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "error"
    assert body["outbox_queued"] is None
    assert not any(secret in response.get_data(as_text=True) for secret in SECRETS)
    with app.app_context():
        db.engine.dispose()


def test_healthz_is_200_with_redis_on_a_closed_port(client, tmp_path, app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    other = _app(tmp_path, database_url=url, REDIS_URL="redis://127.0.0.1:1/0")

    response = other.test_client().get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok"
    assert body["redis"] == "error"
    assert body["queue_depth"] is None
    with other.app_context():
        db.engine.dispose()


@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_healthz_counts_queued_jobs_and_the_oldest_ones_age(client, tmp_path, app):
    connection = Redis.from_url(REDIS_DB11)
    queue = Queue("healthz-test", connection=connection)
    queue.empty()
    other = _app(tmp_path, database_url=app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=REDIS_DB11)
    try:
        before = other.test_client().get("/healthz").get_json()
        job = queue.enqueue("matchmaker.worker.run_job", "nothing:here")
        job.enqueued_at = datetime.now(UTC) - timedelta(minutes=3)  # as if no worker had run for three minutes
        job.save()
        queue.enqueue("matchmaker.worker.run_job", "nothing:here")

        response = other.test_client().get("/healthz")
    finally:
        queue.delete(delete_jobs=True)
        with other.app_context():
            db.engine.dispose()

    body = response.get_json()
    assert response.status_code == 200
    assert body["redis"] == "ok"
    assert body["queues"]["healthz-test"]["queued"] == 2
    assert body["queue_depth"] == (before["queue_depth"] or 0) - before["queues"].get("healthz-test", {}).get(
        "queued", 0) + 2
    assert 180 <= body["queues"]["healthz-test"]["oldest_job_age_seconds"] < 3600
    assert body["oldest_job_age_seconds"] >= 180


def test_healthz_answers_many_checks_in_a_row_with_csrf_on(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    statuses = [client.get("/healthz").status_code for _ in range(30)] + [client.head("/healthz").status_code]

    assert set(statuses) == {200}
    # Limits set for the whole application (a deployment may add some) never apply to it either.
    assert "health" in limiter._blueprint_exemptions
