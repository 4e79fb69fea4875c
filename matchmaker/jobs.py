"""Background work: RQ on Redis when REDIS_URL is set, a thread in the embedded default, inline in tests.

Jobs are thin wrappers that take ids (never objects), so they run the same in a thread, in an RQ worker
process (`matchmaker.worker`), or inline. Callers pass the function itself; it travels to a worker as its
`module:function` path. A job runs as one transaction (`run`): committed when it returns, rolled back when it
raises, a service's refusal (ServiceError) logged rather than raised; a job whose protocol commits between steps
(the outbox's claims, a scheduler run's start) lives in `matchmaker.tasks` and commits those steps itself. A Redis
that does not answer never fails the request that enqueues: the job then runs in a thread of this process.

Mail delivery and scheduler runs go to separate queues (`matchmaker`, `matchmaker-scheduler`), so a long
scheduler run never holds the mail back and a burst of mail never delays a run. A job enqueued with a
`coalesce` key is queued at most once at a time: while one waits to start, enqueueing it again adds nothing.
"""

import importlib
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import NoSuchJobError
from sqlalchemy import event
from sqlalchemy.orm import Session

from matchmaker.extensions import db
from matchmaker.services import ServiceError

DEFAULT_QUEUE = "matchmaker"
SCHEDULER_QUEUE = "matchmaker-scheduler"
QUEUES = (SCHEDULER_QUEUE, DEFAULT_QUEUE)  # what a worker listens to, in this order
# A coalesced job that never started (a worker lost with the queue) stops blocking new ones after this.
PENDING_TTL_SECONDS = 600
JOB_TIMEOUT_SECONDS = 3600

# What an RQ job calls in the worker process (jobs travel as plain `module:function` paths to it).
WORKER_ENTRY = "matchmaker.worker.run_job"
REDIS_ERRORS = (RedisError, OSError)

log = logging.getLogger(__name__)


def enqueue(job: Callable, *args, queue: str = DEFAULT_QUEUE, coalesce: str | None = None) -> None:
    """Run `job(*args)` in the background, inside an application context."""
    path = _path(job)
    mode = _mode()
    if mode == "inline":
        run(path, *args)
        return
    if mode == "rq":
        try:
            _enqueue_rq(path, args, queue, coalesce)
            return
        except REDIS_ERRORS as error:
            # The page must not fail because Redis is away: the job runs here; mail left queued is picked up
            # by the next delivery or `flask outbox send`.
            current_app.logger.warning("Redis unavailable (%s): running %s in a thread", error, path)
    _start_thread(current_app._get_current_object(), path, args, coalesce)


def enqueue_at(when: datetime, job: Callable, *args, queue: str = DEFAULT_QUEUE, coalesce: str | None = None) -> None:
    """Run a job at `when` (aware datetime): a timer thread, or RQ's scheduler (`rq worker --with-scheduler`).
    With `coalesce`, one such job is kept per key, at the earliest time asked for.
    Inline mode (tests) runs nothing later: tests call the job themselves when they mean time to pass."""
    path = _path(job)
    mode = _mode()
    if mode == "rq":
        try:
            _enqueue_rq_at(when, path, args, queue, coalesce)
            return
        except REDIS_ERRORS as error:
            current_app.logger.warning("Redis unavailable (%s): %s runs from a timer in this process", error, path)
            mode = "thread"
    if mode == "thread":
        _start_timer(current_app._get_current_object(), when, path, args, coalesce)


