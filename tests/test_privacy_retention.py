"""Retention (issue #16) at an explicit `now`: a member is erased three years after their last event day and not a
day before, their organization with them once nobody is left, sent e-mail bodies are emptied after 90 days (queued
ones never), a dry run changes nothing, a run that changed something is audited; `flask privacy retention` and the
reminders' `flask outbox remind` run it; `flask privacy export` prints the JSON and `erase` asks for --yes."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from builders.privacy import EMAIL, build_person

from matchmaker.enums import OutboxStatus
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Organization, OutboxMessage, User
from matchmaker.services.privacy import retention

DAY = date(2027, 3, 10)


@pytest.fixture
def person(make_user, make_org, make_event, make_participation, make_request, add_meeting):
    return build_person(make_user, make_org, make_event, make_participation, make_request, add_meeting, day=DAY)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def test_nobody_is_erased_before_three_years_after_their_last_day(person):
    result = retention.run(at(date(2030, 3, 10)))
    assert result.people == [] and result.organizations == []
    assert db.session.get(User, person.user.id).email == EMAIL


def test_people_past_retention_are_erased_with_their_organization(person):
    org_id = person.user.organization_id
    result = retention.run(at(date(2030, 3, 11)))
    db.session.commit()
    assert sorted(result.people) == sorted([f"#{person.user.id} company", f"#{person.partner.id} partner"])
    assert db.session.get(User, person.user.id).email == f"deleted-{person.user.id}@invalid"
    assert db.session.get(Organization, org_id).name == "Deleted organization"
    assert db.session.get(User, person.staff.id).email == "staff@office.example"  # staff accounts are not members
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "privacy.retention")).one()
    assert (entry.details["people"], entry.details["organizations"]) == (2, 2)


def test_a_dry_run_lists_and_changes_nothing(person):
    result = retention.run(at(date(2031, 1, 1)), dry_run=True)
    db.session.commit()
    assert len(result.people) == 2 and len(result.organizations) == 2
    assert db.session.get(User, person.user.id).email == EMAIL
    assert db.session.scalar(sa.select(sa.func.count(AuditLog.id)).where(AuditLog.action == "privacy.retention")) == 0


def test_sent_mail_bodies_are_emptied_after_ninety_days(person):
    sent_at = at(DAY)
    messages = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    messages[0].status, messages[0].sent_dt = OutboxStatus.SENT, sent_at
    db.session.commit()
    assert retention.run(sent_at + timedelta(days=89)).mail_bodies == 0
    assert retention.run(sent_at + timedelta(days=91)).mail_bodies == 1
    db.session.commit()
    emptied, queued = (db.session.get(OutboxMessage, m.id) for m in messages)
    assert (emptied.body_text, emptied.body_html, emptied.calendar) == ("", None, None)
    assert queued.body_text and queued.calendar  # not sent yet: kept whole


def test_the_commands(person, runner):
    shown = runner.invoke(args=["privacy", "export", EMAIL])
    assert shown.exit_code == 0 and json.loads(shown.output)["profile"]["email"] == EMAIL
    asked = runner.invoke(args=["privacy", "erase", EMAIL])
    assert "add --yes" in asked.output and db.session.get(User, person.user.id).email == EMAIL
    done = runner.invoke(args=["privacy", "erase", EMAIL, "--yes"])
    assert done.exit_code == 0, done.output
    db.session.expire_all()
    assert db.session.get(User, person.user.id).email == f"deleted-{person.user.id}@invalid"
    assert runner.invoke(args=["privacy", "export", EMAIL]).exit_code != 0  # that address is nobody's now
    actions = db.session.scalars(sa.select(AuditLog.action).where(AuditLog.action.like("privacy.%"))).all()
    assert sorted(actions) == ["privacy.erase", "privacy.export"]


def test_retention_runs_with_the_reminders(person, runner):
    dry = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert dry.exit_code == 0 and "Would erase people: nobody" in dry.output
    remind = runner.invoke(args=["outbox", "remind"])
    assert remind.exit_code == 0 and "retention: Erased people: nobody" in remind.output
