"""Pages under load: gunicorn (4 workers) on a throwaway PostgreSQL database with the demo data, a bounded
number of requests per page at a fixed concurrency, and each page's latency beside /login's in the same run.

    .venv/bin/python bench/load.py [--requests 200] [--concurrency 16] [--workers 4]

Creates the database on TEST_POSTGRES_URL's server (default postgresql://postgres@127.0.0.1:5432/postgres),
runs `flask db upgrade` and `flask demo load` on it, starts gunicorn on a free 127.0.0.1 port, signs in as the
demo company and the Jakarta office's staff (README, demo accounts), then asks for /login (GET), the company's
agenda, its recommendations, the staff schedule board of the published Jakarta day and that day's report.
Prints req/s, p50 and p95 per page, and each page's p50 as a multiple of /login's (target: at most 4×).
gunicorn is stopped and the database dropped at the end, on error too. Speed is printed, never asserted.
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
COMPANY = ("company@matchmaker.example", "demo-company-2027")
STAFF = ("staff.jkt@matchmaker.example", "demo-staff-2027")
TARGET_RATIO = 4.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str) -> None:
    done = subprocess.run([str(BIN / "flask"), "--app", "matchmaker", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stderr}")


def wait_until_serving(base: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            if requests.get(f"{base}/login", timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or a worker still importing
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within two minutes")


def sign_in(base: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
    response = session.post(f"{base}/login", data=data, timeout=30, allow_redirects=False)
    if response.status_code != 302:
        raise RuntimeError(f"signing in as {email} answered {response.status_code}")
    return session


def demo_targets(url: str) -> dict[str, int]:
    """Ids of the pages to ask for: the published Jakarta day, and a day where the demo company is approved."""
    with psycopg.connect(url) as conn:
        jakarta = conn.execute(
            "SELECT e.id FROM events e JOIN programs p ON p.id = e.program_id JOIN offices o ON o.id = p.office_id "
            "WHERE o.name = 'Jakarta' AND e.published ORDER BY e.date DESC LIMIT 1"
        ).fetchone()[0]
        company_event = conn.execute(
            "SELECT pa.event_id FROM participations pa JOIN users u ON u.organization_id = pa.organization_id "
            "JOIN events e ON e.id = pa.event_id WHERE u.email = %s AND pa.status = 'approved' "
            "ORDER BY e.date DESC LIMIT 1", (COMPANY[0],)
        ).fetchone()[0]
    return {"jakarta": jakarta, "company_event": company_event}


def measure(session: requests.Session, url: str, total: int, concurrency: int) -> tuple[float, list[float]]:
    """(requests per second, latencies in seconds) of `total` GETs of `url` by `concurrency` threads; the
    session's cookies are copied to each request, so threads do not share a connection."""
    cookies = session.cookies.get_dict()

    def one(_):
        start = time.perf_counter()
        response = requests.get(url, cookies=cookies, timeout=60, allow_redirects=False)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return elapsed

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(concurrency)))  # warm up: every worker has loaded its templates
        start = time.perf_counter()
        latencies = list(pool.map(one, range(total)))
        wall = time.perf_counter() - start
    return total / wall, latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(args) -> int:
    name = f"matchmaker_bench_{uuid.uuid4().hex[:10]}"
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    admin.execute(f'CREATE DATABASE "{name}"')
    server = None
    try:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": uuid.uuid4().hex * 2, "BASE_URL": base,
               "JOBS_MODE": "inline", "PYTHONPATH": str(ROOT)}  # this tree's code, whatever the venv points at
        env.pop("REDIS_URL", None)
        print(f"database {name}: migrating and loading the demo…", flush=True)
        flask(env, "db", "upgrade")
        flask(env, "demo", "load")
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
             "matchmaker:create_app()"],
            env=env, cwd=ROOT, start_new_session=True,
        )
        wait_until_serving(base, server)
        ids = demo_targets(url)
        company, staff = sign_in(base, *COMPANY), sign_in(base, *STAFF)
        anonymous = requests.Session()
        pages = [
            ("/login", anonymous, "/login"),
            ("agenda", company, "/agenda"),
            ("recommendations", company, f"/events/{ids['company_event']}/recommended"),
            ("staff board", staff, f"/staff/events/{ids['jakarta']}/schedule"),
            ("reports", staff, f"/staff/reports?scope=event&id={ids['jakarta']}"),
        ]
        print(f"gunicorn -w {args.workers} on {base}; {args.requests} requests per page, "
              f"concurrency {args.concurrency}\n")
        print(f"{'page':<16} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p50 / login':>12}")
        login_p50 = None
        worst = 0.0
        for label, session, path in pages:
            rate, latencies = measure(session, base + path, args.requests, args.concurrency)
            p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
            login_p50 = login_p50 or p50
            ratio = p50 / login_p50
            worst = max(worst, ratio)
            print(f"{label:<16} {rate:>8.1f} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f} {ratio:>11.1f}×", flush=True)
        print(f"\nworst page p50: {worst:.1f}× /login (target ≤ {TARGET_RATIO:g}×): "
              f"{'met' if worst <= TARGET_RATIO else 'NOT met'}")
        return 0
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
