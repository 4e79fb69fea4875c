"""Walk-ins: who may fill a slot a no-show freed, in the recommender's order, and placing one without
moving anybody else."""

import pytest
from builders.dayops import build_day
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from matchmaker.enums import MeetingStatus, NoShowReason, PairRuleKind, RequestStatus
from matchmaker.extensions import db
from matchmaker.models import InterpreterSlot, Meeting, MeetingRequest, OutboxMessage, PairRule, Recommendation
from matchmaker.services import ServiceError, checkin, dayops, recommendations
from matchmaker.services import meetings as meeting_service
from matchmaker.services import walkins as service
from matchmaker.services.availability import slots_to_windows

COMPANIES = ("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9")
SLOT = 2


@pytest.fixture
def day(make_office, make_program, make_event, make_user, make_participation):
    """c1 (absent) was to meet i1 in slot 2. Around the free slot: c2 met i1 already, c4 is busy, c5 has
    not checked in, c6 is a forbidden pair with i1, c8 is absent too, c9 is not available then; c3 and c7
    are the candidates."""
    day = build_day(make_office, make_program, make_event, make_user, make_participation,
                    companies=COMPANIES, partners=("i1", "i2", "i3", "b1"))
    day.meet("c1", "i1", SLOT, "T1")
    day.meet("c2", "i1", 0, "T1")
    day.meet("c4", "i2", SLOT, "T2")
    day.meet("c7", "i3", 0, "T2")  # busy in another slot only
    db.session.add(PairRule.for_pair(day.event.id, day.orgs["c6"].id, day.orgs["i1"].id, PairRuleKind.FORBIDDEN))
    slots = day.event.slots()
    day.participations["c9"].availability = slots_to_windows([slots[0], slots[1]])
    for key in ("c2", "c3", "c4", "c6", "c7", "c8", "c9", "i1", "i2", "i3", "b1"):
        checkin.check_in(day.staff, day.participations[key])
    db.session.commit()
    for key in ("c1", "c8"):
        dayops.mark_absent(day.staff, day.participations[key], NoShowReason.ILLNESS)
    db.session.commit()
    return day


def slot(day, index=SLOT):
    return day.event.slots()[index]


def keys(day, candidates):
    names = {org.id: key for key, org in day.orgs.items()}
    return [names[c.organization.id] for c in candidates]


def cache(day, company: str, partner: str, score: float):
    db.session.add(Recommendation(event_id=day.event.id, company_id=day.orgs[company].id,
                                  partner_id=day.orgs[partner].id, rank=1, score=score))
    db.session.commit()


def snapshot(exclude=()):
    db.session.expire_all()
    return {
        m.id: (m.start_dt, m.table_label, m.status, m.sequence, sorted(s.organization_id for s in m.seats))
        for m in db.session.scalars(select(Meeting).order_by(Meeting.id)) if m.id not in exclude
    }


def test_candidates_exclude_absent_unchecked_busy_forbidden_met_and_unavailable(day):
    got = service.walk_in_candidates(day.event, day.orgs["i1"], slot(day))
    assert sorted(keys(day, got)) == ["c3", "c7"]


def test_candidates_are_of_the_other_side(day):
    """For a company, investors and buyers; never other companies."""
    got = keys(day, service.walk_in_candidates(day.event, day.orgs["c3"], slot(day, 1)))
    assert sorted(got) == ["b1", "i1", "i2", "i3"]
    got = keys(day, service.walk_in_candidates(day.event, day.orgs["c3"], slot(day)))
    assert sorted(got) == ["b1", "i1", "i3"]  # i2 meets c4 then


def test_candidates_skip_participants_at_their_meeting_cap(day):
    day.participations["c7"].max_meetings = 1  # c7 has its one meeting already
    db.session.commit()
    assert keys(day, service.walk_in_candidates(day.event, day.orgs["i1"], slot(day))) == ["c3"]


def test_candidates_ordered_by_cached_recommender_score(day):
    cache(day, "c3", "i1", 0.41)
    cache(day, "c7", "i1", 0.87)
    got = service.walk_in_candidates(day.event, day.orgs["i1"], slot(day))
    assert keys(day, got) == ["c7", "c3"]
    assert [(c.score, c.cached) for c in got] == [(0.87, True), (0.41, True)]
    db.session.execute(db.update(Recommendation).where(Recommendation.company_id == day.orgs["c3"].id)
                       .values(score=0.95))
    db.session.commit()
    assert keys(day, service.walk_in_candidates(day.event, day.orgs["i1"], slot(day))) == ["c3", "c7"]


def test_candidates_without_cached_rows_are_scored_by_the_recommender(day):
    i1 = day.orgs["i1"]
    i1.sectors, i1.stages, i1.markets, i1.languages = {"fintech": 1.0}, ["seed"], ["ID"], ["en", "id"]
    good, poor = day.orgs["c3"], day.orgs["c7"]
    good.sectors, good.stages, good.markets, good.languages = {"fintech": 1.0}, ["seed"], ["ID"], ["en"]
    good.description = "Payments and lending for Indonesian small shops"
    poor.sectors, poor.stages, poor.markets, poor.languages = {"biotech": 1.0}, ["growth"], ["DE"], ["ko", "en"]
    db.session.commit()
    got = service.walk_in_candidates(day.event, i1, slot(day))
    assert keys(day, got) == ["c3", "c7"]
    assert all(not c.cached and 0 < c.score < 1 for c in got)
    assert got[0].score > got[1].score


