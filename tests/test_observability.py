"""Sentry: with SENTRY_DSN set, an exception in a request reaches the server named by the DSN (here a small HTTP
server of the test's own on 127.0.0.1, so no network), without passwords, form bodies or cookies; unset, nothing
is started."""

import gzip
import http.server
import json
import threading

import pytest
import sentry_sdk
from builders.ops_apps import FAILURE, ops_apps
from sentry_sdk.integrations.flask import FlaskIntegration
from sentry_sdk.integrations.rq import RqIntegration


class SentryServer(http.server.ThreadingHTTPServer):
    """Records the body of every POST (ungzipped), by path, and answers 200 as Sentry does."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Recorder)
        self.posts: list[tuple[str, bytes]] = []

    def envelopes(self, project: str) -> list[list[tuple[dict, bytes]]]:
        return [_items(body) for path, body in self.posts if path == f"/api/{project}/envelope/"]


class _Recorder(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.posts.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def _items(envelope: bytes) -> list[tuple[dict, bytes]]:
    """An envelope: a header line, then per item a header line and its payload (of `length` bytes when given)."""
    _header, _, rest = envelope.partition(b"\n")
    items = []
    while rest.strip():
        line, _, rest = rest.partition(b"\n")
        item = json.loads(line)
        if "length" in item:
            payload, rest = rest[: item["length"]], rest[item["length"] + 1:]
        else:
            payload, _, rest = rest.partition(b"\n")
        items.append((item, payload))
    return items


@pytest.fixture
def sentry_server():
    server = SentryServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def make_app(app, tmp_path):
    """Apps made here may start the SDK; afterwards its client is closed and unset, so that no other test
    reports anywhere."""
    with ops_apps(app, tmp_path / "instance") as make:
        yield make
    sentry_sdk.get_client().close(timeout=2)
    sentry_sdk.get_global_scope().set_client(None)


def test_exception_in_a_request_reaches_sentry(make_app, sentry_server):
    dsn = f"http://publickey@127.0.0.1:{sentry_server.server_port}/42"
    client = make_app(SENTRY_DSN=dsn, SENTRY_ENVIRONMENT="staging").test_client()
    client.set_cookie("session-probe", "cookie-secret")

    response = client.post("/boom", data={"password": "hunter2-secret", "bio": "body-secret"})
    sentry_sdk.flush(timeout=10)

    assert response.status_code == 500
    events = [json.loads(payload) for envelope in sentry_server.envelopes("42")
              for item, payload in envelope if item["type"] == "event"]
    assert len(events) == 1
    [event] = events
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == FAILURE
    assert event["environment"] == "staging"
    assert event["request"]["url"].endswith("/boom")
    assert event["request"]["method"] == "POST"
    # nothing personal: no form body, no cookie, no address
    raw = b"".join(body for _path, body in sentry_server.posts)
    for secret in (b"hunter2-secret", b"body-secret", b"cookie-secret"):
        assert secret not in raw
    assert "ip_address" not in event.get("user", {})


def test_the_sdk_runs_with_flask_and_rq_and_starts_once_per_dsn(make_app, sentry_server):
    dsn = f"http://publickey@127.0.0.1:{sentry_server.server_port}/7"

    make_app(SENTRY_DSN=dsn, SENTRY_TRACES_SAMPLE_RATE="0.25")
    first = sentry_sdk.get_client()
    make_app(SENTRY_DSN=dsn)  # the RQ worker's app, a second app in a test: the same client

    assert sentry_sdk.get_client() is first
    assert first.dsn == dsn
    assert first.options["data_collection"]["user_info"] is False
    assert first.options["data_collection"]["http_bodies"] == []
    assert first.options["traces_sample_rate"] == 0.25
    assert first.get_integration(FlaskIntegration) is not None
    assert first.get_integration(RqIntegration) is not None


def test_nothing_starts_without_a_dsn(make_app, monkeypatch):
    monkeypatch.setenv("SENTRY_DSN", "http://publickey@127.0.0.1:1/1")  # the suite ignores the environment
    make_app()

    assert not sentry_sdk.get_client().is_active()


@pytest.mark.parametrize("rate", ["often", "1.5", "-0.1"])
def test_a_bad_sample_rate_is_refused_by_name(make_app, rate):
    with pytest.raises(ValueError, match="SENTRY_TRACES_SAMPLE_RATE"):
        make_app(SENTRY_DSN="http://publickey@127.0.0.1:1/1", SENTRY_TRACES_SAMPLE_RATE=rate)
