"""Walk-in meetings: a slot freed by a no-show offered to checked-in participants of the other side, best
match first by the recommender, and placed without moving any other meeting."""

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from matchmaker.database import utcnow
from matchmaker.domain.timeslots import TimeSlot
from matchmaker.enums import Attendance, MeetingStatus, OrgKind, PairRuleKind, ParticipationStatus, RequestStatus
from matchmaker.extensions import db
from matchmaker.matching import Model
from matchmaker.matching.features import EventFeatures
from matchmaker.matching.scoring import score_pairs
from matchmaker.models import (
    Event,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    Organization,
    PairRule,
    Participation,
    User,
)
from matchmaker.services import ServiceError, audit, interpreters, placement, recommendations
from matchmaker.services import meetings as meeting_service
from matchmaker.services.availability import slots_within
from matchmaker.services.events import participation_of
from matchmaker.services.invites import queue_invites
from matchmaker.services.locking import lock_rows, refused_as
from matchmaker.services.mail import queue_email


@dataclass(frozen=True)
class Candidate:
    organization: Organization
    score: float  # the recommender's reciprocal score for the pair
    cached: bool  # from the stored recommendations (False: scored now)


def _other_side(org: Organization) -> tuple[OrgKind, ...]:
    return (OrgKind.INVESTOR, OrgKind.BUYER) if org.kind == OrgKind.COMPANY else (OrgKind.COMPANY,)


def _met(event: Event, org_id: int) -> set[int]:
    """Organizations with a scheduled meeting with `org_id` at the event (over, on now or to come)."""
    requests = db.session.scalars(
        meeting_service.requests_of(org_id).join(Meeting, Meeting.request_id == MeetingRequest.id).where(
            MeetingRequest.event_id == event.id, Meeting.status == MeetingStatus.SCHEDULED,
        )
    )
    return {r.other_org_id(org_id) for r in requests}


def _forbidden(event: Event, org_id: int) -> set[int]:
    rules = db.session.scalars(select(PairRule).where(
        PairRule.event_id == event.id, PairRule.kind == PairRuleKind.FORBIDDEN,
        (PairRule.org_low_id == org_id) | (PairRule.org_high_id == org_id),
    ))
    return {r.org_high_id if r.org_low_id == org_id else r.org_low_id for r in rules}


def _eligible(participation: Participation, slot: TimeSlot, slots: list[TimeSlot], busy: set[datetime]) -> bool:
    """Checked in, free in the slot, available then, and below staff's cap on meetings. `busy` holds the
    participant's meeting starts (one seat per start: its size is the meeting count)."""
    if participation.attendance != Attendance.CHECKED_IN or slot.start in busy:
        return False
    if slot.index not in {s.index for s in slots_within(slots, participation.availability)}:
        return False
    return participation.max_meetings is None or len(busy) < participation.max_meetings


def walk_in_candidates(event: Event, organization: Organization, slot: TimeSlot,
                       scorer: "PairScorer | None" = None) -> list[Candidate]:
    """Who could meet `organization` in `slot` on the spot: approved, checked-in participants of the other
    side, free then, not forbidden as a pair, not meeting it already, with a language in common or an
    interpreter free then; best recommender score first."""
    excluded = _met(event, organization.id) | _forbidden(event, organization.id) | {organization.id}
    participations = db.session.scalars(
        select(Participation).join(Organization, Participation.organization_id == Organization.id).where(
            Participation.event_id == event.id, Participation.status == ParticipationStatus.APPROVED,
            Organization.kind.in_(_other_side(organization)),
        ).options(contains_eager(Participation.organization)).order_by(Participation.id)
    ).all()
    participations = [p for p in participations if p.organization_id not in excluded]
    # Meeting at this instant at another day of the office: not free either (the seat is unique per start).
    elsewhere = set(db.session.scalars(select(MeetingSeat.organization_id).where(
        MeetingSeat.start_dt == slot.start, MeetingSeat.organization_id.in_([p.organization_id for p in participations])
    )))
    participations = [p for p in participations if p.organization_id not in elsewhere]
    busy = placement.busy_starts_of(event, [p.organization_id for p in participations])
    slots = event.slots()
    cap = interpreters.capacity(event)
    eligible = [p.organization for p in participations
                if _eligible(p, slot, slots, busy.get(p.organization_id, set()))
                and interpreters.can_talk(event, organization, p.organization, slot.start, cap)]
    scores = (scorer or PairScorer(event)).scores(organization, eligible)
    candidates = [Candidate(org, scores[org.id][0], scores[org.id][1]) for org in eligible]
    return sorted(candidates, key=lambda c: (-c.score, c.organization.name, c.organization.id))


