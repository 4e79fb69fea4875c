"""Counting the SQL statements a block of code sends."""

from contextlib import contextmanager

from sqlalchemy import event as sa_event

from matchmaker.extensions import db


@contextmanager
def counted_queries():
    """Every statement sent to the database inside the block, in order."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
