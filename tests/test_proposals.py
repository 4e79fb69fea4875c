"""Proposing another time for a scheduled meeting: on days participants pick slots, one side proposes a slot free
for both, the other accepts (the meeting moves, calendars get an update, the proposer an e-mail) or declines (it
stays), the proposer withdraws; a time that became busy is refused with a message, a second open proposal too.
On days staff schedule, a member asks the office with a reason, staff see it on the board and mark it done."""

from datetime import date, time

import pytest
from builders.clients import switch_user
from sqlalchemy import select

from matchmaker.enums import EventMode, OrgKind, ProposalKind, ProposalStatus, RequestStatus, Role, SchedulingMode
from matchmaker.extensions import db
from matchmaker.models import Meeting, OutboxMessage, TimeProposal
from matchmaker.services import ServiceError
from matchmaker.services import proposals as service
from matchmaker.services.changes import remember_seen


@pytest.fixture
def pair(make_event, make_user, make_org, make_participation, make_request, add_meeting):
    """A published in-person day of four slots and two tables, a company and an investor meeting in slot 0."""

    def make(mode: SchedulingMode = SchedulingMode.PICK):
        event = make_event(mode=EventMode.IN_PERSON, venue="Hall", scheduling=mode, tables=2, published=True,
                           day_start=time(9), day_end=time(11))
        company, investor = make_user(Role.COMPANY), make_user(Role.PARTNER)
        for user in (company, investor):
            make_participation(event, user.organization)
        item = make_request(event, company.organization, investor.organization, status=RequestStatus.ACCEPTED)
        meeting = add_meeting(item, slot=0)
        meeting.table_label = "T1"
        meeting.invited_sequence = meeting.sequence  # invited at publication: calendars know the time
        remember_seen(meeting)
        db.session.commit()
        return event, company, investor, meeting

    return make


def _mails(kind: str, address: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.kind == kind)
    if address:
        query = query.where(OutboxMessage.to_address == address)
    return list(db.session.scalars(query))


def _propose(client, meeting, slot: int):
    return client.post(f"/meetings/{meeting.id}/propose", data={"slot": str(slot)}, follow_redirects=True)


def _answer(client, meeting, verb: str, proposal_id: int):
    return client.post(f"/meetings/{meeting.id}/proposal/{verb}", data={"proposal": str(proposal_id)},
                       follow_redirects=True)


def _open(meeting) -> TimeProposal | None:
    db.session.expire_all()
    return db.session.scalar(select(TimeProposal).where(TimeProposal.meeting_id == meeting.id,
                                                        TimeProposal.status == ProposalStatus.PENDING))


def test_proposed_time_accepted_moves_the_meeting_and_updates_invites(client, auth, pair):
    event, company, investor, meeting = pair()
    slot = event.slots()[2]
    auth.login(company)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Propose another time" in page
    assert "Your proposal is sent" in _propose(client, meeting, 2).get_data(as_text=True)
    proposal = _open(meeting)
    assert (proposal.kind, proposal.start_dt, proposal.proposed_by_org_id) == (
        ProposalKind.NEW_TIME, slot.start, company.organization_id)
    assert len(_mails("time_proposed", investor.email)) == 1
    assert _mails("time_proposed", company.email) == []

    switch_user(client, investor)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "proposes to move the meeting" in page and "Accept the new time" in page
    page = _answer(client, meeting, "accept", proposal.id).get_data(as_text=True)
    assert "The meeting is moved to the new time." in page
    db.session.expire_all()
    moved = db.session.get(Meeting, meeting.id)
    assert moved.start_dt == slot.start and moved.table_label in ("T1", "T2")
    assert db.session.get(TimeProposal, proposal.id).status == ProposalStatus.ACCEPTED
    invites = _mails("invite")
    assert {m.to_address for m in invites} == {company.email, investor.email}  # the calendars' update
    assert all(m.subject.startswith("Moved: meeting with") for m in invites)
    assert len(_mails("time_accepted", company.email)) == 1


