"""Participants racing each other on PostgreSQL, with real threads released together: two pairs taking the
last table of a slot, two accepts for one company's slot, the same accept or request posted twice. The
losing side gets a message, never a 500; the database never holds a double booking; mail goes out once."""

from datetime import time

import pytest
from builders.clients import sign_in
from builders.races import needs_postgres, page, race, server_errors
from sqlalchemy import func, select

from matchmaker.enums import EventMode, MeetingStatus, OrgKind, RequestStatus, Role, SchedulingMode
from matchmaker.extensions import db
from matchmaker.models import Meeting, MeetingRequest, MeetingSeat, OutboxMessage

pytestmark = needs_postgres

TRIALS = 20
TAKEN = ("This time was just taken", "This time is no longer free for both of you")


@pytest.fixture
def signed_in(app, client):
    """A new test client signed in as `user` (one per racing thread: each has its own session)."""

    def new_client(user):
        other = app.test_client()
        response = sign_in(other, user)
        assert response.status_code == 302, "sign-in failed"
        return other

    return new_client


@pytest.fixture
def pick_day(make_event, make_user, make_org, make_participation):
    """An in-person day where participants pick the slot (08:00-18:00, twenty slots) with `tables` tables,
    and `hosts` investors who receive the requests."""

    def make(tables: int, hosts: int):
        event = make_event(mode=EventMode.IN_PERSON, venue="Hall", scheduling=SchedulingMode.PICK, tables=tables,
                           day_start=time(8), day_end=time(18))
        people = []
        for _ in range(hosts):
            user = make_user(Role.PARTNER, organization=make_org(OrgKind.INVESTOR))
            make_participation(event, user.organization)
            people.append(user)
        return event, people

    return make


@pytest.fixture
def company(make_org, make_participation):
    def make(event):
        org = make_org(OrgKind.COMPANY)
        make_participation(event, org)
        return org

    return make


def _accept(client, request_id: int, slot_index: int | None):
    data = {} if slot_index is None else {"accept-slot": str(slot_index)}
    return lambda: client.post(f"/requests/{request_id}/accept", data=data, follow_redirects=True)


def _at(event, start, table=None) -> int:
    query = select(func.count()).select_from(Meeting).where(
        Meeting.event_id == event.id, Meeting.start_dt == start, Meeting.status == MeetingStatus.SCHEDULED)
    if table is not None:
        query = query.where(Meeting.table_label == table)
    return db.session.scalar(query)


def _mails(kind: str, address: str) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind == kind, OutboxMessage.to_address == address))


def test_two_pairs_accepting_the_last_table_at_once_book_it_once(pick_day, company, make_request, signed_in):
    event, hosts = pick_day(tables=1, hosts=2)
    clients = [signed_in(host) for host in hosts]
    errors, double_booked, untold = [], 0, 0
    for trial in range(TRIALS):
        slot = event.slots()[trial]
        ids = [make_request(event, company(event), host.organization).id for host in hosts]
        results = race(*(_accept(c, i, slot.index) for c, i in zip(clients, ids, strict=True)))
        errors += server_errors(results)
        db.session.expire_all()
        double_booked += _at(event, slot.start, "T1") > 1
        placed = [db.session.get(MeetingRequest, i).meeting is not None for i in ids]
        losers = [r for r, won in zip(results, placed, strict=True) if not won]
        untold += sum(not any(text in page(r) for text in TAKEN) for r in losers)
    summary = f"{len(errors)} server errors, {double_booked} double bookings, {untold} losers without a message"
    assert (len(errors), double_booked, untold) == (0, 0, 0), f"in {TRIALS} trials: {summary}"


def test_two_accepts_for_one_company_in_one_slot_place_one_meeting(pick_day, company, make_request, signed_in):
    """The company asked two investors; both accept the same time at once: it cannot sit at two tables."""
    event, hosts = pick_day(tables=4, hosts=2)
    clients = [signed_in(host) for host in hosts]
    errors, twice, untold = [], 0, 0
    for trial in range(TRIALS):
        slot = event.slots()[trial]
        asker = company(event)
        ids = [make_request(event, asker, host.organization).id for host in hosts]
        results = race(*(_accept(c, i, slot.index) for c, i in zip(clients, ids, strict=True)))
        errors += server_errors(results)
        db.session.expire_all()
        seats = db.session.scalar(select(func.count()).select_from(MeetingSeat).where(
            MeetingSeat.organization_id == asker.id, MeetingSeat.start_dt == slot.start))
        twice += seats != 1
        placed = [db.session.get(MeetingRequest, i).meeting is not None for i in ids]
        untold += sum(not any(text in page(r) for text in TAKEN)
                      for r, won in zip(results, placed, strict=True) if not won)
    summary = f"{len(errors)} server errors, {twice} slots without exactly one meeting, {untold} untold losers"
    assert (len(errors), twice, untold) == (0, 0, 0), f"in {TRIALS} trials: {summary}"


