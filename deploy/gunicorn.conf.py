"""gunicorn settings for Matchmaker: `gunicorn -c deploy/gunicorn.conf.py 'matchmaker:create_app()'`.

Read from the environment, the same file as the app's settings (deploy/matchmaker.env.example):
BIND (default 127.0.0.1:8000; several addresses separated by commas), WEB_CONCURRENCY (worker processes,
default 4), LOG_LEVEL (default info) and LOG_FORMAT (`json`: gunicorn's own lines are JSON too).
"""

import os

bind = [address.strip() for address in os.environ.get("BIND", "127.0.0.1:8000").split(",") if address.strip()]
workers = int(os.environ.get("WEB_CONCURRENCY") or 4)
worker_class = "sync"  # the tested setup: one request at a time per process, behind a buffering reverse proxy

# The app is built once in the master and the workers fork from it: they start faster and share memory, and a
# broken configuration stops the start with the app's own message instead of failing four workers in a loop.
preload_app = True

timeout = 60  # a worker silent this long is killed: every page answers in seconds (imports are capped)
graceful_timeout = 30  # on stop or restart, requests in flight get this long to finish
keepalive = 5  # seconds an idle connection from the proxy stays open
# A worker is replaced after this many requests (spread out), so slow growth in memory never accumulates.
max_requests = 2000
max_requests_jitter = 200

# Both logs to the standard streams: systemd's journal (or the container's log) keeps them. The access line
# ends with the request's time and id (X-Request-ID), which the app's log lines carry too.
accesslog = "-"
errorlog = "-"
loglevel = (os.environ.get("LOG_LEVEL") or "info").lower()
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %({x-request-id}o)s'

if (os.environ.get("LOG_FORMAT") or "").strip().lower() == "json":
    # gunicorn's access and error lines, and what other libraries log (warnings and up), as one JSON object per
    # line with the app's own formatter. The app's records reach the root too, but are printed by their own
    # handler already: the root's handler skips them.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "matchmaker.logging_setup.JsonFormatter"}},
        "filters": {"other_loggers": {"()": "matchmaker.logging_setup.OtherLoggers"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
            "error_console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
            "libraries": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr",
                          "filters": ["other_loggers"]},
        },
        "root": {"level": "WARNING", "handlers": ["libraries"]},
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }


def post_fork(server, worker):
    """Each worker opens its own database connections: none made in the master may be shared across the fork."""
    app = server.app.wsgi()
    extension = getattr(app, "extensions", {}).get("sqlalchemy")
    if extension is None:
        return
    with app.app_context():
        for engine in extension.engines.values():
            engine.dispose(close=False)
