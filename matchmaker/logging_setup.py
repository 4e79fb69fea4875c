"""Logging for the web app, the RQ worker and the CLI: plain text by default, JSON lines with LOG_FORMAT=json.

Only the "matchmaker" logger (Flask's `app.logger` and every `logging.getLogger(__name__)` below the package)
gets a handler here; the root logger is left to whoever owns the process: gunicorn (deploy/gunicorn.conf.py
formats its own lines the same way, and its root handler skips our records with `OtherLoggers`), RQ's command
line, or pytest, whose log capture hangs on the root. Our records still propagate, so `caplog` sees them, and
nothing here depends on whether an app was built for tests or not (several apps share the process in tests).

Settings (from the app's config when it has the key, else the environment; the environment is ignored under
TESTING so a developer's shell cannot change what the suite sees): LOG_FORMAT (`text` or `json`), LOG_LEVEL
(default INFO).
"""

import json
import logging
import os
import re
import sys
import uuid
from datetime import UTC, datetime

LOGGER_NAME = "matchmaker"
FORMATS = ("text", "json")

# Attributes every LogRecord has; anything else on a record came from `extra=` and is written as a field.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None)).keys() | {"message", "asctime", "taskName"}
)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def setting(app, name: str, default: str | None = None) -> str | None:
    """An operations setting: the app's config when it holds the key, else the environment (not in tests)."""
    if name in app.config:
        return app.config[name]
    if app.testing:
        return default
    return os.environ.get(name, default)


def request_fields() -> dict:
    """Request id, method, path and signed-in user id of the current request; empty outside a request."""
    from flask import g, has_request_context, request

    if not has_request_context():
        return {}
    fields = {"request_id": g.get("request_id"), "method": request.method, "path": request.path}
    user = g.get("_login_user")  # only when Flask-Login already loaded it: a log call never queries
    if user is not None and getattr(user, "is_authenticated", False):
        fields["user_id"] = _primary_key(user)
    return fields


def _primary_key(user):
    """The user's id without touching the database (after a rollback its attributes are expired)."""
    from sqlalchemy import inspect

    try:
        identity = inspect(user).identity
    except Exception:  # not a mapped object: whatever the user loader returned
        return getattr(user, "id", None)
    return identity[0] if identity else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the request's fields, the
    exception text, and any `extra=` fields. json.dumps escapes line breaks and quotes (and, with ASCII output,
    U+2028), so nothing a visitor sends can start a second line or end a field."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(request_fields())
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in entry:
                entry[key] = value
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """`time level logger: message [request id, method, path, user]`, with control characters of the
    request's path shown escaped so that a crafted URL cannot forge a line of its own."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = request_fields()
        if not fields:
            return line
        user = f" user={fields['user_id']}" if fields.get("user_id") is not None else ""
        path = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), fields["path"])
        context = f" [{fields['request_id']} {fields['method']} {path}{user}]"
        head, newline, rest = line.partition("\n")  # after the first line, before a traceback
        return head + context + newline + rest


class OtherLoggers(logging.Filter):
    """For a handler on the root logger: lets through every record except the app's own, which its handler on
    the "matchmaker" logger has printed already."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == LOGGER_NAME or record.name.startswith(LOGGER_NAME + "."))


class StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time of the call (as logging's last-resort handler does), so
    systemd's journal, gunicorn's redirection and pytest's capture all receive the lines."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def init_app(app) -> None:
    """Install our handler on the "matchmaker" logger (replacing the one a previous app installed in this
    process, and Flask's default handler) and tie a request id to each request."""
    from flask import g, request
    from flask.logging import default_handler

    log_format = (setting(app, "LOG_FORMAT") or "text").strip().lower()
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}")
    level_name = (setting(app, "LOG_LEVEL") or "INFO").strip().upper()
    level = logging.getLevelNamesMapping().get(level_name)
    if level is None:
        raise ValueError(f"LOG_LEVEL must be a logging level name such as INFO or WARNING, not {level_name!r}")

    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if isinstance(handler, StderrHandler) or handler is default_handler:
            logger.removeHandler(handler)
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)

    @app.before_request
    def assign_request_id():
        # A proxy's id is kept when it looks like one, so its access log and ours can be joined.
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex

    @app.after_request
    def return_request_id(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response
