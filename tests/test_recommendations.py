"""Recommendations on the web: cached per event, recomputed on change, explained in the viewer's language."""

from sqlalchemy import select

from matchmaker.enums import OrgKind, PairRuleKind, ParticipationStatus, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import MeetingRequest, OutboxMessage, Participation, Recommendation
from matchmaker.services import recommendations
from matchmaker.services.meetings import set_pair_rule


def test_compute_ranks_the_fitting_partner_first_with_reasons(two_by_two):
    event, ai, health, ai_vc, health_vc = two_by_two
    assert recommendations.compute(event) == 4
    first = recommendations.for_company(event, ai.organization)[0]
    assert first.partner_id == ai_vc.organization_id
    assert ["sectors_in_common", {"sectors": ["ai"]}] in first.reasons
    assert recommendations.for_partner(event, health_vc.organization)[0].company_id == health.organization_id


def test_page_explains_in_korean_and_requests_with_one_click(client, auth, two_by_two):
    event, ai, health, ai_vc, health_vc = two_by_two
    auth.login(ai)
    page = client.get(f"/events/{event.id}/recommended").get_data(as_text=True)  # computed on first visit
    assert page.index("AI Capital") < page.index("Care Ventures")
    assert "인공지능" in page  # the sector label, translated
    response = client.post(f"/events/{event.id}/request/{ai_vc.organization_id}", data={})
    item = db.session.scalars(select(MeetingRequest)).one()
    assert response.headers["Location"] == f"/requests/{item.id}"
    assert item.status == RequestStatus.REQUESTED


def test_forbidden_pair_disappears_and_forced_pair_tops_the_list(two_by_two, make_user):
    event, ai, health, ai_vc, health_vc = two_by_two
    staff = make_user(Role.STAFF)
    set_pair_rule(staff, event, ai.organization, ai_vc.organization, PairRuleKind.FORBIDDEN)
    set_pair_rule(staff, event, ai.organization, health_vc.organization, PairRuleKind.FORCED)
    recommendations.compute(event)
    listed = recommendations.for_company(event, ai.organization)
    assert [r.partner_id for r in listed] == [health_vc.organization_id]
    assert listed[0].forced


def test_approval_triggers_recomputation(client, auth, two_by_two, make_user, make_org):
    event, *_ = two_by_two
    newcomer = make_org(OrgKind.BUYER, name="Late Buyer", sectors={"ai": 1.0})
    participation = Participation(event_id=event.id, organization_id=newcomer.id,
                                  status=ParticipationStatus.APPLIED)
    db.session.add(participation)
    db.session.commit()
    recommendations.compute(event)
    db.session.commit()
    assert not db.session.scalars(select(Recommendation).where(Recommendation.partner_id == newcomer.id)).all()
    staff = make_user(Role.STAFF)
    auth.login(staff)
    client.post(f"/staff/participations/{participation.id}/decide", data={"approve": "1"})
    db.session.expire_all()
    assert db.session.scalars(select(Recommendation).where(Recommendation.partner_id == newcomer.id)).all()


def test_staff_matrix_and_suggestion_emails(client, auth, two_by_two, make_user):
    event, ai, health, ai_vc, health_vc = two_by_two
    recommendations.compute(event)
    db.session.commit()
    auth.login(make_user(Role.STAFF))
    page = client.get(f"/staff/events/{event.id}/matrix").get_data(as_text=True)
    assert "AI Capital" in page and "주식회사 에이아이" in page
    filtered = client.get(f"/staff/events/{event.id}/matrix?sector=ai").get_data(as_text=True)
    assert "Health Co" not in filtered
    client.post(f"/staff/events/{event.id}/matrix/send")
    sent = {m.to_address for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "suggestions"))}
    assert sent == {ai.email, health.email, ai_vc.email, health_vc.email}


def test_suggestions_go_to_each_person_once_and_a_second_click_says_when(client, auth, two_by_two, make_user,
                                                                          make_org, make_participation):
    event, ai, health, ai_vc, health_vc = two_by_two
    recommendations.compute(event)
    db.session.commit()
    auth.login(make_user(Role.STAFF, timezone="Asia/Seoul"))
    first = client.post(f"/staff/events/{event.id}/matrix/send", follow_redirects=True).get_data(as_text=True)
    assert "Suggestions sent: 4 e-mails." in first
    again = client.post(f"/staff/events/{event.id}/matrix/send", follow_redirects=True).get_data(as_text=True)
    assert "Suggestions were already sent" in again and "nothing was sent again" in again
    assert "Korean Standard Time" in again  # when, with its zone
    late = make_user(Role.PARTNER, organization=make_org(OrgKind.INVESTOR, name="Late Capital"))
    make_participation(event, late.organization)
    recommendations.compute(event)
    db.session.commit()
    third = client.post(f"/staff/events/{event.id}/matrix/send", follow_redirects=True).get_data(as_text=True)
    assert "1 e-mail went to people approved since" in third
    sent = db.session.scalars(select(OutboxMessage.to_address).where(OutboxMessage.kind == "suggestions")).all()
    assert sorted(sent) == sorted(u.email for u in (ai, health, ai_vc, health_vc, late))


def test_matrix_names_request_statuses_in_words(client, auth, two_by_two, make_user, make_request):
    event, ai, health, ai_vc, health_vc = two_by_two
    make_request(event, ai.organization, ai_vc.organization, status=RequestStatus.ACCEPTED)
    make_request(event, health.organization, health_vc.organization, status=RequestStatus.DECLINED)
    auth.login(make_user(Role.STAFF))
    page = client.get(f"/staff/events/{event.id}/matrix").get_data(as_text=True)
    assert 'title="Accepted"' in page and 'title="Declined"' in page
    assert 'title="accepted"' not in page and 'title="declined"' not in page
