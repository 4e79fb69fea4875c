"""The registration review queue: applications of the staff member's office, oldest first, approved or
rejected with a reason the applicant reads."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from matchmaker.enums import OrgKind, ParticipationStatus, Role
from matchmaker.extensions import db
from matchmaker.models import OutboxMessage, Participation


@pytest.fixture
def offices(make_office):
    return make_office(name="Jakarta", timezone="Asia/Jakarta"), make_office(name="Bangkok", timezone="Asia/Bangkok")


@pytest.fixture
def applications(offices, make_program, make_event, make_org, make_user, make_participation):
    """Two applications in Jakarta (the newer one first in the database), one in Bangkok, one decided."""
    jakarta, bangkok = offices
    jakarta_day = make_event(make_program(jakarta), title="Jakarta buyer day")
    bangkok_day = make_event(make_program(bangkok), title="Bangkok day")
    made = {}
    for key, event, name, days_ago in [("newer", jakarta_day, "Newer Co", 1), ("older", jakarta_day, "Older Co", 5),
                                       ("bangkok", bangkok_day, "Siam Co", 3)]:
        org = make_org(OrgKind.COMPANY, name=name, sectors={"robotics": 1.0}, country="KR")
        make_user(Role.COMPANY, organization=org, locale="ko")
        made[key] = make_participation(event, org, ParticipationStatus.APPLIED)
        made[key].applied_dt = datetime.now(UTC) - timedelta(days=days_ago)
    make_participation(jakarta_day, make_org(name="Done Co"), ParticipationStatus.APPROVED)
    db.session.commit()
    return made


def names_in_order(page: str) -> list[str]:
    return re.findall(r'<h2><a href="/staff/organizations/\d+">([^<]+)</a></h2>', page)


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_queue_shows_own_office_applications_oldest_first(client, auth, offices, applications, make_user):
    auth.login(make_user(Role.STAFF, office_id=offices[0].id))
    page = client.get("/staff/reviews").get_data(as_text=True)
    assert names_in_order(page) == ["Older Co", "Newer Co"]
    assert "Robotics" in page  # the sector's label, not its code
    assert re.search(r'Registrations <span class="nav-count"[^>]*>2</span>', page)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_office_less_staff_and_admins_see_every_office(client, auth, applications, make_user, role):
    auth.login(make_user(role, office_id=None))
    assert names_in_order(client.get("/staff/reviews").get_data(as_text=True)) == [
        "Older Co", "Siam Co", "Newer Co",
    ]


def test_approve_tells_the_applicant_and_leaves_the_queue(client, auth, offices, applications, make_user):
    auth.login(make_user(Role.STAFF, office_id=offices[0].id))
    older = applications["older"]
    response = client.post(f"/staff/reviews/{older.id}", data={"approve": "1", "reason": ""})
    assert response.headers["Location"] == "/staff/reviews"
    db.session.expire_all()
    assert db.session.get(Participation, older.id).status == ParticipationStatus.APPROVED
    (message,) = db.session.scalars(select(OutboxMessage)).all()
    assert (message.kind, message.to_address, message.locale) == (
        "participation_decided", older.organization.users[0].email, "ko")
    assert names_in_order(client.get("/staff/reviews").get_data(as_text=True)) == ["Newer Co"]


def test_reject_with_reason_sends_the_reason(client, auth, offices, applications, make_user):
    auth.login(make_user(Role.STAFF, office_id=offices[0].id))
    newer = applications["newer"]
    client.post(f"/staff/reviews/{newer.id}", data={"reject": "1", "reason": "  The day is for buyers only. "})
    db.session.expire_all()
    participation = db.session.get(Participation, newer.id)
    assert (participation.status, participation.reason) == (ParticipationStatus.REJECTED, "The day is for buyers only.")
    (message,) = db.session.scalars(select(OutboxMessage)).all()
    assert "The day is for buyers only." in message.body_text


def test_reject_without_reason_rerenders_with_the_error_and_changes_nothing(client, auth, offices, applications,
                                                                            make_user):
    auth.login(make_user(Role.STAFF, office_id=offices[0].id))
    newer = applications["newer"]
    response = client.post(f"/staff/reviews/{newer.id}", data={"reject": "1", "reason": "   "})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(rf'id="reason-{newer.id}-errors"><li>Give the applicant a reason for the rejection.', page)
    assert names_in_order(page) == ["Older Co", "Newer Co"]  # the queue is still there
    db.session.expire_all()
    assert db.session.get(Participation, newer.id).status == ParticipationStatus.APPLIED
    assert outbox_count() == 0


def test_staff_of_another_office_cannot_decide(client, auth, offices, applications, make_user):
    auth.login(make_user(Role.STAFF, office_id=offices[1].id))
    older = applications["older"]
    assert client.post(f"/staff/reviews/{older.id}", data={"approve": "1"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Participation, older.id).status == ParticipationStatus.APPLIED
    assert names_in_order(client.get("/staff/reviews").get_data(as_text=True)) == ["Siam Co"]


def test_an_application_decided_meanwhile_is_not_decided_again(client, auth, offices, applications, make_user):
    auth.login(make_user(Role.STAFF, office_id=offices[0].id))
    older = applications["older"]
    client.post(f"/staff/reviews/{older.id}", data={"approve": "1"})
    response = client.post(f"/staff/reviews/{older.id}", data={"reject": "1", "reason": "Changed my mind"},
                           follow_redirects=True)
    assert "the application was decided already" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Participation, older.id).status == ParticipationStatus.APPROVED
    assert outbox_count() == 1
