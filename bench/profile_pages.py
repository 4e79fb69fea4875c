"""Where the busiest pages spend their time, in one process: the app on a throwaway database with the demo data,
the signed-in test client asking for each page many times, first timed, then under cProfile.

    .venv/bin/python bench/profile_pages.py [--runs 30] [--top 25] [--sort cumulative|tottime] [--cpu] [--postgres]
                                            [--page agenda ...] [--dump DIR] [--save DIR] [--sql]

The pages are bench/load.py's: GET /login, the demo company's agenda and recommendations, the Jakarta office's
schedule board of its published day, and that day's report. The database is an SQLite file in a temporary folder,
or with --postgres a throwaway database on TEST_POSTGRES_URL's server (dropped at the end). Prints each page's
queries, mean and median milliseconds (wall and process CPU, and the least CPU: the steadiest figure on a busy
machine) beside /login's, then per page the top functions of the profile (--cpu: of CPU time, leaving out the
waits for the database). --dump DIR writes each page's profile as DIR/<page>.prof (for pstats); --save DIR writes
each page's HTML as DIR/<page>.html with the CSRF tokens and check-in codes blanked, so that two trees' pages can
be compared with diff (a change for speed must not change what a page shows); --sql prints each page's statements.
Nothing is asserted.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this tree's code, whatever the venv points at

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
COMPANY = ("company@matchmaker.example", "demo-company-2027")
STAFF = ("staff.jkt@matchmaker.example", "demo-staff-2027")


def build_app(instance: Path, database_url: str | None):
    """The production configuration (not the tests'), on its own instance folder and database, demo loaded."""
    os.environ.pop("REDIS_URL", None)
    os.environ["JOBS_MODE"] = "inline"
    if database_url:
        os.environ.update(DATABASE_URL=database_url, SECRET_KEY=uuid.uuid4().hex * 2, BASE_URL="http://localhost",
                          TRUSTED_HOSTS="localhost")
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade

    from matchmaker import create_app

    app = create_app()
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    if result.exit_code:
        raise RuntimeError(f"demo load failed: {result.output}{result.exception!r}")
    return app


def demo_targets(app) -> dict[str, int]:
    """The published Jakarta day, and the latest day the demo company is approved for (as bench/load.py)."""
    import sqlalchemy as sa

    from matchmaker.extensions import db

    with app.app_context():
        jakarta = db.session.execute(sa.text(
            "SELECT e.id FROM events e JOIN programs p ON p.id = e.program_id JOIN offices o ON o.id = p.office_id "
            "WHERE o.name = 'Jakarta' AND e.published ORDER BY e.date DESC LIMIT 1")).scalar_one()
        company_event = db.session.execute(sa.text(
            "SELECT pa.event_id FROM participations pa JOIN users u ON u.organization_id = pa.organization_id "
            "JOIN events e ON e.id = pa.event_id WHERE u.email = :email AND pa.status = 'approved' "
            "ORDER BY e.date DESC LIMIT 1"), {"email": COMPANY[0]}).scalar_one()
    return {"jakarta": jakarta, "company_event": company_event}


def sign_in(app, email: str, password: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
    response = client.post("/login", data=data)
    if response.status_code != 302:
        raise RuntimeError(f"signing in as {email} answered {response.status_code}")
    return client


def fetch(client, path: str) -> int:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return len(response.data)


def queries(app, client, path: str) -> list[str]:
    """The SQL statements of one request of the page."""
    from sqlalchemy import event as sa_event

    from matchmaker.extensions import db

    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        fetch(client, path)
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    return statements


def timed(client, path: str, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each of `runs` requests."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        fetch(client, path)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return walls, cpus


def profiled(client, path: str, runs: int, cpu: bool = False) -> cProfile.Profile:
    profile = cProfile.Profile(time.process_time) if cpu else cProfile.Profile()
    profile.enable()
    for _ in range(runs):
        fetch(client, path)
    profile.disable()
    return profile


def run(args) -> int:
    admin = name = None
    if args.postgres:
        import psycopg

        name = f"matchmaker_profile_{uuid.uuid4().hex[:10]}"
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="matchmaker-profile-") as folder:
            url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}" if name else None
            print(f"database: {'PostgreSQL ' + name if name else 'SQLite in ' + folder}; loading the demo…",
                  flush=True)
            app = build_app(Path(folder), url)
            ids = demo_targets(app)
            company, staff = sign_in(app, *COMPANY), sign_in(app, *STAFF)
            pages = [
                ("login", app.test_client(), "/login"),
                ("agenda", company, "/agenda"),
                ("recommendations", company, f"/events/{ids['company_event']}/recommended"),
                ("board", staff, f"/staff/events/{ids['jakarta']}/schedule"),
                ("reports", staff, f"/staff/reports?scope=event&id={ids['jakarta']}"),
            ]
            if args.page:
                pages = [p for p in pages if p[0] == "login" or p[0] in args.page]
            for label, client, path in pages:  # warm up: templates compiled, catalogs and caches loaded
                for _ in range(3):
                    fetch(client, path)
                if args.save:
                    Path(args.save).mkdir(parents=True, exist_ok=True)
                    html = client.get(path).get_data(as_text=True)
                    html = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+"', r'\1"', html)
                    html = re.sub(r'(class="qrline"[^>]*d=")[^"]+"', r'\1"', html)  # a signed code: new each run
                    (Path(args.save) / f"{label}.html").write_text(html)
            print(f"\n{args.runs} requests per page, one process\n")
            print(f"{'page':<16} {'bytes':>8} {'queries':>8} {'wall mean':>10} {'wall p50':>9} {'cpu p50':>8} "
                  f"{'cpu min':>8} {'p50 / login':>12}")
            login = None
            for label, client, path in pages:
                walls, cpus = timed(client, path, args.runs)
                p50 = statistics.median(walls)
                login = login or p50
                statements = queries(app, client, path)
                if args.sql:
                    print("\n".join(f"    {' '.join(q.split())[:160]}" for q in statements))
                print(f"{label:<16} {fetch(client, path):>8} {len(statements):>8} {statistics.fmean(walls):>10.1f} "
                      f"{p50:>9.1f} {statistics.median(cpus):>8.1f} {min(cpus):>8.1f} {p50 / login:>11.1f}×",
                      flush=True)
            if args.top:
                for label, client, path in pages:
                    profile = profiled(client, path, args.runs, args.cpu)
                    if args.dump:
                        Path(args.dump).mkdir(parents=True, exist_ok=True)
                        profile.dump_stats(str(Path(args.dump) / f"{label}.prof"))
                    out = io.StringIO()
                    stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(args.sort)
                    stats.print_stats(args.top)
                    body = out.getvalue()
                    body = body[body.find("ncalls"):] if "ncalls" in body else body
                    # The count of function calls per request does not vary with the machine's load, the times do.
                    print(f"\n=== {label} {path}: {stats.total_calls // args.runs} function calls per request; "
                          f"top {args.top} by {args.sort}, {args.runs} requests ===\n{body}", flush=True)
            with app.app_context():
                from matchmaker.extensions import db

                db.session.remove()
                db.engine.dispose()
        return 0
    finally:
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--top", type=int, default=25, help="functions listed per page (0: timings only)")
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--cpu", action="store_true",
                        help="profile this process's CPU time, not wall time (waits for the database left out)")
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL database, not SQLite")
    parser.add_argument("--page", action="append", choices=["agenda", "recommendations", "board", "reports"],
                        help="only these pages (and /login); repeatable")
    parser.add_argument("--dump", help="a folder for each page's .prof file")
    parser.add_argument("--sql", action="store_true", help="print each page's SQL statements (shortened)")
    parser.add_argument("--save", help="a folder for each page's HTML (CSRF tokens blanked), to diff two trees")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
