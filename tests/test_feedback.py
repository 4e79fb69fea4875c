"""Feedback after a meeting: each side its own, only once the meeting has started, asked for by e-mail once."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.enums import Attendance, MeetingStatus, NoShowReason, OrgKind, Outcome, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Feedback, NoShow, OutboxMessage
from matchmaker.services import ServiceError
from matchmaker.services.feedback import queue_feedback_requests, save_feedback


@pytest.fixture
def pair(make_event, make_user, make_org, make_request, make_participation, add_meeting):
    """A company and an investor (two users) who met two days ago at a published event."""
    event = make_event(published=True, date=date.today() - timedelta(days=2), timezone="UTC",
                       day_start=time(9), day_end=time(12))
    company = make_user(Role.COMPANY)
    investor = make_user(Role.PARTNER)
    colleague = make_user(Role.PARTNER, organization=investor.organization, locale="ko")
    for org in (company.organization, investor.organization):
        make_participation(event, org)
    request = make_request(event, company.organization, investor.organization, status=RequestStatus.ACCEPTED)
    meeting = add_meeting(request)
    return company, investor, colleague, meeting


FORM = {"rating": "4", "follow_up": "y", "outcome": "mou", "amount_usd": "150000",
        "expected_amount_usd": "900000", "comment": "Promising"}


def _feedback_rows():
    db.session.expire_all()  # the views committed in their own sessions
    return db.session.scalars(sa.select(Feedback).order_by(Feedback.id)).all()


def test_member_gives_then_updates_own_feedback(client, auth, pair):
    company, investor, _, meeting = pair
    auth.login(company)
    response = client.post(f"/meetings/{meeting.id}/feedback", data=FORM)
    assert response.status_code == 302 and response.headers["Location"] == "/feedback"
    (item,) = _feedback_rows()
    assert (item.organization_id, item.user_id, item.rating, item.follow_up, item.outcome) == (
        company.organization_id, company.id, 4, True, Outcome.MOU)
    assert (item.amount_usd, item.expected_amount_usd, item.comment) == (150_000, 900_000, "Promising")

    page = client.get(f"/meetings/{meeting.id}/feedback").get_data(as_text=True)
    assert 'value="900000"' in page and "Promising" in page  # the form shows what was saved
    client.post(f"/meetings/{meeting.id}/feedback", data={**FORM, "rating": "5", "outcome": "purchase_order"})
    (item,) = _feedback_rows()
    assert (item.rating, item.outcome) == (5, Outcome.PURCHASE_ORDER)
    entries = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.object_type == "Feedback").order_by(AuditLog.id)
    ).all()
    assert [(e.action, e.object_id, e.actor_id) for e in entries] == [
        ("give_feedback", item.id, company.id), ("update_feedback", item.id, company.id)]


def test_each_side_keeps_its_own_feedback(client, auth, pair):
    company, investor, colleague, meeting = pair
    auth.login(company)
    client.post(f"/meetings/{meeting.id}/feedback", data=FORM)
    auth.logout()
    auth.login(investor)
    client.post(f"/meetings/{meeting.id}/feedback", data={"rating": "2", "outcome": "none"})
    auth.logout()
    auth.login(colleague)  # the same side as the investor: updates the investor side's answer
    client.post(f"/meetings/{meeting.id}/feedback", data={"rating": "3", "outcome": "nda"})
    rows = _feedback_rows()
    assert [(f.organization_id, f.rating, f.outcome) for f in rows] == [
        (company.organization_id, 4, Outcome.MOU), (investor.organization_id, 3, Outcome.NDA)]
    auth.logout()
    auth.login(investor)
    page = client.get("/feedback").get_data(as_text=True)
    assert "Promising" not in page and "3 of 5" in page  # never the other side's answers


def test_others_get_404_and_staff_403(client, auth, pair, make_user):
    *_, meeting = pair
    outsider = make_user(Role.COMPANY)
    auth.login(outsider)
    assert client.get(f"/meetings/{meeting.id}/feedback").status_code == 404
    assert client.post(f"/meetings/{meeting.id}/feedback", data=FORM).status_code == 404
    assert client.get("/meetings/999999/feedback").status_code == 404
    auth.logout()
    auth.login(make_user(Role.STAFF))
    assert client.get(f"/meetings/{meeting.id}/feedback").status_code == 403
    assert _feedback_rows() == []


def test_feedback_waits_for_the_meeting_to_start(client, auth, pair, make_request, make_org):
    company, *_ , meeting = pair
    meeting.start_dt = meeting.start_dt.replace(year=date.today().year + 1)
    meeting.end_dt = meeting.start_dt + timedelta(minutes=30)
    for seat in meeting.seats:
        seat.start_dt = meeting.start_dt
    db.session.commit()
    auth.login(company)
    response = client.post(f"/meetings/{meeting.id}/feedback", data=FORM)
    assert response.status_code == 302 and response.headers["Location"] == f"/meetings/{meeting.id}"
    with pytest.raises(ServiceError):
        save_feedback(company, meeting, rating=4)
    assert _feedback_rows() == []


def test_cancelled_meeting_takes_no_feedback(client, auth, pair):
    company, *_, meeting = pair
    meeting.status = MeetingStatus.CANCELLED
    db.session.commit()
    auth.login(company)
    assert client.post(f"/meetings/{meeting.id}/feedback", data=FORM).status_code == 404
    with pytest.raises(ServiceError):
        save_feedback(company, meeting, rating=4)
    assert _feedback_rows() == []


def test_bad_input_is_shown_again_and_nothing_saved(client, auth, pair):
    company, *_, meeting = pair
    auth.login(company)
    response = client.post(f"/meetings/{meeting.id}/feedback",
                           data={**FORM, "rating": "", "amount_usd": "-5", "comment": "Keep me"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose a rating from 1 to 5." in page
    assert "Keep me" in page and 'value="-5"' in page
    assert "Enter an amount in US dollars from 0 to 10 billion." in page
    assert _feedback_rows() == []


def test_list_nav_and_agenda_show_what_awaits_feedback(client, auth, pair):
    company, *_, meeting = pair
    auth.login(company)
    page = client.get("/feedback").get_data(as_text=True)
    assert "Give feedback" in page and "No meeting is waiting" not in page
    assert "1 meeting awaits your feedback" in client.get("/agenda").get_data(as_text=True)
    agenda = client.get("/agenda").get_data(as_text=True)
    assert f"/meetings/{meeting.id}/feedback" in agenda and "Give feedback" in agenda
    client.post(f"/meetings/{meeting.id}/feedback", data=FORM)
    agenda = client.get("/agenda").get_data(as_text=True)
    assert "Update feedback" in agenda and "4 of 5" in agenda and "awaits your feedback" not in agenda
    page = client.get("/feedback").get_data(as_text=True)
    assert "No meeting is waiting for your feedback." in page and "Update feedback" in page


def test_agenda_offers_no_feedback_before_a_meeting(client, auth, make_event, make_user, make_request, add_meeting):
    event = make_event(published=True)  # in a month
    company, investor = make_user(Role.COMPANY), make_user(Role.PARTNER)
    request = make_request(event, company.organization, investor.organization, status=RequestStatus.ACCEPTED)
    meeting = add_meeting(request)
    auth.login(company)
    agenda = client.get("/agenda").get_data(as_text=True)
    assert f"/meetings/{meeting.id}\"" in agenda
    assert "Give feedback" not in agenda and f"/meetings/{meeting.id}/feedback" not in agenda


def _asked():
    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_feedback_requests_go_once_to_each_member_after_the_end(pair):
    company, investor, colleague, meeting = pair
    assert queue_feedback_requests(now=meeting.start_dt + timedelta(minutes=10)) == 0  # still going on
    assert queue_feedback_requests(now=meeting.end_dt + timedelta(minutes=1)) == 3
    db.session.commit()
    assert queue_feedback_requests(now=meeting.end_dt + timedelta(hours=1)) == 0
    messages = _asked()
    assert sorted(m.to_address for m in messages) == sorted([company.email, investor.email, colleague.email])
    assert {m.kind for m in messages} == {"feedback_request"}
    assert {m.dedupe_key for m in messages} == {f"feedback-{meeting.id}-{u.id}" for u in (company, investor, colleague)}
    by_address = {m.to_address: m for m in messages}
    assert by_address[colleague.email].locale == "ko" and by_address[company.email].locale == "en"
    assert f"/meetings/{meeting.id}/feedback" in by_address[company.email].body_text
    assert investor.organization.display_name in by_address[company.email].subject


def test_no_request_to_a_side_that_answered_or_for_a_missed_meeting(pair, make_event, make_user, make_request,
                                                                    add_meeting):
    company, investor, _, meeting = pair
    save_feedback(company, meeting, rating=4)
    db.session.commit()
    assert queue_feedback_requests(now=meeting.end_dt + timedelta(minutes=1)) == 2  # the investor's two users
    db.session.rollback()

    other = make_user(Role.COMPANY)
    request = make_request(meeting.event, other.organization, investor.organization, status=RequestStatus.ACCEPTED)
    missed = add_meeting(request, slot=1)
    db.session.add(NoShow(event_id=missed.event_id, organization_id=other.organization_id, meeting_id=missed.id,
                          reason=NoShowReason.NO_NOTICE))
    db.session.commit()
    assert queue_feedback_requests(now=missed.end_dt + timedelta(minutes=1)) == 2  # still only the first one


def test_absent_side_means_no_request(pair, make_participation):
    company, investor, _, meeting = pair
    participation = next(p for p in meeting.event.participations if p.organization_id == investor.organization_id)
    participation.attendance = Attendance.ABSENT
    db.session.commit()
    assert queue_feedback_requests(now=meeting.end_dt + timedelta(minutes=1)) == 0


def test_outbox_remind_queues_feedback_requests(runner, pair):
    result = runner.invoke(args=["outbox", "remind"])
    assert result.exit_code == 0, result.output
    assert "3 feedback requests" in result.output
    assert len(_asked()) == 3
    assert "0 feedback requests" in runner.invoke(args=["outbox", "remind"]).output


def test_partner_kind_fixture_is_an_investor(pair):
    assert pair[1].organization.kind == OrgKind.INVESTOR


def test_a_missed_meeting_is_not_awaiting_feedback(client, auth, pair):
    """The demo's no-show side was shown a badge and a "Give feedback" row for the meeting it missed."""
    company, investor, _, meeting = pair
    db.session.add(NoShow(event_id=meeting.event_id, organization_id=company.organization_id, meeting_id=meeting.id,
                          reason=NoShowReason.NO_NOTICE))
    db.session.commit()
    for user in (company, investor):
        auth.login(user)
        page = client.get("/feedback").get_data(as_text=True)
        assert "No meeting is waiting for your feedback." in page, user
        assert "awaits your feedback" not in client.get("/agenda").get_data(as_text=True)
        auth.logout()
