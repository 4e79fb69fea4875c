"""KPIs of matchmaking days from plain rows.

Definitions (what headquarters reports):
  - a meeting is *scheduled* unless cancelled, and *due* once it has started;
  - it is *held* when due, with no no-show recorded for it, no whole-day no-show of either side at its
    event, and neither side marked absent; otherwise it is a *no-show*; no-show rate = no-shows / due;
  - acceptance rate = accepted requests / requests sent (None when none were sent);
  - satisfaction = mean of the ratings given on held meetings (each side's rating counts once);
  - follow-ups, deals, MOUs and amounts count a *meeting* once, whatever both sides said: a meeting's
    outcome is the most committed of both sides' (Outcome is ordered), its amount the larger of both
    sides' figures; consultations = meetings held.
Breakdowns group by the company's main sector and stage, the partner's country and kind, the event and
the month of the meeting.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

OUTCOME_ORDER = ("none", "nda", "poc", "mou", "purchase_order", "investment")
MOU_OR_BEYOND = frozenset(OUTCOME_ORDER[OUTCOME_ORDER.index("mou"):])
DIMENSIONS = ("sector", "stage", "country", "partner_kind", "event")
UNKNOWN = ""  # group key of rows without the attribute (a profile without a sector, say)


@dataclass(frozen=True)
class OrgRow:
    id: int
    kind: str  # company, investor, buyer
    sector: str | None = None  # main sector (highest weight)
    stage: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class RequestRow:
    id: int
    event_id: int
    company_id: int
    partner_id: int
    status: str  # requested, accepted, declined, cancelled, expired


@dataclass(frozen=True)
class MeetingRow:
    id: int
    event_id: int
    company_id: int
    partner_id: int
    start: datetime
    cancelled: bool = False


@dataclass(frozen=True)
class NoShowRow:
    event_id: int
    organization_id: int
    meeting_id: int | None = None  # None: the organization missed the whole day


@dataclass(frozen=True)
class FeedbackRow:
    meeting_id: int
    organization_id: int
    rating: int
    follow_up: bool = False
    outcome: str = "none"
    amount_usd: int | None = None
    expected_amount_usd: int | None = None


@dataclass
class Rows:
    orgs: dict[int, OrgRow]
    requests: list[RequestRow] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    no_shows: list[NoShowRow] = field(default_factory=list)
    feedback: list[FeedbackRow] = field(default_factory=list)
    absent: set[tuple[int, int]] = field(default_factory=set)  # (event id, organization id) marked absent


@dataclass
class Figures:
    """Counts and sums for the whole scope or one group of it; rates are None when undefined."""

    requests: int = 0
    accepted: int = 0
    declined: int = 0
    scheduled: int = 0
    due: int = 0
    held: int = 0
    no_shows: int = 0
    rating_sum: int = 0
    ratings: int = 0
    follow_ups: int = 0
    deals: int = 0  # meetings with an outcome beyond none
    mous: int = 0  # meetings with an MOU or more
    amount_usd: int = 0
    expected_amount_usd: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOME_ORDER, 0))

    @property
    def acceptance_rate(self) -> float | None:
        return self.accepted / self.requests if self.requests else None

    @property
    def no_show_rate(self) -> float | None:
        return self.no_shows / self.due if self.due else None

    @property
    def satisfaction(self) -> float | None:
        return self.rating_sum / self.ratings if self.ratings else None

    @property
    def consultations(self) -> int:
        return self.held


@dataclass
class Report:
    total: Figures
    by: dict[str, dict[str, Figures]]  # dimension -> group key -> figures
    months: dict[str, Figures]  # "YYYY-MM" -> figures of the meetings starting that month


@dataclass(frozen=True)
class _MeetingResult:
    scheduled: bool
    due: bool
    held: bool
    ratings: tuple[int, ...]
    follow_up: bool
    outcome: str
    amount_usd: int
    expected_amount_usd: int


def best_outcome(outcomes: Iterable[str]) -> str:
    """The most committed outcome of both sides' ('none' when none was given)."""
    return max(outcomes, key=OUTCOME_ORDER.index, default="none")