def enqueue_after_commit(job: Callable, *args, queue: str = DEFAULT_QUEUE, coalesce: str | None = None) -> None:
    """Run `job(*args)` in the background once the caller's transaction commits, never if it rolls back: the way a
    service asks for a job, since services leave committing to the caller (`matchmaker.web.perform`, a command, a
    job). Outside a transaction, or in one that has written nothing yet (called after the commit, when reading an
    expired attribute has begun a new one; or from a page that only reads), the job is enqueued at once: it sees
    what the caller sees. So a service asks for its jobs after the writes they depend on."""
    session = db.session()
    if not session.in_transaction() or not _has_written(session):
        enqueue(job, *args, queue=queue, coalesce=coalesce)
        return
    pending = session.info.setdefault(_PENDING, [])
    if coalesce is None or all(asked[3] != coalesce for asked in pending):  # a coalesced job once per transaction
        pending.append((job, args, queue, coalesce))


def start_committed_jobs() -> None:
    """Enqueue the jobs asked for in transactions that have committed since (called after every commit by
    `matchmaker.web.perform`, after each request, and by commands and jobs that commit)."""
    session = db.session()
    ready = session.info.pop(_READY, [])
    for job, args, queue, coalesce in ready:
        try:
            enqueue(job, *args, queue=queue, coalesce=coalesce)
        except Exception:  # the change is committed: a job that cannot start is logged, never a failed page
            current_app.logger.exception("background job %s could not start", _path(job))


_PENDING = "matchmaker_jobs_pending"
_READY = "matchmaker_jobs_ready"
_WRITTEN = "matchmaker_jobs_written"


def _has_written(session) -> bool:
    """Whether the open transaction has changed anything (flushed, or changes waiting for the flush)."""
    return bool(session.info.get(_WRITTEN) or session.new or session.dirty or session.deleted)


def _on_flush(session, _flush_context) -> None:
    session.info[_WRITTEN] = True


def _on_execute(state) -> None:
    if not state.is_select:  # an UPDATE/DELETE/INSERT statement, or text: count it as a write
        state.session.info[_WRITTEN] = True


