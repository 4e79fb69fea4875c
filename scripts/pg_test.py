"""Run a command (the test suite) against a throwaway PostgreSQL database, then drop it.

Usage: python scripts/pg_test.py COMMAND [ARGS…]

The server is TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres). With CI=true a
missing server is an error; elsewhere the pass is skipped with a line that says so.
"""

import os
import subprocess
import sys
import uuid

import psycopg

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def main(argv: list[str]) -> int:
    ci = os.environ.get("CI", "").lower() == "true"
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[0]
        if ci:
            print(f"PostgreSQL pass FAILED: no server at {ADMIN_URL} ({reason}); CI requires it.", file=sys.stderr)
            return 1
        print(f"PostgreSQL pass skipped: no server answers at {ADMIN_URL} ({reason}).")
        return 0
    name = f"matchmaker_test_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        print(f"PostgreSQL pass: database {name}", flush=True)
        try:
            url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
            return subprocess.call(argv, env={**os.environ, "TEST_DATABASE_URL": url})
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
