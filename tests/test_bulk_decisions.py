"""One decision on several applications with one reason: the confirmation page says whose status changes, which
approved participants' meetings are cancelled and how many e-mails go out, changing nothing; confirming decides on
all of them or, when one changed meanwhile, on none (the message names who)."""

import re

import pytest
from builders.dayops import build_day
from sqlalchemy import select

from matchmaker.enums import MeetingStatus, ParticipationStatus
from matchmaker.extensions import db
from matchmaker.models import OutboxMessage
from matchmaker.services import ServiceError, bulk_decisions

APPLIED, APPROVED, REJECTED = ParticipationStatus.APPLIED, ParticipationStatus.APPROVED, ParticipationStatus.REJECTED


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    day = build_day(make_office, make_program, make_event, make_user, make_participation, published=False)
    for key in ("c2", "c3", "i3"):
        day.participations[key].status = APPLIED
    db.session.commit()
    return day


def _statuses(day) -> dict[str, ParticipationStatus]:
    db.session.expire_all()
    return {key: p.status for key, p in day.participations.items()}


def _token(page: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)


def _emails() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage)))


def test_rejecting_lists_who_changes_and_the_meetings_cancelled(day):
    meeting = day.meet("c1", "i1", 0)
    chosen = [day.participations[k] for k in ("c1", "c2", "c3")]
    result = bulk_decisions.preview(chosen, approve=False)
    assert [p.organization.name for p in result.acting] == ["Org c1", "Org c2", "Org c3"]
    assert result.cancelled == [meeting]
    # The decision to three organizations of one person each; the cancellation to both sides of the meeting.
    assert (result.emails, result.people) == (5, 4)


def test_approving_leaves_the_approved_as_they_are(day):
    result = bulk_decisions.preview([day.participations[k] for k in ("c1", "c2")], approve=True)
    assert [p.organization.name for p in result.acting] == ["Org c2"]
    assert [p.organization.name for p in result.unchanged] == ["Org c1"]
    assert result.cancelled == [] and (result.emails, result.people) == (1, 1)


def test_reject_all_with_one_reason(day):
    meeting = day.meet("c1", "i1", 0)
    chosen = [day.participations[k] for k in ("c1", "c2", "i3")]
    result = bulk_decisions.preview(chosen, approve=False)
    done = bulk_decisions.decide_all(day.staff, chosen, False, " Full day ", result.expected, result.token)
    db.session.commit()  # as `web.perform` does
    assert done == 3
    statuses = _statuses(day)
    assert (statuses["c1"], statuses["c2"], statuses["i3"], statuses["c3"]) == (REJECTED, REJECTED, REJECTED, APPLIED)
    assert {day.participations[k].reason for k in ("c1", "c2", "i3")} == {"Full day"}
    assert meeting.status == MeetingStatus.CANCELLED


def test_one_changed_meanwhile_changes_nothing_and_is_named(day):
    chosen = [day.participations[k] for k in ("c2", "c3")]
    result = bulk_decisions.preview(chosen, approve=True)
    day.participations["c3"].status = REJECTED  # a colleague decided meanwhile
    db.session.commit()
    with pytest.raises(ServiceError, match="Nothing was changed: Org c3 changed since you looked"):
        bulk_decisions.decide_all(day.staff, chosen, True, None, result.expected, result.token)
    db.session.rollback()
    assert (_statuses(day)["c2"], _statuses(day)["c3"]) == (APPLIED, REJECTED)


def test_a_stale_token_is_refused(day):
    chosen = [day.participations["c1"]]
    result = bulk_decisions.preview(chosen, approve=False)
    day.meet("c1", "i2", 1)  # one more meeting would be cancelled than the page said
    with pytest.raises(ServiceError, match="The selection changed since you looked"):
        bulk_decisions.decide_all(day.staff, chosen, False, "No", result.expected, result.token)


def test_rejecting_needs_a_reason(day):
    chosen = [day.participations["c2"]]
    result = bulk_decisions.preview(chosen, approve=False)
    with pytest.raises(ServiceError, match="Give the applicants a reason"):
        bulk_decisions.decide_all(day.staff, chosen, False, "  ", result.expected, result.token)


