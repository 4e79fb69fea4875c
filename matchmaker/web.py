"""One way for a view to change state (Indico's controller → operation → flash).

`perform` runs a service call, commits when it succeeds or rolls back when it refuses (`ServiceError`), says what
happened (a flash message, or an error under a form field so that what was typed stays), and starts the background
jobs the service asked for once the commit is done. Views never commit or roll back themselves; services never
commit (they leave it to their caller, here).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, request

from matchmaker.extensions import db
from matchmaker.jobs import start_committed_jobs
from matchmaker.services import ServiceError


@dataclass(frozen=True)
class Outcome:
    """What `perform` did: the service's return value when it succeeded, its message when it refused."""

    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def __bool__(self) -> bool:
        return self.ok


def perform(action: Callable[[], Any], success: str | Callable[[Any], str] | None = None, *,
            error_field=None, quiet: bool = False) -> Outcome:
    """Run `action()` as one transaction. On success: commit, start the jobs it queued, flash `success` (a message,
    or a function of the action's result). On a refusal: roll back and show the message, under `error_field` (a
    WTForms field) when one is given, else as a flash; `quiet`: say nothing (the view answers with the outcome itself,
    as JSON). Any other exception rolls back and propagates (a 500)."""
    try:
        value = action()
    except ServiceError as error:
        db.session.rollback()
        message = str(error)
        if quiet:
            pass
        elif error_field is not None:
            error_field.errors = [*error_field.errors, message]
        else:
            flash(message, "error")
        return Outcome(error=message)
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    start_committed_jobs()
    if success is not None and not quiet:
        flash(success(value) if callable(success) else success, "success")
    return Outcome(value=value)


def safe_next() -> str | None:
    """The request's `next` argument when it is a path on this site, else None (sign-in, consent)."""
    target = request.args.get("next", "")
    # Only same-site paths: never an absolute URL or a scheme-relative one (//evil.example), and no
    # control characters: browsers drop tabs and newlines, so /\t/evil.example would become //evil.example.
    if target.startswith("/") and not target.startswith("//") and "\\" not in target and target.isprintable():
        return target
    return None
