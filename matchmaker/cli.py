"""Command-line verbs: `flask --app matchmaker users create-admin`, `demo load`, `outbox send`, `recommender refit`,
`privacy …` (from `matchmaker.privacy.cli`) and
`api token create` (from `matchmaker.api.cli`)."""

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select, update

from matchmaker.api.cli import api
from matchmaker.database import utcnow
from matchmaker.demo.loader import demo_is_needed, load_demo
from matchmaker.enums import Role
from matchmaker.extensions import db
from matchmaker.models import Event, OutboxMessage
from matchmaker.privacy.cli import describe as describe_retention
from matchmaker.privacy.cli import privacy
from matchmaker.services import ServiceError, accounts
from matchmaker.services.feedback import queue_feedback_requests
from matchmaker.services.invites import send_pending_invites
from matchmaker.services.learning import refit as refit_model
from matchmaker.services.learning import upcoming_event_ids
from matchmaker.services.meetings import expire_due_requests
from matchmaker.services.privacy import retention
from matchmaker.services.recommendations import compute
from matchmaker.services.recommender_model import model_path
from matchmaker.services.reminders import queue_due_reminders
from matchmaker.tasks.mail import deliver_due
from matchmaker.tasks.webhooks import deliver_webhooks

users = AppGroup("users", help="Manage accounts.")
demo = AppGroup("demo", help="Demo data.")
outbox = AppGroup("outbox", help="Outgoing e-mail.")
recommender = AppGroup("recommender", help="The recommender's learning from outcomes.")


@users.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", default="Administrator", show_default=True)
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator account."""
    try:
        accounts.create_staff(None, email=email, name=name, password=password, role=Role.ADMIN, office_id=None)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created admin {accounts.normalize_email(email)}")


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has data.")
def load(if_empty: bool) -> None:
    """Load the demo offices, organizations, events and accounts."""

    if not demo_is_needed(db.session):
        if if_empty:
            click.echo("The database has data; demo data not loaded.")
            return
        raise click.ClickException("The database already has data; demo data is loaded only into an empty one.")
    counts = load_demo(db.session)
    db.session.commit()
    # The published upcoming day sends its invites, as publishing does in the app.
    upcoming = db.session.scalars(
        select(Event).where(Event.published.is_(True), Event.date >= utcnow().date())
    ).all()
    for event in upcoming:
        event.published_dt = event.published_dt or utcnow()
    counts["invites"] = sum(send_pending_invites(event) for event in upcoming)
    # No burst of changes to wait for in fresh demo data: the invites are due now.
    db.session.execute(update(OutboxMessage).values(next_attempt_dt=utcnow()))
    counts["recommendations"] = sum(
        compute(event) for event in db.session.scalars(select(Event).where(Event.date >= utcnow().date()))
    )
    db.session.commit()
    click.echo("Loaded demo data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    click.echo(f"Outbox: {deliver_due(limit=10_000)}")


@outbox.command("send")
def send() -> None:
    """Deliver the queued messages that are due (safe beside the web app and workers: each message once)."""
    counts = deliver_due()
    click.echo(f"Sent {counts['sent']}; failed attempts {counts['failed']} (retried later, or listed as failed on "
               "the Outbox page).")
    hooks = deliver_webhooks()  # webhook retries whose wake-up was lost (a restarted worker) go out here too
    click.echo(f"Webhooks delivered {hooks['delivered']}; failed attempts {hooks['failed']}.")


@outbox.command("remind")
def remind() -> None:
    """Queue the reminders that are due (run from cron every few minutes), then deliver mail and webhooks."""
    expired = expire_due_requests()
    queued = queue_due_reminders()
    asked = queue_feedback_requests()
    db.session.commit()
    kept = retention.run()  # personal data past retention erased, old e-mail bodies emptied (issue #16)
    db.session.commit()
    click.echo(
        f"Expired {expired} requests; queued {queued} reminders and {asked} feedback requests; "
        f"retention: {describe_retention(kept)} delivery: {deliver_due(limit=10_000)} webhooks: {deliver_webhooks()}"
    )


@recommender.command("refit")
def refit() -> None:
    """Refit the recommender's weights from past events' outcomes (requests answered, meeting feedback)."""
    try:
        data = refit_model(None)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    upcoming = upcoming_event_ids()
    for event_id in upcoming:  # their recommendations now follow the new weights
        compute(db.session.get(Event, event_id))
    db.session.commit()
    click.echo(
        f"Refitted from {len(data['events'])} events: {data['requests_accepted']} accepted and "
        f"{data['requests_declined']} declined requests, {data['feedback_positive']} positive and "
        f"{data['feedback_negative']} negative feedback; saved to {model_path()}; "
        f"recommendations recomputed for {len(upcoming)} upcoming events"
    )


def init_app(app: Flask) -> None:
    for group in (users, demo, outbox, recommender, privacy, api):
        app.cli.add_command(group)
