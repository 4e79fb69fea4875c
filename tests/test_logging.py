"""Logging: plain text by default, one JSON object per line with LOG_FORMAT=json, whatever a visitor puts in
the address; the request's id, method, path and user on every line written during a request."""

import json
import logging
import re

import pytest
from builders.clients import sign_in
from builders.ops_apps import FAILURE, ops_apps

from matchmaker.logging_setup import LOGGER_NAME, OtherLoggers

HOSTILE = 'a\nb"c\'d\u2028e\\f}{'
HOSTILE_PATH = "/a%0Ab%22c'd%E2%80%A8e%5Cf%7D%7B"


@pytest.fixture
def make_app(app, tmp_path):
    with ops_apps(app, tmp_path / "instance") as make:
        yield make


def _json_lines(err: str) -> list[dict]:
    """Every line written must be one whole JSON object."""
    return [json.loads(line) for line in err.splitlines() if line]


def test_json_lines_carry_request_fields_and_user(make_app, make_user, capsys):
    user = make_user()
    json_app = make_app(LOG_FORMAT="json")
    client = json_app.test_client()
    sign_in(client, user)
    capsys.readouterr()

    response = client.get("/?log=hello", headers={"X-Request-ID": "edge-1234"})

    assert response.headers["X-Request-ID"] == "edge-1234"
    [entry] = _json_lines(capsys.readouterr().err)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == LOGGER_NAME
    assert entry["message"] == "note: hello"
    assert entry["method"] == "GET"
    assert entry["path"] == "/"
    assert entry["request_id"] == "edge-1234"
    assert entry["user_id"] == user.id
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])


def test_hostile_path_stays_inside_one_json_line(make_app, capsys):
    client = make_app(LOG_FORMAT="json").test_client()
    capsys.readouterr()

    response = client.get(HOSTILE_PATH, query_string={"log": HOSTILE}, headers={"X-Request-ID": "bad id\twith"})

    assert response.status_code == 404
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.endswith("}\n")
    [entry] = _json_lines(err)
    assert entry["message"] == f"note: {HOSTILE}"
    assert entry["path"] == f"/{HOSTILE}"
    assert "user_id" not in entry  # nobody signed in
    # an id that does not look like one is replaced by our own
    assert re.fullmatch(r"[0-9a-f]{32}", entry["request_id"])
    assert response.headers["X-Request-ID"] == entry["request_id"]


def test_exception_text_is_in_the_json_line(make_app, capsys):
    client = make_app(LOG_FORMAT="json").test_client()
    capsys.readouterr()

    response = client.get("/boom")

    assert response.status_code == 500
    [entry] = _json_lines(capsys.readouterr().err)
    assert entry["level"] == "ERROR"
    assert entry["path"] == "/boom"
    assert "Traceback" in entry["exception"]
    assert entry["message"] == "Exception on /boom [GET]"
    assert entry["exception"].endswith(f"raise RuntimeError(FAILURE)\nRuntimeError: {FAILURE}")


def test_json_outside_a_request_has_no_request_fields(make_app, capsys):
    json_app = make_app(LOG_FORMAT="json")
    capsys.readouterr()
    with json_app.app_context():
        logging.getLogger("matchmaker.services.mail").info("sent %d", 3, extra={"outbox_id": 7})

    [entry] = _json_lines(capsys.readouterr().err)
    assert entry["logger"] == "matchmaker.services.mail"
    assert entry["message"] == "sent 3"
    assert entry["outbox_id"] == 7
    assert not {"request_id", "path", "method", "user_id"} & entry.keys()


def test_text_by_default_names_the_request(make_app, capsys):
    client = make_app().test_client()
    capsys.readouterr()

    client.get("/?log=plain", headers={"X-Request-ID": "req-9"})

    [line] = capsys.readouterr().err.splitlines()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING matchmaker: note: plain \[req-9 GET /\]",
                        line)


def test_text_line_escapes_line_breaks_of_the_path(make_app, capsys):
    client = make_app().test_client()
    capsys.readouterr()

    client.get("/x%0Ay%E2%80%A8z", query_string={"log": "plain"})

    [line] = capsys.readouterr().err.split("\n")[:-1]
    assert re.search(r" WARNING matchmaker: note: plain \[[0-9a-f]{32} GET /x\\ny\\u2028z\]$", line)


def test_level_filters_lines(make_app, capsys):
    client = make_app(LOG_FORMAT="json", LOG_LEVEL="error").test_client()
    capsys.readouterr()

    client.get("/?log=quiet")
    client.get("/boom")

    assert [entry["level"] for entry in _json_lines(capsys.readouterr().err)] == ["ERROR"]


@pytest.mark.parametrize(("setting", "value"), [("LOG_FORMAT", "xml"), ("LOG_LEVEL", "LOUD")])
def test_bad_setting_is_refused_by_name(make_app, setting, value):
    with pytest.raises(ValueError, match=setting):
        make_app(**{setting: value})


def test_deployment_reads_the_environment(make_app, monkeypatch, capsys):
    monkeypatch.setenv("LOG_FORMAT", "json")
    client = make_app(TESTING=False).test_client()
    capsys.readouterr()

    client.get("/?log=deployed")

    [entry] = _json_lines(capsys.readouterr().err)
    assert entry["message"] == "note: deployed"


def test_a_root_handler_can_skip_what_the_app_printed(make_app):
    """gunicorn's JSON configuration gives the root logger a handler for the other libraries' lines; with this
    filter it does not print the app's lines a second time."""
    make_app()
    seen = []
    root_handler = logging.Handler()
    root_handler.emit = seen.append
    root_handler.addFilter(OtherLoggers())
    logging.getLogger().addHandler(root_handler)
    try:
        logging.getLogger("matchmaker.services.mail").error("ours")
        logging.getLogger(LOGGER_NAME).error("ours too")
        logging.getLogger("matchmakerish").error("theirs")
        logging.getLogger("sqlalchemy.pool").error("theirs too")
    finally:
        logging.getLogger().removeHandler(root_handler)

    assert [record.getMessage() for record in seen] == ["theirs", "theirs too"]


def test_suite_ignores_the_environment(make_app, monkeypatch, capsys):
    monkeypatch.setenv("LOG_FORMAT", "json")
    client = make_app().test_client()
    capsys.readouterr()

    client.get("/?log=plain")

    assert capsys.readouterr().err.splitlines()[0][0].isdigit()  # a text line, starting with its time


def test_pytest_log_capture_still_sees_app_logs(make_app, caplog):
    client = make_app(LOG_FORMAT="json").test_client()

    with caplog.at_level(logging.WARNING, logger=LOGGER_NAME):
        client.get("/?log=caught")

    assert [r.getMessage() for r in caplog.records if r.name == LOGGER_NAME] == ["note: caught"]