def meeting_result(meeting: MeetingRow, now: datetime, missed: bool, feedback: list[FeedbackRow]) -> _MeetingResult:
    scheduled = not meeting.cancelled
    due = scheduled and meeting.start <= now
    held = due and not missed
    if not held:
        return _MeetingResult(scheduled, due, False, (), False, "none", 0, 0)
    return _MeetingResult(
        scheduled, due, True,
        ratings=tuple(f.rating for f in feedback),
        follow_up=any(f.follow_up for f in feedback),
        outcome=best_outcome(f.outcome for f in feedback),
        amount_usd=max((f.amount_usd or 0 for f in feedback), default=0),
        expected_amount_usd=max((f.expected_amount_usd or 0 for f in feedback), default=0),
    )


def _add_meeting(figures: Figures, result: _MeetingResult) -> None:
    figures.scheduled += result.scheduled
    figures.due += result.due
    figures.held += result.held
    figures.no_shows += result.due and not result.held
    if not result.held:
        return
    figures.rating_sum += sum(result.ratings)
    figures.ratings += len(result.ratings)
    figures.follow_ups += result.follow_up
    figures.outcomes[result.outcome] += 1
    figures.deals += result.outcome != "none"
    figures.mous += result.outcome in MOU_OR_BEYOND
    figures.amount_usd += result.amount_usd
    figures.expected_amount_usd += result.expected_amount_usd


def _add_request(figures: Figures, request: RequestRow) -> None:
    figures.requests += 1
    figures.accepted += request.status == "accepted"
    figures.declined += request.status == "declined"


def group_keys(rows: Rows, event_id: int, company_id: int, partner_id: int) -> dict[str, str]:
    company = rows.orgs.get(company_id) or OrgRow(company_id, "company")
    partner = rows.orgs.get(partner_id) or OrgRow(partner_id, "")
    return {
        "sector": company.sector or UNKNOWN,
        "stage": company.stage or UNKNOWN,
        "country": partner.country or UNKNOWN,
        "partner_kind": partner.kind or UNKNOWN,
        "event": str(event_id),
    }


def compute(rows: Rows, now: datetime) -> Report:
    total = Figures()
    by: dict[str, dict[str, Figures]] = {dimension: defaultdict(Figures) for dimension in DIMENSIONS}
    months: dict[str, Figures] = defaultdict(Figures)

    for request in sorted(rows.requests, key=lambda r: r.id):
        _add_request(total, request)
        for dimension, key in group_keys(rows, request.event_id, request.company_id, request.partner_id).items():
            _add_request(by[dimension][key], request)

    meeting_no_shows = {n.meeting_id for n in rows.no_shows if n.meeting_id is not None}
    day_no_shows = {(n.event_id, n.organization_id) for n in rows.no_shows if n.meeting_id is None}
    away = day_no_shows | set(rows.absent)
    feedback: dict[int, list[FeedbackRow]] = defaultdict(list)
    for item in rows.feedback:
        feedback[item.meeting_id].append(item)
    for meeting in sorted(rows.meetings, key=lambda m: m.id):
        missed = (
            meeting.id in meeting_no_shows
            or (meeting.event_id, meeting.company_id) in away
            or (meeting.event_id, meeting.partner_id) in away
        )
        result = meeting_result(meeting, now, missed, feedback[meeting.id])
        _add_meeting(total, result)
        for dimension, key in group_keys(rows, meeting.event_id, meeting.company_id, meeting.partner_id).items():
            _add_meeting(by[dimension][key], result)
        _add_meeting(months[f"{meeting.start:%Y-%m}"], result)

    return Report(
        total=total,
        by={dimension: dict(sorted(groups.items())) for dimension, groups in by.items()},
        months=dict(sorted(months.items())),
    )


def main_sector(sectors: dict[str, float] | None) -> str | None:
    """The sector with the highest weight (the first by code among equals)."""
    if not sectors:
        return None
    return min(sectors, key=lambda code: (-sectors[code], code))