def test_declined_proposal_leaves_the_meeting(client, auth, pair):
    event, company, investor, meeting = pair()
    start = meeting.start_dt
    auth.login(investor)
    _propose(client, meeting, 3)
    proposal = _open(meeting)
    switch_user(client, company)
    assert "stays as it was" in _answer(client, meeting, "decline", proposal.id).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).start_dt == start
    assert db.session.get(TimeProposal, proposal.id).status == ProposalStatus.DECLINED
    assert _mails("invite") == []
    assert len(_mails("time_declined", investor.email)) == 1


def test_proposer_withdraws_and_cannot_answer_itself(client, auth, pair):
    event, company, investor, meeting = pair()
    auth.login(company)
    _propose(client, meeting, 1)
    proposal = _open(meeting)
    page = _answer(client, meeting, "accept", proposal.id).get_data(as_text=True)
    assert "The other side answers your proposal" in page
    switch_user(client, investor)
    assert "Only the side that proposed it" in _answer(client, meeting, "withdraw", proposal.id).get_data(
        as_text=True)
    switch_user(client, company)
    assert "Your proposal is withdrawn." in _answer(client, meeting, "withdraw", proposal.id).get_data(as_text=True)
    assert _open(meeting) is None
    assert len(_mails("time_withdrawn", investor.email)) == 1


def test_time_that_became_busy_is_refused_with_a_message(client, auth, pair, make_org, make_participation,
                                                         make_request, add_meeting):
    event, company, investor, meeting = pair()
    auth.login(company)
    _propose(client, meeting, 2)
    proposal = _open(meeting)
    other = make_org(OrgKind.BUYER)
    make_participation(event, other)
    busy = make_request(event, other, investor.organization, status=RequestStatus.ACCEPTED)
    add_meeting(busy, slot=2)  # the investor's slot 2 is taken meanwhile
    switch_user(client, investor)
    page = _answer(client, meeting, "accept", proposal.id).get_data(as_text=True)
    assert "That time is no longer free for both of you" in page
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).start_dt == event.slots()[0].start
    assert _open(meeting).id == proposal.id  # still open: they may decline it


def test_busy_or_unknown_slot_cannot_be_proposed(client, auth, pair):
    event, company, investor, meeting = pair()
    auth.login(company)
    assert "already at that time" in _propose(client, meeting, 0).get_data(as_text=True)
    assert "Choose a time from the list." in _propose(client, meeting, 99).get_data(as_text=True)
    assert _open(meeting) is None


def test_meeting_in_the_past_cannot_move(client, auth, pair):
    event, company, investor, meeting = pair()
    event.date = date(2020, 3, 2)
    db.session.commit()
    db.session.refresh(event)
    for slot in event.slots()[:1]:
        meeting.start_dt, meeting.end_dt = slot.start, slot.end
    db.session.commit()
    auth.login(company)
    assert 'id="change-time"' not in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "This meeting has started" in _propose(client, meeting, 2).get_data(as_text=True)
    assert _open(meeting) is None


def test_second_open_proposal_is_refused(client, auth, pair):
    event, company, investor, meeting = pair()
    auth.login(company)
    _propose(client, meeting, 1)
    switch_user(client, investor)
    page = _propose(client, meeting, 2).get_data(as_text=True)
    assert "This meeting already has an open proposal" in page
    assert db.session.scalar(select(TimeProposal.start_dt).where(TimeProposal.meeting_id == meeting.id)) == \
        event.slots()[1].start


def test_unique_index_refusal_becomes_a_message(app, pair, monkeypatch):
    """The race's last line of defence: a pending row the check did not see is refused by the index, as a
    ServiceError (a message), not an IntegrityError (a 500)."""
    event, company, investor, meeting = pair()
    db.session.add(TimeProposal(meeting_id=meeting.id, kind=ProposalKind.NEW_TIME,
                                proposed_by_org_id=investor.organization_id, start_dt=event.slots()[3].start))
    db.session.commit()
    monkeypatch.setattr(service, "open_proposal", lambda meeting: None)  # as if committed after our check
    with pytest.raises(ServiceError, match="already has an open proposal"):
        service.propose_time(company, meeting, event.slots()[2])
    db.session.rollback()


