"""The two sides of a meeting racing each other on PostgreSQL, with real threads released together: both propose
another time at once (one proposal stays open, the other side is told), one accepts while the other withdraws
(one outcome: moved and accepted, or withdrawn and in place). Never a 500."""

from datetime import time

import pytest
from builders.clients import sign_in
from builders.races import needs_postgres, page, race, server_errors
from sqlalchemy import func, select

from matchmaker.enums import EventMode, ProposalKind, ProposalStatus, RequestStatus, Role, SchedulingMode
from matchmaker.extensions import db
from matchmaker.models import Meeting, TimeProposal

pytestmark = needs_postgres

TRIALS = 10


@pytest.fixture
def signed_in(app, client):
    """A new test client signed in as `user` (`client` makes the app's clients isolated, one per thread)."""

    def new_client(user):
        other = app.test_client()
        assert sign_in(other, user).status_code == 302, "sign-in failed"
        return other

    return new_client


@pytest.fixture
def meetings(make_event, make_user, make_participation, make_request, add_meeting):
    """A published pick-your-slot day (twenty slots, enough tables), a company and an investor, and `count`
    meetings each between a fresh pair, in slot 0."""

    def make(count: int):
        event = make_event(mode=EventMode.IN_PERSON, venue="Hall", scheduling=SchedulingMode.PICK, tables=40,
                           published=True, day_start=time(8), day_end=time(18))
        pairs = []
        for n in range(count):
            company, investor = make_user(Role.COMPANY), make_user(Role.PARTNER)
            for user in (company, investor):
                make_participation(event, user.organization)
            item = make_request(event, company.organization, investor.organization, status=RequestStatus.ACCEPTED)
            meeting = add_meeting(item, slot=0)
            meeting.table_label = f"T{n + 1}"
            db.session.commit()
            pairs.append((company, investor, meeting.id))
        return event, pairs

    return make


def _post(client, url: str, data: dict):
    return lambda: client.post(url, data=data, follow_redirects=True)


def _pending(meeting_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(TimeProposal).where(
        TimeProposal.meeting_id == meeting_id, TimeProposal.status == ProposalStatus.PENDING))


def test_both_sides_proposing_at_once_leave_one_open_proposal(meetings, signed_in):
    event, pairs = meetings(TRIALS)
    errors, not_one, untold = [], 0, 0
    for trial, (company, investor, meeting_id) in enumerate(pairs):
        clients = [signed_in(company), signed_in(investor)]
        slots = [1 + trial % 9, 10 + trial % 9]
        url = f"/meetings/{meeting_id}/propose"
        results = race(*(_post(c, url, {"slot": str(s)}) for c, s in zip(clients, slots, strict=True)))
        errors += server_errors(results)
        db.session.expire_all()
        not_one += _pending(meeting_id) != 1
        untold += sum("already has an open proposal" in page(r) for r in results) != 1
    summary = f"{len(errors)} server errors, {not_one} meetings without one open proposal, {untold} untold"
    assert (len(errors), not_one, untold) == (0, 0, 0), f"in {TRIALS} trials: {summary}"


def test_accept_and_withdraw_at_once_have_one_outcome(meetings, signed_in):
    event, pairs = meetings(TRIALS)
    slots = event.slots()
    errors, mixed = [], 0
    for trial, (company, investor, meeting_id) in enumerate(pairs):
        target = slots[1 + trial % 15]
        proposal = TimeProposal(meeting_id=meeting_id, kind=ProposalKind.NEW_TIME,
                                proposed_by_org_id=company.organization_id, start_dt=target.start)
        db.session.add(proposal)
        db.session.commit()
        data = {"proposal": str(proposal.id)}
        results = race(_post(signed_in(company), f"/meetings/{meeting_id}/proposal/withdraw", data),
                       _post(signed_in(investor), f"/meetings/{meeting_id}/proposal/accept", data))
        errors += server_errors(results)
        db.session.expire_all()
        status = db.session.get(TimeProposal, proposal.id).status
        start = db.session.get(Meeting, meeting_id).start_dt
        mixed += not ((status == ProposalStatus.ACCEPTED and start == target.start)
                      or (status == ProposalStatus.WITHDRAWN and start == slots[0].start))
    assert (len(errors), mixed) == (0, 0), f"in {TRIALS} trials: {len(errors)} server errors, {mixed} mixed outcomes"