def test_cached_scores_come_from_the_recommender_run(day):
    recommendations.compute(day.event)
    db.session.commit()
    rows = {r.company_id: r.score for r in recommendations.for_partner(day.event, day.orgs["i1"])}
    got = service.walk_in_candidates(day.event, day.orgs["i1"], slot(day))
    for c in got:
        if c.organization.id in rows:
            assert c.cached and c.score == pytest.approx(rows[c.organization.id])
    assert [c.score for c in got] == sorted((c.score for c in got), reverse=True)


def test_place_walk_in_keeps_everyone_else_in_place(day):
    before = snapshot()
    meeting = service.place_walk_in(day.staff, day.event, day.orgs["i1"], day.orgs["c3"], slot(day))
    db.session.commit()
    assert snapshot(exclude={meeting.id}) == before
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting.walk_in and meeting.status == MeetingStatus.SCHEDULED
    assert (meeting.start_dt, meeting.end_dt) == (slot(day).start, slot(day).end)
    assert meeting.table_label == "T1"  # the table the no-show left; T2 is taken by c4 and i2
    assert sorted(s.organization_id for s in meeting.seats) == sorted([day.orgs["c3"].id, day.orgs["i1"].id])
    assert meeting.request.status == RequestStatus.ACCEPTED
    assert (meeting.request.from_org_id, meeting.request.to_org_id) == (day.orgs["c3"].id, day.orgs["i1"].id)


def test_place_walk_in_tells_both_sides_and_sends_invites(day):
    meeting = service.place_walk_in(day.staff, day.event, day.orgs["c3"], day.orgs["i1"], slot(day))
    db.session.commit()
    for key in ("c3", "i1"):
        kinds = db.session.scalars(select(OutboxMessage.kind).where(
            OutboxMessage.to_address == day.users[key].email, OutboxMessage.kind.in_(("walk_in", "invite"))
        ).order_by(OutboxMessage.id)).all()
        assert kinds == ["walk_in", "invite"]
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == day.users["c3"].email,
                                                         OutboxMessage.kind == "walk_in"))
    assert "Org i1" in mail.subject and "Table T1" in mail.body_text
    assert meeting.invited_sequence == meeting.sequence


def test_walk_in_fills_the_slot_so_nobody_is_offered_twice(day):
    service.place_walk_in(day.staff, day.event, day.orgs["i1"], day.orgs["c3"], slot(day))
    db.session.commit()
    assert [f.counterpart.id for f in dayops.freed_slots(day.event) if f.slot.index == SLOT] == []
    with pytest.raises(ServiceError):
        service.place_walk_in(day.staff, day.event, day.orgs["i1"], day.orgs["c7"], slot(day))


@pytest.mark.parametrize(("a", "b"), [
    ("i1", "c4"),  # c4 is busy then
    ("i1", "c6"),  # forbidden pair
    ("i1", "c8"),  # c8 is absent
    ("i1", "i2"),  # two investors
    ("c3", "c2"),  # two companies
    ("i1", "c2"),  # they meet already
])
def test_place_walk_in_refusals_change_nothing(day, a, b):
    before = snapshot()
    with pytest.raises(ServiceError):
        service.place_walk_in(day.staff, day.event, day.orgs[a], day.orgs[b], slot(day))
    db.session.rollback()
    assert snapshot() == before


def test_place_walk_in_refuses_a_slot_that_is_over(day):
    with pytest.raises(ServiceError):
        service.place_walk_in(day.staff, day.event, day.orgs["i1"], day.orgs["c3"], slot(day),
                              now=slot(day).end)


def test_place_walk_in_refuses_when_no_table_is_free(day):
    day.event.tables = 1  # one table, taken in slot 3 by c7 and i2
    day.meet("c7", "i2", 3, "T1")
    with pytest.raises(ServiceError):
        service.place_walk_in(day.staff, day.event, day.orgs["i3"], day.orgs["c3"], slot(day, 3))


def test_place_walk_in_reuses_an_earlier_request_between_them(day, make_request):
    old = make_request(day.event, day.orgs["c3"], day.orgs["i1"], status=RequestStatus.DECLINED)
    meeting = service.place_walk_in(day.staff, day.event, day.orgs["i1"], day.orgs["c3"], slot(day))
    db.session.commit()
    assert meeting.request_id == old.id
    assert db.session.scalars(select(MeetingRequest).where(MeetingRequest.id == old.id)).one().status == (
        RequestStatus.ACCEPTED
    )


