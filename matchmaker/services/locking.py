"""Concurrent writers: row locks taken before a state change is checked, and the database's refusals (a
unique index another transaction satisfied first) turned into a message for the side that lost the race.

PostgreSQL takes the locks (`SELECT … FOR UPDATE`, held until the transaction ends); SQLite has no row locks
and ignores them, which is safe there because it lets one writer in at a time.
"""

from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from matchmaker.extensions import db
from matchmaker.services import ServiceError


def lock(obj):
    """Wait for the row of `obj` and read it again: whatever a concurrent transaction committed meanwhile
    is what the caller checks (a status, a version) before it changes anything."""
    lock_rows(type(obj), [obj.id])
    # Read after the lock, without it: a refresh repeats the eager joins the object was loaded with, and
    # PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    db.session.refresh(obj)
    return obj


def lock_rows(model, ids) -> None:
    """Lock rows by id without loading them, in id order (two writers locking the same rows in a different
    order would deadlock)."""
    ids = sorted(set(ids))
    if ids:
        db.session.execute(select(model.id).where(model.id.in_(ids)).order_by(model.id).with_for_update())


def is_unique_violation(error: IntegrityError) -> bool:
    orig = error.orig
    return getattr(orig, "sqlstate", None) == "23505" or getattr(orig, "sqlite_errorname", None) in (
        "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY",
    )


@contextmanager
def refused_as(message):
    """Flush the block's writes; when a unique index refuses them (another transaction got there first),
    roll the transaction back and raise ServiceError(message) instead of letting a 500 through.

    `message` may be a function: it is called after the rollback, so it can look at what the winner
    committed and say which rule it broke."""
    try:
        yield
        db.session.flush()
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        db.session.rollback()
        raise ServiceError(str(message() if callable(message) else message)) from error
