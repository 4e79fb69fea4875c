"""KPIs from plain rows, against figures computed by hand."""

from datetime import UTC, datetime, timedelta

import pytest

from matchmaker.reports import FeedbackRow, MeetingRow, NoShowRow, OrgRow, RequestRow, Rows, compute, main_sector
from matchmaker.reports.kpi import best_outcome

NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)
PAST = datetime(2026, 9, 15, 2, tzinfo=UTC)
FUTURE = NOW + timedelta(days=3)

ORGS = {
    1: OrgRow(1, "company", sector="ai", stage="seed", country="KR"),
    2: OrgRow(2, "company", sector="fintech", stage="series-a", country="KR"),
    10: OrgRow(10, "investor", country="US"),
    11: OrgRow(11, "buyer", country="SG"),
    12: OrgRow(12, "buyer", country="SG"),
}


def _world(**changes) -> Rows:
    rows = Rows(
        orgs=ORGS,
        requests=[
            RequestRow(1, 7, 1, 10, "accepted"),
            RequestRow(2, 7, 1, 11, "accepted"),
            RequestRow(3, 7, 2, 10, "accepted"),
            RequestRow(4, 7, 2, 11, "declined"),
            RequestRow(5, 7, 2, 12, "accepted"),
            RequestRow(6, 7, 1, 12, "expired"),
            RequestRow(7, 7, 1, 12, "accepted"),  # its meeting is tomorrow
            RequestRow(8, 7, 2, 12, "cancelled"),
        ],
        meetings=[
            MeetingRow(101, 7, 1, 10, PAST),  # held: both sides answered
            MeetingRow(102, 7, 1, 11, PAST),  # held: one side answered
            MeetingRow(103, 7, 2, 10, PAST),  # no-show recorded for it
            MeetingRow(104, 7, 2, 12, NOW - timedelta(hours=1)),  # partner 12 marked absent
            MeetingRow(105, 7, 1, 12, FUTURE),  # scheduled, not due yet
            MeetingRow(106, 7, 2, 11, PAST, cancelled=True),
        ],
        no_shows=[NoShowRow(7, 2, 103)],
        feedback=[
            FeedbackRow(101, 1, rating=5, follow_up=True, outcome="mou", amount_usd=200_000,
                        expected_amount_usd=1_000_000),
            FeedbackRow(101, 10, rating=4, follow_up=False, outcome="nda", amount_usd=300_000,
                        expected_amount_usd=500_000),
            FeedbackRow(102, 11, rating=2, follow_up=False, outcome="none"),
            FeedbackRow(103, 1, rating=1),  # on a missed meeting: not counted
        ],
        absent={(7, 12)},
    )
    for name, value in changes.items():
        setattr(rows, name, value)
    return rows


def test_totals_count_each_meeting_once():
    t = compute(_world(), NOW).total
    assert (t.requests, t.accepted, t.declined) == (8, 5, 1)
    assert t.acceptance_rate == pytest.approx(5 / 8)
    assert (t.scheduled, t.due, t.held, t.no_shows) == (5, 4, 2, 2)
    assert t.no_show_rate == pytest.approx(2 / 4)
    assert t.consultations == 2
    assert t.satisfaction == pytest.approx((5 + 4 + 2) / 3) and t.ratings == 3
    # Meeting 101: one side says MOU, the other NDA -> one MOU; amounts: the larger of both sides' figures.
    assert (t.follow_ups, t.deals, t.mous) == (1, 1, 1)
    assert t.amount_usd == 300_000 and t.expected_amount_usd == 1_000_000
    assert t.outcomes == {"none": 1, "nda": 0, "poc": 0, "mou": 1, "purchase_order": 0, "investment": 0}


def test_zero_requests_and_meetings_give_no_rates_and_no_division_error():
    t = compute(Rows(orgs={}), NOW).total
    assert t.requests == t.held == 0
    assert t.acceptance_rate is None and t.no_show_rate is None and t.satisfaction is None


def test_a_whole_day_no_show_misses_every_meeting_of_that_organization():
    report = compute(_world(no_shows=[NoShowRow(7, 1, None)], absent=set()), NOW)
    # Company 1 missed the day: 101 and 102 are no-shows; 103 held (no ledger entry left), 104 held.
    assert (report.total.held, report.total.no_shows) == (2, 2)
    assert report.by["sector"]["ai"].held == 0 and report.by["sector"]["fintech"].held == 2


def test_breakdowns_group_by_company_sector_and_stage_and_partner_country_and_kind():
    by = compute(_world(), NOW).by
    assert set(by["sector"]) == {"ai", "fintech"}
    ai, fintech = by["sector"]["ai"], by["sector"]["fintech"]
    assert (ai.requests, ai.accepted, ai.held, ai.mous) == (4, 3, 2, 1)
    assert (fintech.requests, fintech.accepted, fintech.held, fintech.no_shows) == (4, 2, 0, 2)
    assert by["stage"]["seed"].held == 2
    assert by["country"]["US"].held == 1 and by["country"]["SG"].held == 1
    assert by["partner_kind"]["investor"].deals == 1 and by["partner_kind"]["buyer"].deals == 0
    assert by["event"]["7"].held == 2
    assert sum(f.requests for f in by["sector"].values()) == 8


def test_months_follow_the_meetings_start():
    months = compute(_world(), NOW).months
    assert list(months) == ["2026-09", "2026-10"]
    assert months["2026-09"].held == 2 and months["2026-10"].held == 0
    assert months["2026-10"].no_shows == 1 and months["2026-10"].scheduled == 2


def test_missing_attributes_fall_in_the_unknown_group():
    rows = _world(orgs={1: OrgRow(1, "company"), 10: OrgRow(10, "investor")})
    by = compute(rows, NOW).by
    assert "" in by["sector"] and "" in by["country"]


@pytest.mark.parametrize(("outcomes", "best"), [
    ([], "none"), (["none"], "none"), (["nda", "mou"], "mou"), (["investment", "poc"], "investment"),
    (["purchase_order", "mou"], "purchase_order"),
])
def test_best_outcome_is_the_most_committed(outcomes, best):
    assert best_outcome(outcomes) == best


@pytest.mark.parametrize(("sectors", "main"), [
    (None, None), ({}, None), ({"ai": 0.7, "cloud": 0.3}, "ai"), ({"cloud": 0.5, "ai": 0.5}, "ai"),
])
def test_main_sector_is_the_heaviest(sectors, main):
    assert main_sector(sectors) == main