def test_database_refuses_a_double_booking(day):
    """Should two desks place at once, the seats' unique (organization, start) stops the second."""
    service.place_walk_in(day.staff, day.event, day.orgs["i1"], day.orgs["c3"], slot(day))
    db.session.commit()
    item = MeetingRequest(event_id=day.event.id, from_org_id=day.orgs["c3"].id, to_org_id=day.orgs["i3"].id,
                          status=RequestStatus.ACCEPTED)
    db.session.add(item)
    db.session.flush()
    with pytest.raises(IntegrityError):
        meeting_service.place(item, slot(day), "T3")
    db.session.rollback()


def test_walk_ins_page_lists_candidates_in_order_and_places_one(client, auth, day):
    cache(day, "c3", "i1", 0.3)
    cache(day, "c7", "i1", 0.6)
    auth.login(day.staff)
    page = client.get(f"/staff/events/{day.event.id}/walkins").get_data(as_text=True)
    section = page[page.index(f'id="freed-{day.orgs["i1"].id}-{SLOT}"'):]
    section = section[:section.index("</section>")]
    assert section.index("Org c7") < section.index("Org c3")
    assert "Org c4" not in section and "Org c6" not in section and "Org c5" not in section
    one = client.get(f"/staff/events/{day.event.id}/walkins?org={day.orgs['i1'].id}&slot={SLOT}")
    assert one.get_data(as_text=True).count('class="panel walkin"') == 1
    response = client.post(f"/staff/events/{day.event.id}/walkins", data={
        "org_id": day.orgs["i1"].id, "candidate_id": day.orgs["c7"].id, "slot": SLOT,
    })
    assert response.headers["Location"] == f"/staff/events/{day.event.id}/walkins"
    placed = db.session.scalars(select(Meeting).where(Meeting.walk_in.is_(True))).one()
    assert sorted(s.organization_id for s in placed.seats) == sorted([day.orgs["i1"].id, day.orgs["c7"].id])
    assert "Walk-in meeting placed" in client.get(f"/staff/events/{day.event.id}/walkins").get_data(as_text=True)


def test_walk_ins_page_refuses_bad_input_without_placing(client, auth, day):
    auth.login(day.staff)
    for data in ({}, {"org_id": day.orgs["i1"].id, "candidate_id": day.orgs["c4"].id, "slot": SLOT},
                 {"org_id": day.orgs["i1"].id, "candidate_id": day.orgs["c3"].id, "slot": 999}):
        assert client.post(f"/staff/events/{day.event.id}/walkins", data=data).status_code == 302
    assert db.session.scalars(select(Meeting).where(Meeting.walk_in.is_(True))).all() == []


def test_no_show_who_turns_up_after_all_can_be_put_back(day):
    """c1 checks in late: its cancelled meetings stay cancelled, but it is a candidate again, and placing it
    revives the old meeting with a higher SEQUENCE, so calendars that got the CANCEL take it back."""
    old = day.meetings["c1", "i1"]
    cancelled_sequence = old.sequence
    checkin.check_in(day.staff, day.participations["c1"])
    db.session.commit()
    assert sorted(keys(day, service.walk_in_candidates(day.event, day.orgs["i1"], slot(day)))) == ["c1", "c3", "c7"]
    meeting = service.place_walk_in(day.staff, day.event, day.orgs["i1"], day.orgs["c1"], slot(day))
    db.session.commit()
    assert meeting.id == old.id and meeting.status == MeetingStatus.SCHEDULED
    assert meeting.sequence > cancelled_sequence


def test_candidates_need_a_common_language_or_a_free_interpreter(day):
    """c3 speaks only Korean, i1 only English: a candidate only while an en–ko interpreter is free."""
    day.orgs["c3"].languages = ["ko"]
    db.session.commit()
    assert keys(day, service.walk_in_candidates(day.event, day.orgs["i1"], slot(day))) == ["c7"]
    with pytest.raises(ServiceError):
        service.place_walk_in(day.staff, day.event, day.orgs["i1"], day.orgs["c3"], slot(day))
    db.session.rollback()
    db.session.add(InterpreterSlot(event_id=day.event.id, language_a="en", language_b="ko", count=1))
    db.session.commit()
    assert sorted(keys(day, service.walk_in_candidates(day.event, day.orgs["i1"], slot(day)))) == ["c3", "c7"]
    meeting = service.place_walk_in(day.staff, day.event, day.orgs["i1"], day.orgs["c3"], slot(day))
    db.session.commit()
    assert (meeting.language, meeting.interpreter) == ("en-ko", True)


def test_candidate_search_costs_the_same_queries_however_many_candidates(day, make_user, make_participation):
    import sqlalchemy as sa

    def statements():
        seen = []

        def count(*_args):
            seen.append(1)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            got = service.walk_in_candidates(day.event, day.orgs["i1"], slot(day))
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        db.session.expire_all()
        return len(got), len(seen)

    few, few_queries = statements()
    for n in range(6):  # six more checked-in companies, free in the slot
        user = make_user(name=f"Late {n}")
        checkin.check_in(day.staff, make_participation(day.event, user.organization))
    db.session.commit()
    many, many_queries = statements()
    assert (few, many) == (2, 8)
    assert many_queries == few_queries
