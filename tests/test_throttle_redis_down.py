"""With REDIS_URL on a closed port the rate limits fall back to this process's memory and pages keep working (they
used to answer 500: the limiter's storage raised)."""

import logging

import pytest
from builders.clients import AGREED

from matchmaker import config as settings
from matchmaker import create_app
from matchmaker.extensions import db, limiter

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1: Redis is down
PASSWORD = "correct-horse-battery"


@pytest.fixture
def redis_down_app(app, tmp_path, caplog):
    """An app whose limits are kept in a Redis that does not answer (the configuration of production).

    The limiter is one object shared by every app of the process: what this app's start changes in it (its storage,
    and whether it has fallen back) is put back afterwards for the other tests.
    """
    config = settings.TestConfig(tmp_path / "instance", database_url=app.config["SQLALCHEMY_DATABASE_URI"])
    config.WTF_CSRF_ENABLED = False
    config.REDIS_URL = CLOSED
    config.RATELIMIT_STORAGE_URI = CLOSED
    config.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    saved = {name: getattr(limiter, name, None) for name in
             ("_storage", "_limiter", "_storage_dead", "_fallback_storage", "_fallback_limiter")}
    caplog.set_level(logging.CRITICAL, logger="flask-limiter")  # its warning is expected here
    down = create_app(config)
    down.test_client_class = app.test_client_class
    try:
        yield down
    finally:
        for name, value in saved.items():
            setattr(limiter, name, value)
        with down.app_context():  # its own connection pool to the test database
            db.session.remove()
            db.engine.dispose()


def test_sign_in_and_reset_answer_normally_without_redis(redis_down_app, make_user):
    user = make_user()
    client = redis_down_app.test_client()

    signed_in = client.post("/login", data={"email": user.email, "password": PASSWORD})
    page = client.get("/dashboard")
    reset = redis_down_app.test_client().post("/reset", data={"email": user.email})

    assert (signed_in.status_code, signed_in.headers["Location"]) == (302, "/dashboard")
    assert page.status_code == 200
    assert (reset.status_code, reset.headers["Location"]) == (302, "/login")


def test_limits_still_hold_in_memory_without_redis(redis_down_app, make_user):
    user = make_user()
    client = redis_down_app.test_client()

    statuses = [client.post("/login", data={"email": user.email, "password": "wrong"}).status_code
                for _ in range(11)]

    assert statuses == [200] * 10 + [429]


def test_registration_answers_normally_without_redis(redis_down_app):
    response = redis_down_app.test_client().post("/register", data={
        "kind": "investor", "organization_name": "Offline Capital", "country": "SG", "name": "Tan",
        "email": "tan@offline.example", "password": "a-long-enough-password", "confirm": "a-long-enough-password",
        "locale": "en", "timezone": "Asia/Singapore", **AGREED})

    assert (response.status_code, response.headers["Location"]) == (302, "/login")
