"""The recommender learns from past outcomes: the refit follows the evidence, records what it learned from,
and the event's recommendations use the stored model."""

import json
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.enums import OrgKind, Outcome, RequestStatus
from matchmaker.extensions import db
from matchmaker.matching import DEFAULT_WEIGHTS, Model
from matchmaker.models import Feedback, Recommendation
from matchmaker.services import ServiceError, learning, recommendations, recommender_model

SECTORS = ("ai", "fintech", "robotics")


@pytest.fixture
def model_file(app, tmp_path, monkeypatch):
    path = tmp_path / "recommender-model.json"
    monkeypatch.setitem(app.config, "RECOMMENDER_MODEL_PATH", str(path))
    return path


@pytest.fixture
def past_day(make_event, make_org, make_participation, make_request):
    """A past day where partners accepted exactly the companies of their own sector."""
    event = make_event(date=date.today() - timedelta(days=30), published=True, timezone="UTC",
                       day_start=time(9), day_end=time(17))
    companies = [make_org(OrgKind.COMPANY, sectors={SECTORS[i % 3]: 1.0}) for i in range(9)]
    partners = [make_org(OrgKind.INVESTOR, sectors={SECTORS[j % 3]: 1.0}) for j in range(6)]
    for org in companies + partners:
        make_participation(event, org)
    for c in companies:
        for p in partners:
            same = c.sectors == p.sectors
            make_request(event, c, p, status=RequestStatus.ACCEPTED if same else RequestStatus.DECLINED)
    return event, companies, partners


def test_refit_moves_weights_towards_the_evidence_and_records_its_data(app, model_file, past_day):
    event, companies, partners = past_day
    data = learning.refit(None)
    payload = json.loads(model_file.read_text())
    model = Model.from_dict(payload["model"])
    assert model.weights["sector"] > DEFAULT_WEIGHTS["sector"]  # sector decided every answer
    assert model.weights["text"] == DEFAULT_WEIGHTS["text"]  # no descriptions: no evidence, default kept
    assert payload["data"] == data
    assert data["events"] == [event.id] and data["first_event_date"] == event.date.isoformat()
    assert (data["requests_accepted"], data["requests_declined"]) == (18, 36)
    assert (data["feedback_positive"], data["feedback_negative"]) == (0, 0)
    t = model.training
    assert (t.n_outcomes, t.n_positive, t.n_companies, t.n_partners) == (54, 18, 9, 6)
    assert recommender_model.stored_model() == model


def test_feedback_counts_as_outcomes(app, model_file, past_day, add_meeting):
    event, _, _ = past_day
    requests = [r for r in event_requests(event) if r.status == RequestStatus.ACCEPTED][:3]
    ratings = [(5, False, Outcome.NONE), (1, False, Outcome.NONE), (3, False, Outcome.NONE)]
    for slot, (request, (rating, follow_up, outcome)) in enumerate(zip(requests, ratings, strict=True)):
        meeting = add_meeting(request, slot)
        db.session.add(Feedback(meeting_id=meeting.id, organization_id=request.from_org_id, rating=rating,
                                follow_up=follow_up, outcome=outcome))
    db.session.commit()
    data = learning.refit(None)
    assert (data["feedback_positive"], data["feedback_negative"]) == (1, 1)  # the 3 is neither


def event_requests(event):
    from matchmaker.models import MeetingRequest

    return db.session.scalars(
        sa.select(MeetingRequest).where(MeetingRequest.event_id == event.id).order_by(MeetingRequest.id)
    ).all()


@pytest.mark.parametrize(("rating", "follow_up", "outcome", "label"), [
    (5, False, Outcome.NONE, 1), (4, False, Outcome.NONE, 1), (3, True, Outcome.NONE, 1),
    (2, False, Outcome.NDA, 1), (3, False, Outcome.NONE, None), (2, False, Outcome.NONE, 0),
    (1, False, Outcome.NONE, 0),
])
def test_feedback_label(rating, follow_up, outcome, label):
    assert learning.feedback_label(Feedback(rating=rating, follow_up=follow_up, outcome=outcome)) == label


def test_refit_without_both_kinds_of_outcome_is_refused(app, model_file, make_event, make_org, make_request):
    event = make_event(date=date.today() - timedelta(days=3))
    make_request(event, make_org(OrgKind.COMPANY), make_org(OrgKind.INVESTOR), status=RequestStatus.ACCEPTED)
    with pytest.raises(ServiceError):
        learning.refit(None)
    assert not model_file.exists() and recommender_model.stored_model() is None


def test_future_events_are_not_learned_from(app, model_file, past_day, make_event, make_org, make_request):
    upcoming = make_event(date=date.today() + timedelta(days=10))
    make_request(upcoming, make_org(OrgKind.COMPANY), make_org(OrgKind.INVESTOR), status=RequestStatus.DECLINED)
    data = learning.refit(None)
    assert data["events"] == [past_day[0].id] and data["requests_declined"] == 36


def test_unreadable_model_file_is_ignored(app, model_file):
    model_file.write_text("{not json")
    assert recommender_model.stored() is None and recommender_model.stored_model() is None


def test_compute_ranks_with_the_stored_model(app, model_file, make_event, make_org, make_participation):
    event = make_event()
    company = make_org(OrgKind.COMPANY, sectors={"ai": 1.0}, stages=["seed"])
    partners = [
        make_org(OrgKind.INVESTOR, sectors={"ai": 1.0}, stages=["series-b"]),
        make_org(OrgKind.INVESTOR, sectors={"robotics": 1.0}, stages=["seed"]),
    ]
    for org in [company, *partners]:
        make_participation(event, org)

    def scores():
        recommendations.compute(event)
        db.session.commit()
        rows = db.session.scalars(sa.select(Recommendation).order_by(Recommendation.partner_id)).all()
        return [r.score for r in rows]

    default = scores()
    sector_minded = Model().with_weights(sector=6.0, stage=0.0)
    recommender_model.write_model({"model": sector_minded.to_dict(), "data": {}})
    learned = scores()
    assert learned != default
    assert learned[0] > learned[1]  # the sector match now beats the stage match
    stage_minded = Model().with_weights(sector=0.0, stage=6.0)
    recommender_model.write_model({"model": stage_minded.to_dict(), "data": {}})
    assert scores()[1] > scores()[0]


def test_cli_refit(runner, app, model_file, past_day):
    result = runner.invoke(args=["recommender", "refit"])
    assert result.exit_code == 0, result.output
    assert "18 accepted and 36 declined" in result.output and model_file.exists()


def test_cli_refit_with_too_little_data_fails_cleanly(runner, app, model_file):
    result = runner.invoke(args=["recommender", "refit"])
    assert result.exit_code == 1 and "needs both" in result.output and not model_file.exists()


def test_refit_job_refreshes_upcoming_recommendations(app, model_file, past_day, make_event, make_participation):
    _, companies, partners = past_day
    upcoming = make_event(date=date.today() + timedelta(days=20))
    for org in companies[:3] + partners[:3]:
        make_participation(upcoming, org)
    recommendations.compute(upcoming)
    db.session.commit()

    def scores():
        db.session.expire_all()
        rows = db.session.scalars(
            sa.select(Recommendation).where(Recommendation.event_id == upcoming.id)
            .order_by(Recommendation.company_id, Recommendation.partner_id)
        ).all()
        return [(r.company_id, r.partner_id, r.score) for r in rows]

    before = scores()
    learning.refit_job(None)  # inline jobs: the recompute runs at once
    after = scores()
    assert model_file.exists() and len(after) == len(before) and after != before