def _on_transaction_end(session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended: the next one starts clean
        session.info.pop(_WRITTEN, None)


def _on_commit(session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_READY, []).extend(pending)


def _on_rollback(session, _previous_transaction) -> None:
    if not session.in_transaction():  # the outermost transaction ended: what it asked for is void
        session.info.pop(_PENDING, None)


def init_app(app: Flask) -> None:
    """Session events that hand a committed transaction's jobs over (and drop a rolled-back one's), and a request
    hook that starts them if a view committed on its own."""
    if not event.contains(Session, "after_commit", _on_commit):
        event.listen(Session, "after_commit", _on_commit)
        event.listen(Session, "after_soft_rollback", _on_rollback)
        event.listen(Session, "after_flush", _on_flush)
        event.listen(Session, "do_orm_execute", _on_execute)
        event.listen(Session, "after_transaction_end", _on_transaction_end)

    @app.after_request
    def _start_jobs(response):
        start_committed_jobs()
        return response


def wait_for_background(timeout: float = 30.0) -> bool:
    """Wait for the jobs this process runs in threads (not the timers) to finish; False if some still run.
    For a clean shutdown, and for tests that look at what a background job did."""
    deadline = datetime.now(UTC).timestamp() + timeout
    with _lock:
        threads = list(_threads)
    for thread in threads:
        thread.join(max(0.0, deadline - datetime.now(UTC).timestamp()))
    return not any(t.is_alive() for t in threads)


def _mode() -> str:
    mode = current_app.config.get("JOBS_MODE") or ("rq" if current_app.config.get("REDIS_URL") else "thread")
    return "thread" if mode == "rq" and not current_app.config.get("REDIS_URL") else mode


def _path(job: Callable) -> str:
    """Jobs travel to a worker as `module:function` strings, so that they stay plain to serialise."""
    return f"{job.__module__}:{job.__qualname__}"


def run(path: str, *args) -> None:
    """Run the job at `path` (`module:function`) as one transaction in the current app context: commit when it
    returns, roll back when it raises; a service's refusal is logged, not raised (nobody waits for the job to
    hear it). Then start the jobs it asked for. Threads, inline mode and the RQ worker all run jobs here."""
    module, name = path.split(":")
    function = getattr(importlib.import_module(module), name)
    try:
        function(*args)
    except ServiceError as refusal:
        db.session.rollback()
        current_app.logger.info("background job %s refused: %s", path, refusal)
        return
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    start_committed_jobs()


# --- RQ ---------------------------------------------------------------------------------------------------

def redis_connection(app: Flask | None = None):
    """One client (and connection pool) per app; short timeouts, so a Redis that went away costs the
    request a moment, not a hang."""
    app = app or current_app._get_current_object()
    url = app.config["REDIS_URL"]
    clients = app.extensions.setdefault("matchmaker_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return clients[url]


def _pending_key(coalesce: str) -> str:
    return f"matchmaker:pending:{coalesce}"


def _enqueue_rq(path: str, args: tuple, queue_name: str, coalesce: str | None) -> None:
    connection = redis_connection()
    pending = None
    if coalesce is not None:
        pending = _pending_key(coalesce)
        if not connection.set(pending, "1", nx=True, ex=PENDING_TTL_SECONDS):
            return  # one is already waiting to start; it will see what this request committed
    try:
        Queue(queue_name, connection=connection).enqueue(
            WORKER_ENTRY, path, *args, pending_key=pending, job_timeout=JOB_TIMEOUT_SECONDS
        )
    except BaseException:
        if pending is not None:
            connection.delete(pending)
        raise


def _enqueue_rq_at(when: datetime, path: str, args: tuple, queue_name: str, coalesce: str | None) -> None:
    queue = Queue(queue_name, connection=redis_connection())
    job_id = None
    if coalesce is not None:
        job_id = f"matchmaker-at-{coalesce}"
        try:
            if queue.scheduled_job_registry.get_scheduled_time(job_id) <= when:
                return  # one runs no later than asked
        except NoSuchJobError:
            pass
    queue.enqueue_at(when, WORKER_ENTRY, path, *args, job_id=job_id, job_timeout=JOB_TIMEOUT_SECONDS)


# --- threads ----------------------------------------------------------------------------------------------

_lock = threading.Lock()
_threads: set[threading.Thread] = set()
_pending_threads: set[str] = set()
_timers: dict[str, tuple[datetime, threading.Timer]] = {}


def run_in_app(app: Flask, path: str, *args) -> None:
    """Run a job in a fresh app context of `app` (a thread of this process, or the worker), with its own session."""
    with app.app_context():
        try:
            run(path, *args)
        finally:
            db.session.remove()


def _start_thread(app: Flask, path: str, args: tuple, coalesce: str | None) -> None:
    with _lock:
        if coalesce is not None:
            if coalesce in _pending_threads:
                return
            _pending_threads.add(coalesce)
        thread = threading.Thread(target=_thread_main, args=(app, path, args, coalesce), daemon=True)
        _threads.add(thread)
    thread.start()


def _thread_main(app: Flask, path: str, args: tuple, coalesce: str | None) -> None:
    with _lock:
        _pending_threads.discard(coalesce)
        if coalesce in _timers and _timers[coalesce][1] is threading.current_thread():
            del _timers[coalesce]  # a timer that fired stands no more for a later one: the job may ask again
    try:
        run_in_app(app, path, *args)
    except Exception:
        log.exception("background job %s failed", path)
    finally:
        with _lock:
            _threads.discard(threading.current_thread())


def _start_timer(app: Flask, when: datetime, path: str, args: tuple, coalesce: str | None) -> None:
    delay = max(0.0, (when - datetime.now(UTC)).total_seconds())
    timer = threading.Timer(delay, _thread_main, args=(app, path, args, coalesce))
    timer.daemon = True
    with _lock:
        if coalesce is not None:
            current = _timers.get(coalesce)
            if current is not None and current[1].is_alive():
                if current[0] <= when:
                    return
                current[1].cancel()
            _timers[coalesce] = (when, timer)
    timer.start()