def test_the_preview_page_changes_nothing_and_the_post_needs_its_token(client, auth, day):
    meeting = day.meet("c1", "i1", 0)
    auth.login(day.staff)
    ids = [day.participations[k].id for k in ("c1", "c2")]
    page = client.get("/staff/participations/decide", query_string={
        "participation": ids, "decision": "reject", "reason": "Too late", "event": day.event.id}).get_data(True)
    assert "Reject 2 applications?" in page and "Org c1" in page and "Org c2" in page
    assert "1 scheduled meeting is cancelled, and both sides are told:" in page and "Org c1 – Org i1" in page
    assert "4 e-mails" in page and "to 3 people." in page and ">Too late</textarea>" in page
    assert _statuses(day)["c2"] == APPLIED and _emails() == []

    form = {"decision": "reject", "reason": "Too late", "event": day.event.id,
            "item": [f"{ids[0]}:approved", f"{ids[1]}:applied"]}
    refused = client.post("/staff/participations/decide", data={**form, "token": "0" * 32})
    assert refused.status_code == 409 and "The selection changed since you looked" in refused.get_data(True)
    assert _statuses(day)["c2"] == APPLIED and meeting.status == MeetingStatus.SCHEDULED

    done = client.post("/staff/participations/decide", data={**form, "token": _token(page)}, follow_redirects=True)
    assert "2 applications rejected; the applicants are told by e-mail." in done.get_data(True)
    assert done.request.path == f"/staff/events/{day.event.id}"
    assert (_statuses(day)["c1"], _statuses(day)["c2"]) == (REJECTED, REJECTED)
    assert len(_emails()) == 4


def test_rejecting_without_a_reason_asks_for_it_under_the_field(client, auth, day):
    auth.login(day.staff)
    pid = day.participations["c2"].id
    page = client.get("/staff/participations/decide",
                      query_string={"participation": pid, "decision": "reject"}).get_data(True)
    assert "Give the applicants a reason for the rejection." in page
    response = client.post("/staff/participations/decide", data={
        "decision": "reject", "reason": "", "item": f"{pid}:applied", "token": _token(page)})
    assert response.status_code == 400 and "Give the applicants a reason" in response.get_data(True)
    assert _statuses(day)["c2"] == APPLIED


def test_nothing_ticked_goes_back_with_a_word(client, auth, day):
    auth.login(day.staff)
    response = client.get("/staff/participations/decide", query_string={"decision": "approve"},
                          follow_redirects=True)
    assert response.request.path == "/staff/reviews" and "Tick at least one application first." in response.get_data(
        True)


def test_another_offices_application_is_refused(client, auth, day, make_office, make_user):
    from matchmaker.enums import Role  # noqa: PLC0415 - only this test needs another office's staff
    other = make_user(Role.STAFF, office_id=make_office(name="Elsewhere").id)
    auth.login(other)
    response = client.get("/staff/participations/decide",
                          query_string={"participation": day.participations["c2"].id, "decision": "approve"})
    assert response.status_code == 403


def test_the_e_mails_counted_are_the_e_mails_queued(day, make_user):
    from matchmaker.enums import Role  # noqa: PLC0415 - only this test adds people
    make_user(Role.COMPANY, organization=day.orgs["c1"], active=False)  # told of the decision, not of the meeting
    make_user(Role.PARTNER, organization=day.orgs["i1"])
    meeting = day.meet("c1", "i1", 0)
    day.event.published, meeting.invited_sequence = True, meeting.sequence  # its invitation went out
    db.session.commit()
    chosen = [day.participations[k] for k in ("c1", "c2")]
    result = bulk_decisions.preview(chosen, approve=False)
    bulk_decisions.decide_all(day.staff, chosen, False, "No room", result.expected, result.token)
    db.session.commit()
    queued = _emails()
    assert (result.emails, result.people) == (len(queued), len({m.to_address for m in queued})) == (9, 5)
