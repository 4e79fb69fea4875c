"""`/healthz`: what a load balancer or an operator asks of a running instance, as JSON.

The database (ok or error: 503 when it does not answer, since no page can be served then), Redis (ok, error or
not configured: the app keeps serving without it, so 200), the RQ queues' lengths and the age of the job that has
waited longest, and the age of the oldest e-mail still queued in the outbox. No sign-in, no CSRF, no rate limit,
never cached; it names no address, password or error text, so it may be reachable from outside.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify
from redis import Redis
from rq import Queue

from matchmaker.enums import OutboxStatus
from matchmaker.extensions import csrf, db, limiter
from matchmaker.models import OutboxMessage

bp = Blueprint("health", __name__)
csrf.exempt(bp)
limiter.exempt(bp)

REDIS_TIMEOUT = 2  # seconds: a health check that hangs is worse than one that says "error"
HEAD_JOBS = 5  # jobs looked at from the head of each queue for the oldest (one may have expired meanwhile)


@bp.get("/healthz")
def healthz():
    now = datetime.now(UTC)
    report = {"database": _database(), "redis": "not configured", "queues": {}, "queue_depth": None,
              "oldest_job_age_seconds": None, "outbox_queued": None, "oldest_outbox_age_seconds": None}
    if report["database"] == "ok":
        report.update(_outbox(now))
    url = current_app.config.get("REDIS_URL")
    if url:
        report.update(_redis(url, now))
    response = jsonify(report)
    response.status_code = 200 if report["database"] == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _database() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure to answer is "error"; the reason stays in the log
        current_app.logger.warning("health check: the database does not answer", exc_info=True)
        db.session.rollback()
        return "error"
    return "ok"


def _outbox(now: datetime) -> dict:
    queued = OutboxMessage.status == OutboxStatus.QUEUED
    count, oldest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(OutboxMessage.created_dt)).where(queued)
    ).one()
    db.session.rollback()  # read only: hand the connection back at once
    return {"outbox_queued": count, "oldest_outbox_age_seconds": _age(now, _aware(oldest))}


def _redis(url: str, now: datetime) -> dict:
    try:
        connection = Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)
        connection.ping()
        queues, ages = {}, []
        for queue in Queue.all(connection=connection):
            age = _head_age(queue, now)
            queues[queue.name] = {"queued": queue.count, "oldest_job_age_seconds": age}
            if age is not None:
                ages.append(age)
    except Exception:  # noqa: BLE001 - refused, timed out, wrong password, not Redis: all "error"
        current_app.logger.warning("health check: Redis does not answer", exc_info=True)
        return {"redis": "error"}
    return {"redis": "ok", "queues": queues, "queue_depth": sum(q["queued"] for q in queues.values()),
            "oldest_job_age_seconds": max(ages, default=None)}


def _head_age(queue, now: datetime) -> float | None:
    """Seconds since the job at the head of the queue (the next to run, so the one waiting longest) was
    enqueued."""
    for job_id in queue.get_job_ids(0, HEAD_JOBS):
        job = queue.fetch_job(job_id)
        if job is not None and job.enqueued_at is not None:
            return _age(now, _aware(job.enqueued_at))
    return None


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)  # RQ and SQLite give naive UTC
    return moment


def _age(now: datetime, moment: datetime | None) -> float | None:
    return None if moment is None else round(max(0.0, (now - moment).total_seconds()), 1)
