"""`flask --app matchmaker privacy export EMAIL` (prints the JSON), `privacy erase EMAIL [--yes]` (without --yes:
what it would do), `privacy erase-organization ID [--yes]` and `privacy retention [--dry-run]` (also run by
`flask outbox remind`). Each commits what it did; exports and erasures are audited as done by the system."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Organization, User
from matchmaker.services import ServiceError, accounts
from matchmaker.services.privacy import erase, export, retention

privacy = AppGroup("privacy", help="A person's data: export, erase, retention.")


def _person(email: str) -> User:
    user = db.session.scalars(select(User).where(User.email == accounts.normalize_email(email))).first()
    if user is None:
        raise click.ClickException(f"No account with the address {email}.")
    return user


@privacy.command("export")
@click.argument("email")
def export_command(email: str) -> None:
    """Print everything held about the person with this address, as JSON."""
    user = _person(email)
    text = export.as_json(export.collect(user))
    export.record_export(None, user, "json")
    db.session.commit()
    click.echo(text)


@privacy.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Erase; without it, only say what would be erased.")
def erase_command(email: str, yes: bool) -> None:
    """Erase the person with this address (anonymise their account, remove their name everywhere)."""
    user = _person(email)
    plan = erase.plan_person(user)
    click.echo(f"Account #{user.id} ({user.role.value}): {plan.messages} messages and {plan.feedback} feedback "
               f"comments replaced, {plan.emails} e-mails emptied, {plan.consents} consents deleted, "
               f"{plan.sign_ins} sign-ins kept without a name" + ("; the organization's phone cleared" if plan.phone
                                                                   else "") + ".")
    if not yes:
        click.echo("Nothing done: add --yes to erase.")
        return
    try:
        done = erase.erase_person(None, user, why="command line")
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Erased; other rows that named them: {sum(done.swept.values())}.")


@privacy.command("erase-organization")
@click.argument("organization_id", type=int)
@click.option("--yes", is_flag=True, help="Erase; without it, only say what would be erased.")
def erase_organization_command(organization_id: int, yes: bool) -> None:
    """Erase an organization that has no members left."""
    org = db.session.get(Organization, organization_id)
    if org is None:
        raise click.ClickException(f"No organization #{organization_id}.")
    left = erase.organization_members_left(org)
    click.echo(f"Organization #{org.id}: {left} members not erased.")
    if not yes:
        click.echo("Nothing done: add --yes to erase.")
        return
    try:
        swept = erase.erase_organization(None, org)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Erased; other rows that named it: {sum(swept.values())}.")


@privacy.command("retention")
@click.option("--dry-run", is_flag=True, help="Only list what would be erased and emptied.")
def retention_command(dry_run: bool) -> None:
    """Erase the people and organizations past retention; empty old sent e-mails."""
    result = retention.run(dry_run=dry_run)
    if not dry_run:
        db.session.commit()
    click.echo(describe(result, dry_run))


def describe(result: retention.RetentionRun, dry_run: bool = False) -> str:
    verb = "Would erase" if dry_run else "Erased"
    people = ", ".join(result.people) or "nobody"
    orgs = ", ".join(f"#{i}" for i in result.organizations) or "none"
    return (f"{verb} people: {people}; organizations: {orgs}; "
            f"{'would empty' if dry_run else 'emptied'} {result.mail_bodies} sent e-mail bodies.")