@pytest.mark.parametrize("mode", [SchedulingMode.BATCH, SchedulingMode.PICK])
def test_accept_posted_twice_acts_once(mode, pick_day, company, make_request, make_user, signed_in):
    """A double click (or two tabs) on Accept: one meeting, one 'accepted' e-mail, a message for the second."""
    event, (host,) = pick_day(tables=2, hosts=1)
    event.scheduling = mode
    db.session.commit()
    clients = [signed_in(host), signed_in(host)]
    errors, extra_mail, extra_meetings, untold = [], 0, 0, 0
    trials = TRIALS // 2
    for trial in range(trials):
        asker = company(event)
        sender = make_user(Role.COMPANY, organization=asker)
        item_id = make_request(event, asker, host.organization).id
        slot = event.slots()[trial].index if mode == SchedulingMode.PICK else None
        results = race(*(_accept(c, item_id, slot) for c in clients))
        errors += server_errors(results)
        db.session.expire_all()
        extra_mail += _mails("request_accepted", sender.email) - 1
        extra_meetings += db.session.scalar(select(func.count()).select_from(Meeting).where(
            Meeting.request_id == item_id)) - (1 if mode == SchedulingMode.PICK else 0)
        assert db.session.get(MeetingRequest, item_id).status == RequestStatus.ACCEPTED
        told = [r for r in results if "You accepted the meeting." not in page(r)]
        untold += sum("already accepted" not in page(r) for r in told)
    summary = (f"{len(errors)} server errors, {extra_mail} extra 'accepted' e-mails, {extra_meetings} extra "
               f"meetings, {untold} second clicks without a message")
    assert (len(errors), extra_mail, extra_meetings, untold) == (0, 0, 0, 0), f"in {trials} trials: {summary}"


def test_request_posted_twice_sends_one(pick_day, company, make_user, make_participation, make_org, signed_in):
    event, _ = pick_day(tables=1, hosts=0)
    asker = make_user(Role.COMPANY, organization=company(event))
    clients = [signed_in(asker), signed_in(asker)]
    errors, extra, untold = [], 0, 0
    trials = TRIALS // 2
    for _ in range(trials):
        host = make_user(Role.PARTNER, organization=make_org(OrgKind.INVESTOR))
        make_participation(event, host.organization)
        url = f"/events/{event.id}/request/{host.organization_id}"
        results = race(*(lambda c=c, url=url: c.post(url, data={"message": "Hello"}, follow_redirects=True)
                         for c in clients))
        errors += server_errors(results)
        db.session.expire_all()
        extra += db.session.scalar(select(func.count()).select_from(MeetingRequest).where(
            MeetingRequest.to_org_id == host.organization_id)) - 1
        extra += _mails("request_received", host.email) - 1
        told = [r for r in results if "Your request is sent" not in page(r)]
        untold += sum("There is already a request between your organizations" not in page(r) for r in told)
    summary = f"{len(errors)} server errors, {extra} extra requests or e-mails, {untold} untold second posts"
    assert (len(errors), extra, untold) == (0, 0, 0), f"in {trials} trials: {summary}"


def test_two_requests_at_once_keep_the_cap_on_open_requests(pick_day, company, make_user, signed_in):
    """The day allows one waiting request per organization; two tabs send one each at the same instant."""
    event, hosts = pick_day(tables=1, hosts=2 * (TRIALS // 2))
    event.max_open_requests = 1
    db.session.commit()
    errors, over, untold = [], 0, 0
    trials = TRIALS // 2
    for trial in range(trials):
        asker = make_user(Role.COMPANY, organization=company(event))
        clients = [signed_in(asker), signed_in(asker)]
        urls = [f"/events/{event.id}/request/{host.organization_id}" for host in hosts[2 * trial: 2 * trial + 2]]
        results = race(*(lambda c=c, url=url: c.post(url, data={"message": "Hi"}, follow_redirects=True)
                         for c, url in zip(clients, urls, strict=True)))
        errors += server_errors(results)
        db.session.expire_all()
        over += db.session.scalar(select(func.count()).select_from(MeetingRequest).where(
            MeetingRequest.from_org_id == asker.organization_id)) > 1
        untold += sum("You may have at most 1 request waiting for an answer." not in page(r)
                      for r in results if "Your request is sent" not in page(r))
    summary = f"{len(errors)} server errors, {over} organizations over the cap, {untold} untold second posts"
    assert (len(errors), over, untold) == (0, 0, 0), f"in {trials} trials: {summary}"
