"""Links in e-mail come from BASE_URL, never from the request's Host header, and requests naming a host that is not
ours are refused (TRUSTED_HOSTS)."""

import email
import re
from email import policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from builders.clients import AGREED
from sqlalchemy import select

from matchmaker.config import Config, ConfigError, trusted_hosts
from matchmaker.extensions import db
from matchmaker.models import OutboxMessage

REGISTRATION = {
    "kind": "company", "organization_name": "Link Test", "country": "KR", "name": "Lee", "email": "lee@links.example",
    "password": "a-long-enough-password", "confirm": "a-long-enough-password", "locale": "en",
    "timezone": "Asia/Seoul", **AGREED,
}


def mailed_links(app) -> list[str]:
    links = []
    for path in sorted(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml")):
        mail = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        links += re.findall(r"https?://\S+", mail.get_body(("plain",)).get_content())
    return links


@pytest.fixture
def public_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://matchmaker.example.org")
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["matchmaker.example.org", "localhost"])


def test_reset_request_with_a_forged_host_is_refused_and_mails_nothing(app, client, make_user, public_address):
    """The reproduction: `POST /reset` with `Host: evil.example` used to mail http://evil.example/reset/<token>."""
    user = make_user()

    response = client.post("/reset", data={"email": user.email}, headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert "does not answer to that host name" in response.get_data(as_text=True)
    assert db.session.scalars(select(OutboxMessage)).all() == []


@pytest.mark.parametrize("host", ["evil.example", "matchmaker.example.org.evil.example", "evil.example:443"])
def test_any_page_with_an_unknown_host_answers_400(client, public_address, host):
    assert client.get("/login", headers={"Host": host}).status_code == 400


@pytest.mark.parametrize("host", ["matchmaker.example.org", "matchmaker.example.org:443", "localhost"])
def test_ordinary_requests_still_work(client, make_user, public_address, host):
    user = make_user()

    assert client.get("/login", headers={"Host": host}).status_code == 200
    response = client.post("/login", data={"email": user.email, "password": "correct-horse-battery"},
                           headers={"Host": host})
    assert (response.status_code, response.headers["Location"]) == (302, "/dashboard")


def test_reset_link_points_at_base_url_whatever_host_the_request_named(app, client, make_user, monkeypatch,
                                                                      public_address):
    """Even where every host is let through (TRUSTED_HOSTS=*), the link is built from BASE_URL, and it works."""
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)
    user = make_user()

    response = client.post("/reset", data={"email": user.email}, headers={"Host": "evil.example"})

    assert response.status_code == 302
    link, privacy = mailed_links(app)
    assert link.startswith("https://matchmaker.example.org/reset/")
    assert privacy == "https://matchmaker.example.org/privacy"  # the privacy notice, from BASE_URL as well
    assert client.get(urlsplit(link).path).status_code == 200  # a valid, unused token


def test_registration_links_point_at_base_url(app, client, make_user, monkeypatch, public_address):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)
    make_user(email="owner@links.example")

    client.post("/register", data=REGISTRATION, headers={"Host": "evil.example"})
    client.post("/register", data={**REGISTRATION, "email": "owner@links.example"}, headers={"Host": "evil.example"})

    links = mailed_links(app)
    # The confirmation link; sign-in and reset links to the existing owner; each mail's privacy notice.
    assert len(links) == 5
    assert all(link.startswith("https://matchmaker.example.org/") for link in links), links


# --- the settings ------------------------------------------------------------------------------

@pytest.fixture
def production_env(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://matchmaker@db.internal/matchmaker")
    monkeypatch.setenv("SECRET_KEY", "s" * 64)
    monkeypatch.setenv("BASE_URL", "https://matchmaker.example.org/")
    for name in ("TRUSTED_HOSTS", "INSTANCE_PATH", "PORT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_start_takes_base_url_and_trusts_its_host_only(production_env, tmp_path):
    config = Config(tmp_path)

    assert config.BASE_URL == "https://matchmaker.example.org"
    assert config.TRUSTED_HOSTS == ["matchmaker.example.org"]


def test_production_start_without_base_url_refuses_with_one_line(production_env, tmp_path):
    production_env.delenv("BASE_URL")

    with pytest.raises(ConfigError) as refused:
        Config(tmp_path)

    message = str(refused.value)
    assert message.startswith("BASE_URL is not set: set BASE_URL (the public address")
    assert "\n" not in message


def test_base_url_must_be_an_http_address(production_env, tmp_path):
    production_env.setenv("BASE_URL", "matchmaker.example.org")

    with pytest.raises(ConfigError, match="BASE_URL must be an http"):
        Config(tmp_path)


def test_trusted_hosts_from_the_environment_keep_base_urls_host(production_env, tmp_path):
    production_env.setenv("TRUSTED_HOSTS", "matchmaker.example.org, .agency.example ,10.0.0.5")

    assert Config(tmp_path).TRUSTED_HOSTS == ["matchmaker.example.org", ".agency.example", "10.0.0.5"]


def test_embedded_default_trusts_local_names_and_links_to_its_port(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "SECRET_KEY", "BASE_URL", "TRUSTED_HOSTS", "INSTANCE_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORT", "5077")

    config = Config(tmp_path)

    assert config.BASE_URL == "http://127.0.0.1:5077"
    assert config.TRUSTED_HOSTS == ["127.0.0.1", "localhost"]


@pytest.mark.parametrize("value, expected", [
    ("*", None),
    ("", ["a.example"]),
    ("a.example,b.example", ["a.example", "b.example"]),
])
def test_trusted_hosts_values(value, expected):
    assert trusted_hosts(value, "https://a.example", embedded=False) == expected
