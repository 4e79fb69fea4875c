"""The RQ worker class for Matchmaker: `rq worker -w matchmaker.worker.Worker matchmaker-scheduler matchmaker`.

It runs each job in the worker process itself rather than in a fork (RQ's default forks a "horse" per job,
which here meant building a fresh app, about two seconds, for every e-mail). The app is built once, when the
worker starts, and reused with its connection pool by every job (`run_job`, which every Matchmaker job in RQ
calls: it runs the job through `matchmaker.jobs.run_in_app`). Run a second worker for `matchmaker-scheduler`
alone when scheduler runs are long, so that mail never waits behind one.

It also ends its control channel without waiting a minute. RQ 3 stops its pubsub thread after sending
UNSUBSCRIBE; when the thread reads the server's reply before the stop flag is set, it goes back to wait for
a subscription with RQ's 60 s poll, and redis-py's `stop()` joins it with no timeout. That race, lost more
often on a busy machine, is why a burst worker took 60 s to finish under the full test suite. Here the flag
is set first, so the reply ends the thread at once, and the poll is short, so nothing can wait long.
"""

from flask import Flask
from redis.exceptions import RedisError
from rq import SimpleWorker, get_current_job

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.jobs import run_in_app

PUBSUB_POLL_SECONDS = 1.0

_worker_app: Flask | None = None


def run_job(path: str, *args, pending_key: str | None = None) -> None:
    """Entry point of every Matchmaker job in an RQ worker process (`matchmaker.jobs` enqueues it with the job's
    `module:function` path): every job reuses the worker's one app and its connection pool."""
    if pending_key is not None:
        # Cleared before the work starts: whatever is committed from now on asks for a job of its own.
        current = get_current_job()
        if current is not None:
            current.connection.delete(pending_key)
    run_in_app(worker_app(), path, *args)


def worker_app() -> Flask:
    """The worker process's app, built from the environment the first time (the worker class builds it when
    it starts, so that the first job does not wait for it)."""
    global _worker_app
    if _worker_app is None:
        _worker_app = create_app()
    return _worker_app


def close_worker_app() -> None:
    """Release the worker's app and its database connections (worker shutdown, tests)."""
    global _worker_app
    if _worker_app is not None:
        with _worker_app.app_context():
            db.engine.dispose()
        _worker_app = None


class Worker(SimpleWorker):
    def work(self, *args, **kwargs):
        worker_app()  # built once, before the first job
        return super().work(*args, **kwargs)

    def subscribe(self):
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=PUBSUB_POLL_SECONDS, daemon=True, exception_handler=self._pubsub_exception_handler
        )

    def unsubscribe(self):
        if self.pubsub_thread:
            self.pubsub_thread.stop(timeout=0)  # the flag first: the reply to UNSUBSCRIBE then ends the thread
            try:
                self.pubsub.unsubscribe()
            except RedisError:  # the thread closed the connection meanwhile: nothing left to unsubscribe
                pass
            self.pubsub_thread.join(timeout=5 * PUBSUB_POLL_SECONDS)
            self.pubsub.close()

    def teardown(self):
        super().teardown()
        if not self.is_horse:
            close_worker_app()
