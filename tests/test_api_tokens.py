"""Personal access tokens: created with the secret shown once and only its digest kept, authenticate while valid,
refused once expired or revoked; the CLI prints the token alone on its last line; the settings page lists and
revokes them."""

from datetime import timedelta

from sqlalchemy import select

from matchmaker.database import utcnow
from matchmaker.enums import Role, TokenScope
from matchmaker.extensions import db
from matchmaker.models import ApiToken, AuditLog
from matchmaker.services import api_tokens


def test_create_keeps_only_the_digest_and_audits(make_user):
    user = make_user(Role.STAFF)

    row, plain = api_tokens.create(user, "CRM sync", "write", 30)
    db.session.commit()

    assert plain.startswith("mm_") and len(plain) > 40
    assert row.token_hash == api_tokens.digest(plain) and plain not in (row.token_hash, row.prefix)
    assert plain.startswith(row.prefix) and row.scope == TokenScope.WRITE
    assert timedelta(days=29, hours=23) < row.expires_dt - row.created_dt <= timedelta(days=30)
    assert db.session.scalars(select(AuditLog.action)).all() == ["api_token.create"]


def test_authenticate_accepts_a_valid_token_and_notes_its_use(make_user):
    user = make_user()
    row, plain = api_tokens.create(user, "script")

    found = api_tokens.authenticate(plain)

    assert found is row and row.last_used_dt is not None
    assert api_tokens.authenticate(plain[:-1] + ("A" if plain[-1] != "A" else "B")) is None
    assert api_tokens.authenticate("") is None and api_tokens.authenticate("Bearer " + plain) is None


def test_expired_and_revoked_tokens_do_not_authenticate(make_user):
    user = make_user()
    expired, expired_plain = api_tokens.create(user, "old", days=1)
    revoked, revoked_plain = api_tokens.create(user, "gone")

    api_tokens.revoke(user, revoked.id)

    assert api_tokens.authenticate(expired_plain, now=utcnow() + timedelta(days=1, seconds=1)) is None
    assert api_tokens.authenticate(revoked_plain) is None


def test_nobody_revokes_another_persons_token(make_user):
    owner, other = make_user(), make_user()
    row, _plain = api_tokens.create(owner, "mine")

    try:
        api_tokens.revoke(other, row.id)
    except api_tokens.ServiceError as error:
        assert str(error) == "There is no such token."
    else:
        raise AssertionError("revoked another person's token")
    assert row.revoked_dt is None


def test_cli_prints_the_token_alone_on_its_last_line(runner, make_user):
    user = make_user(Role.STAFF)

    result = runner.invoke(args=["api", "token", "create", user.email.upper(), "--scope", "write", "--days", "7"])

    assert result.exit_code == 0, result.output
    plain = result.output.strip().splitlines()[-1]
    token = api_tokens.authenticate(plain)
    assert token is not None and token.user_id == user.id and token.scope == TokenScope.WRITE


def test_cli_refuses_an_unknown_account(runner):
    result = runner.invoke(args=["api", "token", "create", "nobody@example.com"])

    assert result.exit_code == 1 and "No account with the e-mail address nobody@example.com" in result.output


def test_settings_page_shows_the_token_once_then_lists_and_revokes_it(client, auth, make_user):
    user = make_user(Role.PARTNER)
    auth.login(user.email)

    created = client.post("/settings/api-tokens", data={"name": "CRM", "scope": "read", "days": "30"},
                          follow_redirects=True)
    again = client.get("/settings/api-tokens")

    row = db.session.scalars(select(ApiToken)).one()
    page = created.get_data(as_text=True)
    assert created.status_code == 200 and "shown only this once" in page
    plain = page.split('<code id="new-token">')[1].split("</code>")[0]
    assert api_tokens.digest(plain) == row.token_hash
    assert plain not in again.get_data(as_text=True) and row.prefix in again.get_data(as_text=True)

    revoked = client.post(f"/settings/api-tokens/{row.id}/revoke", follow_redirects=True)

    assert "The token is revoked: it no longer works." in revoked.get_data(as_text=True)
    db.session.expire_all()  # the requests ran in their own sessions
    assert api_tokens.authenticate(plain) is None


def test_settings_form_keeps_what_was_typed_on_a_bad_number(client, auth, make_user):
    auth.login(make_user().email)

    answer = client.post("/settings/api-tokens", data={"name": "CRM", "scope": "read", "days": "5000"})

    assert answer.status_code == 200 and 'value="CRM"' in answer.get_data(as_text=True)
    assert db.session.scalars(select(ApiToken)).all() == []
