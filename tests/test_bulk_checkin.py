"""Checking in several participants at once at the desk (each row an organization with its people), all or none;
and the participant page's one choice between absent for the day and a no-show at one meeting."""

import pytest
from builders.dayops import build_day
from sqlalchemy import select

from matchmaker.enums import Attendance, ParticipationStatus
from matchmaker.extensions import db
from matchmaker.models import Participation
from matchmaker.services import ServiceError, checkin


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    return build_day(make_office, make_program, make_event, make_user, make_participation)


def _attendance(day) -> dict[str, Attendance]:
    db.session.expire_all()
    return {key: p.attendance for key, p in day.participations.items()}


def test_check_in_many_counts_those_checked_in_now(day):
    checkin.check_in(day.staff, day.participations["c2"])
    chosen = [day.participations[k] for k in ("c1", "c2", "i1")]
    assert checkin.check_in_many(day.staff, chosen) == 2
    db.session.commit()
    attendance = _attendance(day)
    assert [attendance[k] for k in ("c1", "c2", "i1", "c3")] == [Attendance.CHECKED_IN] * 3 + [Attendance.EXPECTED]


def test_one_not_approved_checks_in_nobody_and_is_named(day):
    day.participations["c3"].status = ParticipationStatus.REJECTED
    db.session.commit()
    with pytest.raises(ServiceError, match="Nobody was checked in: Org c3 is not an approved participant."):
        checkin.check_in_many(day.staff, [day.participations["c1"], day.participations["c3"]])
    db.session.rollback()
    assert _attendance(day)["c1"] == Attendance.EXPECTED


def test_the_page_checks_in_the_ticked_rows(client, auth, day):
    auth.login(day.staff)
    page = client.get(f"/staff/events/{day.event.id}/checkin").get_data(True)
    assert 'form="bulk-checkin"' in page and "Check in selected" in page
    ids = [day.participations[k].id for k in ("c1", "i2", "i3")]
    response = client.post(f"/staff/events/{day.event.id}/checkin/bulk", data={"participation": ids, "q": "Org"},
                           follow_redirects=True)
    assert response.request.full_path == f"/staff/events/{day.event.id}/checkin?q=Org"
    assert "3 participants are checked in." in response.get_data(True)
    attendance = _attendance(day)
    assert {k for k, a in attendance.items() if a == Attendance.CHECKED_IN} == {"c1", "i2", "i3"}


def test_a_participation_of_another_day_is_not_found(client, auth, day, make_event, make_participation):
    other = make_participation(make_event(day.event.program), day.orgs["c1"])
    auth.login(day.staff)
    response = client.post(f"/staff/events/{day.event.id}/checkin/bulk",
                           data={"participation": [day.participations["c2"].id, other.id]})
    assert response.status_code == 404
    db.session.expire_all()
    assert {p.attendance for p in db.session.scalars(select(Participation))} == {Attendance.EXPECTED}


def test_nobody_ticked_says_so(client, auth, day):
    auth.login(day.staff)
    response = client.post(f"/staff/events/{day.event.id}/checkin/bulk", follow_redirects=True)
    assert "Tick at least one participant first." in response.get_data(True)


def test_one_control_explains_absent_and_no_show_and_leads_to_each(client, auth, day):
    p = day.participations["c1"]
    auth.login(day.staff)
    page = client.get(f"/staff/participations/{p.id}/day").get_data(True)
    assert page.count('name="kind"') == 2 and "<legend>Someone did not come?</legend>" in page
    assert "not coming today at all" in page and "only that is recorded" in page
    assert f'action="/staff/participations/{p.id}/absent"' not in page  # the absence form is on its own page
    absent = client.get(f"/staff/participations/{p.id}/did-not-come", query_string={"kind": "absent"})
    assert absent.headers["Location"] == f"/staff/participations/{p.id}/absent"
    noshow = client.get(f"/staff/participations/{p.id}/did-not-come", query_string={"kind": "noshow"})
    assert noshow.headers["Location"] == f"/staff/participations/{p.id}/day#meetings"
    neither = client.get(f"/staff/participations/{p.id}/did-not-come", follow_redirects=True)
    assert "Choose whether they are absent for the day or missed one meeting." in neither.get_data(True)
