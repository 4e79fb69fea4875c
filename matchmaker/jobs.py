"""Background work: RQ on Redis when REDIS_URL is set, a thread in the embedded default, inline in tests.

Jobs are thin wrappers that take ids (never objects), so they run the same in a thread, in an RQ worker
process, or inline.
"""

import importlib
import threading

from flask import Flask, current_app


def enqueue(path: str, *args) -> None:
    """Run `package.module:function(*args)` in the background, inside an application context."""
    mode = current_app.config.get("JOBS_MODE") or ("rq" if current_app.config.get("REDIS_URL") else "thread")
    if mode == "inline":
        _call(path, *args)
    elif mode == "rq":
        from redis import Redis
        from rq import Queue

        queue = Queue("matchmaker", connection=Redis.from_url(current_app.config["REDIS_URL"]))
        queue.enqueue(run_job, path, *args, job_timeout=3600)
    else:
        app = current_app._get_current_object()
        threading.Thread(target=_in_app, args=(app, path, *args), daemon=True).start()


def enqueue_at(when, path: str, *args) -> None:
    """Run a job at `when` (aware datetime): a timer thread, or RQ's scheduler (`rq worker --with-scheduler`).
    Inline mode (tests) runs nothing later: tests call the job themselves when they mean time to pass."""
    from datetime import UTC, datetime

    mode = current_app.config.get("JOBS_MODE") or ("rq" if current_app.config.get("REDIS_URL") else "thread")
    if mode == "rq":
        from redis import Redis
        from rq import Queue

        queue = Queue("matchmaker", connection=Redis.from_url(current_app.config["REDIS_URL"]))
        queue.enqueue_at(when, run_job, path, *args)
    elif mode == "thread":
        app = current_app._get_current_object()
        delay = max(0.0, (when - datetime.now(UTC)).total_seconds())
        timer = threading.Timer(delay, _in_app, args=(app, path, *args))
        timer.daemon = True
        timer.start()


def _call(path: str, *args):
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)(*args)


def _in_app(app: Flask, path: str, *args) -> None:
    from matchmaker.extensions import db

    with app.app_context():
        try:
            _call(path, *args)
        finally:
            db.session.remove()


_worker_app: Flask | None = None


def run_job(path: str, *args) -> None:
    """Entry point in an RQ worker process (`rq worker matchmaker`): the app is built from the environment
    once per worker process, so its connection pool serves every job."""
    global _worker_app
    if _worker_app is None:
        from matchmaker import create_app

        _worker_app = create_app()
    _in_app(_worker_app, path, *args)


def close_worker_app() -> None:
    """Release the worker's app and its database connections (worker shutdown, tests)."""
    global _worker_app
    if _worker_app is not None:
        from matchmaker.extensions import db

        with _worker_app.app_context():
            db.engine.dispose()
        _worker_app = None
