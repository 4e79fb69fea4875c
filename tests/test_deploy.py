"""deploy/ says what the README says: each systemd unit runs a command the README's deploy section names, the
environment file names every setting of the README's table and nothing else, gunicorn's configuration loads
and serves the app, and systemd itself accepts the units when it is installed."""

import configparser
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq.utils import import_attribute

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
UNITS = ("matchmaker-web.service", "matchmaker-worker.service", "matchmaker-remind.service")


def _deploy_section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme[readme.index("## Deploying for real"):readme.index("\n## ", readme.index("## Deploying for real"))]


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / name).read_text())
    return parser


def _words(command: str) -> list[str]:
    """A command as words, the program by its name, `${X}` and `"$X"` alike, so that a unit's ExecStart and a
    line of the README compare equal when they run the same thing."""
    words = shlex.split(command)
    return [Path(words[0]).name] + [re.sub(r"\$\{(\w+)\}", r"$\1", word) for word in words[1:]]


def _readme_commands() -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", _deploy_section(), re.S)
    return [_words(line) for block in blocks for line in block.splitlines() if line.startswith(".venv/bin/")]


def _readme_settings() -> set[str]:
    rows = [line for line in _deploy_section().splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)(?:=[^`]*)?`", row.split("|")[1])}


def _env_example_settings() -> set[str]:
    text = (DEPLOY / "matchmaker.env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, re.M))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(tmp_path, **extra) -> dict:
    """A production-shaped start: its own SQLite file (nothing is read from it), a key and an address."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SENTRY_", "LOG_", "REDIS_", "MAIL_", "TEST_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.db'}", SECRET_KEY="k" * 64,
               BASE_URL="http://127.0.0.1", INSTANCE_PATH=str(tmp_path / "instance"), **extra)
    return env


@pytest.mark.parametrize("name", UNITS)
def test_each_unit_runs_a_command_the_readme_names(name):
    service = _unit(name)["Service"]
    command = _words(service["ExecStart"])
    assert command in _readme_commands()
    assert service["EnvironmentFile"] == "/etc/matchmaker/matchmaker.env"
    assert service["ExecStart"].startswith(service["WorkingDirectory"] + "/.venv/bin/")


def test_web_unit_runs_gunicorn_with_the_deploy_configuration():
    command = _words(_unit("matchmaker-web.service")["Service"]["ExecStart"])
    assert command == ["gunicorn", "-c", "deploy/gunicorn.conf.py", "matchmaker:create_app()"]
    assert (ROOT / command[2]).is_file()


def test_worker_unit_runs_rq_with_its_scheduler_on_both_queues():
    command = _words(_unit("matchmaker-worker.service")["Service"]["ExecStart"])
    assert command[:2] == ["rq", "worker"]
    assert "--with-scheduler" in command
    assert command[-2:] == ["matchmaker-scheduler", "matchmaker"]  # the scheduler's runs are taken first
    assert command[command.index("--url") + 1] == "$REDIS_URL"
    worker_class = import_attribute(command[command.index("-w") + 1])
    from rq.worker import BaseWorker

    assert issubclass(worker_class, BaseWorker)


def test_remind_runs_the_periodic_command_from_its_timer():
    command = _words(_unit("matchmaker-remind.service")["Service"]["ExecStart"])
    assert command == ["flask", "--app", "matchmaker", "outbox", "remind"]
    assert _unit("matchmaker-remind.service")["Service"]["Type"] == "oneshot"
    timer = _unit("matchmaker-remind.timer")
    assert timer["Timer"]["Unit"] == "matchmaker-remind.service"
    assert timer["Timer"]["OnCalendar"]
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_environment_file_names_every_setting_of_the_readme_and_no_other():
    readme, example = _readme_settings(), _env_example_settings()
    assert "DATABASE_URL" in readme and "SENTRY_DSN" in readme  # the table was found
    assert readme - example == set(), "settings of the README missing from deploy/matchmaker.env.example"
    assert example - readme == set(), "settings of deploy/matchmaker.env.example the README does not explain"


def test_environment_file_holds_no_secret():
    values = dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", (DEPLOY / "matchmaker.env.example").read_text(), re.M))
    assert values["SECRET_KEY"] == ""  # an empty key refuses to start: nobody runs on an example's key
    assert "CHANGE-ME" in values["DATABASE_URL"] and values["MAIL_PASSWORD"] == "CHANGE-ME"


def test_gunicorn_configuration_reads_the_environment(monkeypatch):
    import runpy

    for name in ("BIND", "WEB_CONCURRENCY", "LOG_FORMAT", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    defaults = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert defaults["workers"] == 4
    assert defaults["bind"] == ["127.0.0.1:8000"]
    assert defaults["preload_app"] is True
    assert defaults["accesslog"] == "-"
    assert "logconfig_dict" not in defaults

    monkeypatch.setenv("BIND", "0.0.0.0:9000, unix:/run/matchmaker.sock")
    monkeypatch.setenv("WEB_CONCURRENCY", "9")
    monkeypatch.setenv("LOG_FORMAT", "json")
    configured = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert configured["workers"] == 9
    assert configured["bind"] == ["0.0.0.0:9000", "unix:/run/matchmaker.sock"]
    logconfig = configured["logconfig_dict"]
    assert import_attribute(logconfig["formatters"]["json"]["()"]).__name__ == "JsonFormatter"
    [root_handler] = logconfig["root"]["handlers"]
    [skip] = logconfig["handlers"][root_handler]["filters"]
    assert import_attribute(logconfig["filters"][skip]["()"]).__name__ == "OtherLoggers"


def test_gunicorn_check_config_loads_the_app(tmp_path):
    result = subprocess.run(
        [str(BIN / "gunicorn"), "--check-config", "-c", "deploy/gunicorn.conf.py", "matchmaker:create_app()"],
        cwd=ROOT, env=_environment(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_check_config_fails_when_the_app_cannot_start(tmp_path):
    env = _environment(tmp_path, LOG_FORMAT="xml")
    result = subprocess.run(
        [str(BIN / "gunicorn"), "--check-config", "-c", "deploy/gunicorn.conf.py", "matchmaker:create_app()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "LOG_FORMAT must be one of text, json" in result.stderr


def test_gunicorn_serves_with_json_logs(tmp_path):
    """The real server with the deploy configuration: every line it and the app write is a JSON object, and
    the access line carries the request id the app returned."""
    port = _free_port()
    env = _environment(tmp_path, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", LOG_FORMAT="json")
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "matchmaker:create_app()"],
            cwd=ROOT, env=env, stdout=stdout, stderr=stderr,
        )
    try:
        response = _get_when_up(port, "/no-such-page%0Aforged", server)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    assert response.startswith(b"HTTP/1.1 404")
    request_id = re.search(rb"\r\nX-Request-ID: (\w+)\r\n", response).group(1).decode()
    access = [json.loads(line) for line in out.read_text().splitlines()]
    errors = [json.loads(line) for line in err.read_text().splitlines()]
    [line] = [entry for entry in access if entry["logger"] == "gunicorn.access"]
    assert '"GET /no-such-page%0Aforged HTTP/1.1" 404' in line["message"]
    assert line["message"].endswith(f"ms {request_id}")
    assert any(entry["logger"] == "gunicorn.error" and "Booting worker" in entry["message"] for entry in errors)


def _get_when_up(port: int, path: str, server: subprocess.Popen) -> bytes:
    """One HTTP request once the server accepts connections (it boots the app first)."""
    for _attempt in range(300):
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
                connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
                chunks = []
                while chunk := connection.recv(65536):
                    chunks.append(chunk)
                return b"".join(chunks)
        except ConnectionRefusedError:
            time.sleep(0.1)
    pytest.fail("gunicorn did not accept connections")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    """systemd's own check, with the units' /opt/matchmaker pointed at this checkout so that their programs
    exist; an unknown key or a bad value is reported on stderr."""
    for name in (*UNITS, "matchmaker-remind.timer"):
        (tmp_path / name).write_text((DEPLOY / name).read_text().replace("/opt/matchmaker", str(ROOT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", *(f"./{name}" for name in (*UNITS, "matchmaker-remind.timer"))],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
