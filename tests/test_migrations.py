"""The migrations build, from an empty database, exactly the schema the models describe; they also go
down to nothing and up again. Each backend gets its own throwaway database and its own app, so the
session database is never touched."""

import os
import uuid

import psycopg
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

# The config module rather than TestConfig itself, which pytest would try to collect as a test class.
from matchmaker import config, create_app
from matchmaker.extensions import db


def _postgres_server() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql")) else None


@pytest.fixture
def sqlite_url(tmp_path):
    yield f"sqlite:///{tmp_path / 'migrations.db'}"


@pytest.fixture
def postgresql_url():
    """A new, empty database on the server of TEST_DATABASE_URL, dropped afterwards."""
    server = _postgres_server()
    if server is None:
        pytest.skip("PostgreSQL migrations check runs when TEST_DATABASE_URL is PostgreSQL")
    url = make_url(config.sqlalchemy_url(server))
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"matchmaker_migrations_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(libpq, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def migration_app(request, tmp_path):
    """An app of its own over an empty database. `db` is one extension for every app, so callers
    work inside `with migration_app.app_context():`."""
    url = request.getfixturevalue(f"{request.param}_url")
    app = create_app(config.TestConfig(tmp_path / "instance", database_url=url))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def test_upgrade_from_empty_database_matches_models(migration_app):
    with migration_app.app_context():
        assert _tables() == set()
        upgrade()
        assert _tables() == set(db.metadata.tables) | {"alembic_version"}
        assert _differences() == []


def test_downgrade_to_base_then_upgrade_again(migration_app):
    with migration_app.app_context():
        upgrade()
        downgrade(revision="base")
        assert _tables() == {"alembic_version"}
        with db.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() is None
        upgrade()
        assert _differences() == []
