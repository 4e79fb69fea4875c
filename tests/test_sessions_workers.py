"""SECRET_KEY: the embedded default keeps one key in instance/ that every worker and restart shares; any other start
without SECRET_KEY refuses. A real `gunicorn -w 4` serves one signed-in session from whichever worker answers."""

import os
import re
import socket
import stat
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest

from matchmaker.config import Config, ConfigError, kept_secret_key
from matchmaker.extensions import db

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SETTINGS = ("DATABASE_URL", "SECRET_KEY", "BASE_URL", "TRUSTED_HOSTS", "REDIS_URL", "MAIL_SERVER", "PORT",
            "JOBS_MODE", "INSTANCE_PATH")


@pytest.fixture
def embedded_env(monkeypatch, tmp_path):
    """The environment of `make run`: no settings at all, an instance folder of its own."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "instance"


def test_embedded_default_keeps_one_key_in_instance_with_mode_0600(embedded_env):
    first = Config(embedded_env).SECRET_KEY
    second = Config(embedded_env).SECRET_KEY

    key_file = embedded_env / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first == second == key_file.read_text().strip()
    assert len(first) == 64
    assert [p.name for p in embedded_env.iterdir()] == ["secret_key"]  # no candidate files left behind


def test_the_same_key_across_two_apps(embedded_env, monkeypatch):
    from matchmaker import create_app

    monkeypatch.setenv("INSTANCE_PATH", str(embedded_env))
    monkeypatch.setenv("MAIL_OUTBOX_DIR", str(embedded_env / "outbox"))

    apps = [create_app() for _ in range(2)]
    keys = [one.config["SECRET_KEY"] for one in apps]
    for one in apps:
        with one.app_context():
            db.engine.dispose()

    assert keys[0] == keys[1] == (embedded_env / "secret_key").read_text().strip()


def test_workers_starting_together_agree_on_one_key(embedded_env):
    """Sixteen starts at the same instant: exactly one key is made, every one of them reads it."""
    start = threading.Barrier(16)

    def start_worker(_):
        start.wait(timeout=10)
        return kept_secret_key(embedded_env)

    with ThreadPoolExecutor(16) as pool:
        keys = set(pool.map(start_worker, range(16)))

    assert keys == {(embedded_env / "secret_key").read_text().strip()}
    assert [p.name for p in embedded_env.iterdir()] == ["secret_key"]


def test_a_readable_key_file_is_tightened(embedded_env):
    embedded_env.mkdir()
    (embedded_env / "secret_key").write_text("k" * 64)
    (embedded_env / "secret_key").chmod(0o644)

    assert kept_secret_key(embedded_env) == "k" * 64
    assert stat.S_IMODE((embedded_env / "secret_key").stat().st_mode) == 0o600


def test_a_start_with_a_database_but_no_secret_key_refuses_with_one_line(embedded_env, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://matchmaker@db.internal/matchmaker")
    monkeypatch.setenv("BASE_URL", "https://matchmaker.example.org")

    with pytest.raises(ConfigError) as refused:
        Config(embedded_env)

    message = str(refused.value)
    assert message.startswith("SECRET_KEY is not set: set SECRET_KEY (a long random string")
    assert "\n" not in message
    assert not (embedded_env / "secret_key").exists()  # a deployment never gets a key made up for it


def test_the_refusal_is_the_last_line_a_command_prints(embedded_env):
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(DATABASE_URL="postgresql://matchmaker@127.0.0.1:1/none", BASE_URL="https://matchmaker.example.org")

    result = subprocess.run([str(BIN / "flask"), "--app", "matchmaker", "routes"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].endswith(
        "SECRET_KEY is not set: set SECRET_KEY (a long random string shared by every web and job worker); only "
        "the embedded default (SQLite) runs without it.")


# --- a real multi-worker server ----------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(port: int, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not listen on port {port} within {seconds} s")


@pytest.fixture
def four_workers(embedded_env, tmp_path):
    """`gunicorn -w 4` on the embedded default (SQLite file, no SECRET_KEY) with an admin account; stopped after."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    port = _free_port()
    env.update(INSTANCE_PATH=str(embedded_env), MAIL_OUTBOX_DIR=str(tmp_path / "outbox"), PORT=str(port))
    flask = [str(BIN / "flask"), "--app", "matchmaker"]
    for command in (["db", "upgrade"], ["users", "create-admin", "--email", "ops@workers.example",
                                        "--password", "four-workers-pw", "--name", "Ops"]):
        subprocess.run(flask + command, env=env, cwd=ROOT, check=True, capture_output=True, timeout=180)
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}", "--access-logfile", str(log),
         "--access-logformat", "%(p)s %(s)s %(U)s", "--graceful-timeout", "5", "matchmaker:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_serving(port, server)
        yield f"http://127.0.0.1:{port}", log
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def test_a_session_holds_whichever_of_four_workers_answers(four_workers):
    base, log = four_workers
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    form = opener.open(f"{base}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    body = urlencode({"email": "ops@workers.example", "password": "four-workers-pw", "csrf_token": token})
    signed_in = opener.open(f"{base}/login", data=body.encode(), timeout=30)
    assert signed_in.url.endswith("/admin/"), signed_in.url  # the CSRF token and the sign-in held

    def settings_page(_):
        with opener.open(f"{base}/settings", timeout=30) as response:
            return response.url, response.read().decode()

    with ThreadPoolExecutor(8) as pool:  # several at once, so that several workers answer
        pages = list(pool.map(settings_page, range(40)))

    assert [url.endswith("/settings") for url, _ in pages] == [True] * 40
    assert all("Signed in as ops@workers.example." in page for _, page in pages)
    time.sleep(0.5)  # the access log is written after each response
    workers = {line.split()[0] for line in log.read_text().splitlines() if line.split()[2] == "/settings"}
    assert len(workers) >= 2, f"only worker {workers} answered"


def test_an_sqlite_database_url_is_still_the_embedded_default(embedded_env, monkeypatch):
    """A file database on this machine (migrations, the CLI, a second copy) needs no settings: the kept key serves."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{embedded_env / 'other.db'}")
    config = Config(embedded_env)
    assert config.SECRET_KEY == (embedded_env / "secret_key").read_text().strip()
    assert config.BASE_URL.startswith("http://127.0.0.1:")
