"""`flask --app matchmaker api token create EMAIL [--scope read|write] [--days N]`: a personal access token for a
script or another system; the token alone on the last line, so `| tail -n 1` captures it."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.services import api_tokens
from matchmaker.services.accounts import normalize_email
from matchmaker.web import perform

api = AppGroup("api", help="The JSON API (/api/v1).")
token = AppGroup("token", help="Personal access tokens.")
api.add_command(token)


@token.command("create")
@click.argument("email")
@click.option("--scope", type=click.Choice(["read", "write"]), default="read", show_default=True)
@click.option("--days", type=click.IntRange(1, api_tokens.MAX_DAYS), default=api_tokens.DEFAULT_DAYS,
              show_default=True)
@click.option("--name", default="command line", show_default=True)
def create(email: str, scope: str, days: int, name: str) -> None:
    """Create a token for the account EMAIL and print it (shown once)."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise click.ClickException(f"No account with the e-mail address {email}")
    outcome = perform(lambda: api_tokens.create(user, name, scope, days), quiet=True)
    if not outcome:
        raise click.ClickException(outcome.error)
    row, plain = outcome.value
    click.echo(f"Token {row.prefix}… for {user.email}, scope {scope}, expires {row.expires_dt:%Y-%m-%d %H:%M} UTC:")
    click.echo(plain)