class PairScorer:
    """The recommender's score of pairs at one event: the cached one when the recommender listed the pair,
    otherwise scored now among the event's approved participants, as the recommender does (the features
    are built once per scorer, so one scorer serves every freed slot of a page)."""

    def __init__(self, event: Event):
        self.event = event
        self._model = Model()
        self._features = None
        self._positions: tuple[dict[int, int], dict[int, int]] = ({}, {})

    def scores(self, org: Organization, others: list[Organization]) -> dict[int, tuple[float, bool]]:
        if org.kind == OrgKind.COMPANY:
            cached = {r.partner_id: r.score for r in recommendations.for_company(self.event, org)}
        else:
            cached = {r.company_id: r.score for r in recommendations.for_partner(self.event, org)}
        found = {o.id: (cached[o.id], True) for o in others if o.id in cached}
        missing = [o for o in others if o.id not in cached]
        if missing:
            for other_id, score in self._score_now(org, missing).items():
                found[other_id] = (score, False)
        return found

    def _score_now(self, org: Organization, others: list[Organization]) -> dict[int, float]:
        c_pos, p_pos = self._build(org, others)
        pairs = [(o, org) if org.kind != OrgKind.COMPANY else (org, o) for o in others]
        rows = np.array([c_pos[c.id] for c, _ in pairs], dtype=np.int64)
        cols = np.array([p_pos[p.id] for _, p in pairs], dtype=np.int64)
        scores = score_pairs(self._features, self._model, rows, cols).score
        return {o.id: float(s) for o, s in zip(others, scores.tolist(), strict=True)}

    def _build(self, org: Organization, others: list[Organization]) -> tuple[dict[int, int], dict[int, int]]:
        """Features of the event's approved participants (and of `org` and `others`, should one of them
        not be approved any more), built once and reused while they cover the pairs asked for."""
        ids = {org.id, *(o.id for o in others)}
        c_pos, p_pos = self._positions
        if self._features is not None and ids <= (c_pos.keys() | p_pos.keys()):
            return self._positions
        approved = recommendations.approved_organizations(self.event)
        population = {o.id: o for o in (*approved, org, *others)}
        companies = [o for o in population.values() if o.kind == OrgKind.COMPANY]
        partners = [o for o in population.values() if o.kind != OrgKind.COMPANY]
        self._features = EventFeatures([recommendations.profile_of(o) for o in companies],
                                       [recommendations.profile_of(o) for o in partners], self._model.params)
        self._positions = ({o.id: i for i, o in enumerate(companies)}, {o.id: j for j, o in enumerate(partners)})
        return self._positions


RACE_LOST = _l("One of them has just been given another meeting at that time.")


def place_walk_in(actor: User, event: Event, org_a: Organization, org_b: Organization, slot: TimeSlot,
                  now: datetime | None = None) -> Meeting:
    """Put `org_a` and `org_b` together in `slot` at a free table, as a walk-in meeting. No other meeting
    moves; the database still refuses a double booking should two staff members place at once (ServiceError,
    like every refusal: the caller rolls back)."""
    try:
        return _place_walk_in(actor, event, org_a, org_b, slot, now)
    except IntegrityError as error:  # someone else placed a meeting for one of them in that slot meanwhile
        raise ServiceError(str(RACE_LOST)) from error


def _place_walk_in(actor: User, event: Event, org_a: Organization, org_b: Organization, slot: TimeSlot,
                   now: datetime | None) -> Meeting:
    now = now or utcnow()
    company, partner = (org_a, org_b) if org_a.kind == OrgKind.COMPANY else (org_b, org_a)
    if company.kind != OrgKind.COMPANY or partner.kind == OrgKind.COMPANY:
        raise ServiceError(gettext("A pair is one company and one investor or buyer."))
    lock_rows(Event, [event.id])  # placements at one event take turns: the free table is counted afresh
    if slot.end <= now:
        raise ServiceError(gettext("This slot is over."))
    for org in (company, partner):
        participation = participation_of(event, org)
        if participation is None or participation.status != ParticipationStatus.APPROVED:
            raise ServiceError(gettext("%(name)s does not take part in this matchmaking day.",
                                       name=org.display_name))
        if participation.attendance == Attendance.ABSENT:
            raise ServiceError(gettext("%(name)s is marked absent.", name=org.display_name))
        if slot.start in placement.busy_starts(org.id, event):
            raise ServiceError(gettext("%(name)s already has a meeting at that time.", name=org.display_name))
    rule = meeting_service.pair_rule(event, company.id, partner.id)
    if rule is not None and rule.kind == PairRuleKind.FORBIDDEN:
        raise ServiceError(gettext("The office does not offer this meeting."))
    if not interpreters.can_talk(event, company, partner, slot.start, interpreters.capacity(event)):
        raise ServiceError(gettext("They have no language in common and no interpreter is free at that time."))
    table = placement.free_table(event, slot)
    if table is False:
        raise ServiceError(gettext("No room is free at that time.") if event.virtual_rooms
                           else gettext("No table is free at that time."))
    item = meeting_service.existing_request(event, company.id, partner.id)
    if item is None:
        item = MeetingRequest(event_id=event.id, from_org_id=company.id, to_org_id=partner.id,
                              created_by_id=actor.id)
        db.session.add(item)
    elif item.meeting is not None and item.meeting.status == MeetingStatus.SCHEDULED:
        raise ServiceError(gettext("These two already have a meeting at this matchmaking day."))
    elif item.meeting is not None:
        item.meeting.sequence += 1  # calendars saw it cancelled: the new time must outrank that
    item.status = RequestStatus.ACCEPTED
    item.responded_dt = now
    db.session.flush()
    with refused_as(RACE_LOST):
        meeting = placement.place(item, slot, table)
        meeting.walk_in = True
    audit.record(actor, "place_walk_in", meeting, slot=slot.index, table=table, orgs=[company.id, partner.id])
    for org in (company, partner):
        other = item.other_org(org.id)
        for user in org.users:
            if user.active:
                queue_email(user, "walk_in", _l("New meeting today: %(name)s", name=other.display_name),
                            "walk_in", meeting=meeting, org=org, other=other)
    if event.published:
        queue_invites(meeting)
    return meeting