def test_a_third_organization_cannot_touch_the_meeting(client, auth, pair, make_user):
    event, company, investor, meeting = pair()
    auth.login(company)
    _propose(client, meeting, 1)
    proposal = _open(meeting)
    switch_user(client, make_user(Role.PARTNER))
    # 404 as for every object of another organization: its existence is not confirmed.
    assert client.get(f"/meetings/{meeting.id}").status_code == 404
    assert client.post(f"/meetings/{meeting.id}/propose", data={"slot": "2"}).status_code == 404
    for verb in ("accept", "decline", "withdraw"):
        assert client.post(f"/meetings/{meeting.id}/proposal/{verb}",
                           data={"proposal": str(proposal.id)}).status_code == 404
    assert client.post(f"/meetings/{meeting.id}/ask-staff", data={"reason": "x"}).status_code == 404
    assert _open(meeting).status == ProposalStatus.PENDING


def test_staff_scheduled_day_asks_the_office(client, auth, pair, make_user):
    event, company, investor, meeting = pair(SchedulingMode.BATCH)
    auth.login(company)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "ask them for a change" in page and "Propose another time" not in page
    assert "the office schedules the meetings" in _propose(client, meeting, 2).get_data(as_text=True)
    response = client.post(f"/meetings/{meeting.id}/ask-staff", data={"reason": "  "})
    assert response.status_code == 400 and "Say what you would like changed" in response.get_data(as_text=True)
    long = "<b>late</b> " * 200
    response = client.post(f"/meetings/{meeting.id}/ask-staff", data={"reason": long})
    assert response.status_code == 400
    assert "&lt;b&gt;late&lt;/b&gt;" in response.get_data(as_text=True)  # what was typed, kept (escaped)
    page = client.post(f"/meetings/{meeting.id}/ask-staff", data={"reason": "Our CEO lands at 10:30"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Your request is sent to the office" in page
    ask = _open(meeting)
    assert (ask.kind, ask.reason) == (ProposalKind.ASK_STAFF, "Our CEO lands at 10:30")

    staff = make_user(Role.STAFF, office_id=event.program.office_id)
    switch_user(client, staff)
    board = client.get(f"/staff/events/{event.id}/schedule").get_data(as_text=True)
    assert "Asked for a change" in board and "Our CEO lands at 10:30" in board
    # Said at the top of the board (the list is under the grid) and on the day's page.
    assert board.index('href="#change-asks">Asked for a change (1)') < board.index('class="board"')
    day = client.get(f"/staff/events/{event.id}").get_data(as_text=True)
    assert f'href="/staff/events/{event.id}/schedule#change-asks">Asked for a change (1)' in day
    page = client.post(f"/staff/meetings/{meeting.id}/ask/done", data={"proposal": str(ask.id)},
                       follow_redirects=True).get_data(as_text=True)
    assert "The request is marked as done." in page and "Our CEO lands at 10:30" not in page
    db.session.expire_all()
    assert db.session.get(TimeProposal, ask.id).status == ProposalStatus.DONE
    (done,) = _mails("time_done", company.email)
    assert "The office handled your request" in done.body_text


def test_the_refused_asks_address_opened_again_leads_back_to_the_meeting(client, auth, pair, make_user):
    """A refused ask shows its form at /ask-staff; reloading that address or switching the language there (which
    comes back to it) opened a 405 'Something went wrong' page instead of the meeting's form."""
    event, company, investor, meeting = pair(SchedulingMode.BATCH)
    auth.login(company)
    assert client.post(f"/meetings/{meeting.id}/ask-staff", data={"reason": " "}).status_code == 400
    response = client.get(f"/meetings/{meeting.id}/ask-staff")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/meetings/{meeting.id}#change-time"
    switched = client.post("/language", data={"lang": "ko", "next": f"/meetings/{meeting.id}/ask-staff"},
                           follow_redirects=True)
    assert switched.status_code == 200 and switched.request.path == f"/meetings/{meeting.id}"
    assert _open(meeting) is None  # opening the address asks nothing
    switch_user(client, make_user(Role.COMPANY))
    assert client.get(f"/meetings/{meeting.id}/ask-staff").status_code == 404
