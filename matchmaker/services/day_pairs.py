"""A matchmaking day's pairs as staff see them: its approved companies and partners, every meeting request,
staff's forced and forbidden pairs, and the recommender's scores, read for the pair rules page and the matrix.
Reads only: setting a pair rule is `services.meetings.set_pair_rule`."""

from dataclasses import dataclass

from sqlalchemy import select

from matchmaker.enums import MeetingStatus, OrgKind, ParticipationStatus, RequestStatus
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingRequest, Organization, PairRule, Recommendation


def approved(event: Event) -> list[Organization]:
    """The day's approved organizations (from `event.participations`)."""
    return [p.organization for p in event.participations if p.status == ParticipationStatus.APPROVED]


def approved_sides(event: Event) -> tuple[list[Organization], list[Organization]]:
    """The day's approved companies and its approved investors and buyers, each by name."""
    organizations = sorted(approved(event), key=lambda o: o.name)
    return ([o for o in organizations if o.kind == OrgKind.COMPANY],
            [o for o in organizations if o.kind != OrgKind.COMPANY])


def pair(company_id: int, partner_id: int) -> tuple[Organization | None, Organization | None]:
    """The two organizations a pair rule names, by id (None for an id that names none)."""
    return db.session.get(Organization, company_id), db.session.get(Organization, partner_id)


# What the requests page filters on: a request's status, or "unscheduled" (accepted, without a scheduled meeting).
REQUEST_FILTERS = ("requested", "accepted", "declined", "cancelled", "expired", "unscheduled")


def requests_of(event: Event, status: str | None = None) -> list[MeetingRequest]:
    """The day's meeting requests (all, or those `status` names in REQUEST_FILTERS), the oldest first."""
    query = select(MeetingRequest).where(MeetingRequest.event_id == event.id).order_by(MeetingRequest.created_dt)
    if status == "unscheduled":
        placed = select(Meeting.id).where(Meeting.request_id == MeetingRequest.id,
                                          Meeting.status == MeetingStatus.SCHEDULED)
        query = query.where(MeetingRequest.status == RequestStatus.ACCEPTED, ~placed.exists())
    elif status in REQUEST_FILTERS:
        query = query.where(MeetingRequest.status == RequestStatus(status))
    return list(db.session.scalars(query))


def rules_of(event: Event) -> list[PairRule]:
    return list(db.session.scalars(select(PairRule).where(PairRule.event_id == event.id)))


@dataclass(frozen=True)
class Matrix:
    """The rows (companies) and columns (partners) shown, and what each pair has: a score, a request, a rule,
    by pair of organization ids."""

    companies: list[Organization]
    partners: list[Organization]
    scores: dict[tuple[int, int], Recommendation]
    requests: dict[tuple[int, int], MeetingRequest]
    rules: dict[tuple[int, int], PairRule]
    sectors: list[str]

    @property
    def computed(self) -> bool:
        """Whether the recommender has run for the day."""
        return bool(self.scores)


def matrix(event: Event, sector: str = "", kind: str = "") -> Matrix:
    """The day's matrix, its companies narrowed to one sector and its partners to one kind when asked."""
    companies, partners = approved_sides(event)
    sectors = sorted({code for o in companies for code in (o.sectors or {})})
    if sector:
        companies = [o for o in companies if sector in (o.sectors or {})]
    if kind in (OrgKind.INVESTOR.value, OrgKind.BUYER.value):
        partners = [o for o in partners if o.kind.value == kind]
    recommendations = db.session.scalars(select(Recommendation).where(Recommendation.event_id == event.id))
    return Matrix(
        companies=companies, partners=partners,
        scores={(r.company_id, r.partner_id): r for r in recommendations},
        requests={(r.org_low_id, r.org_high_id): r
                  for r in db.session.scalars(select(MeetingRequest).where(MeetingRequest.event_id == event.id))},
        rules={(r.org_low_id, r.org_high_id): r for r in rules_of(event)},
        sectors=sectors,
    )
