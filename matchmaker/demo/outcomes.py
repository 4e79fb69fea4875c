"""What came of the past demo day: check-ins, an absent partner and a missed meeting in the no-show ledger,
and feedback from both sides of the meetings held (ratings, follow-ups, NDAs, pilots, MOUs, a purchase
order, an investment), so that the reports have real figures and the recommender has outcomes to learn from.
"""

from datetime import datetime, timedelta

from matchmaker.enums import Attendance, NoShowReason, OrgKind, Outcome, ParticipationStatus
from matchmaker.models import Event, Feedback, Meeting, NoShow, Organization, User

# Outcomes the demo hands out to held meetings, most committed first, by the partner's kind.
DEALS = {
    OrgKind.INVESTOR: (Outcome.INVESTMENT, Outcome.MOU, Outcome.NDA, Outcome.NDA),
    OrgKind.BUYER: (Outcome.PURCHASE_ORDER, Outcome.MOU, Outcome.POC, Outcome.POC, Outcome.NDA),
}
COMMENTS = (
    "Clear pitch and a product that fits our pipeline.",
    "Good conversation; we need references from customers in the region first.",
    "They were well prepared and brought a live demo.",
    "Interesting, but too early for us.",
    None,
    None,
)


def add_outcomes(
    session, rng, event: Event, meetings: list[Meeting], by_id: dict[int, Organization],
    members: dict[str, User], reviewer: User,
) -> dict[str, int]:
    """Check-ins, no-shows and feedback for a day that has taken place. Returns counts."""
    participations = sorted(
        (p for p in event.participations if p.status == ParticipationStatus.APPROVED), key=lambda p: p.organization_id
    )
    meetings = sorted(meetings, key=lambda m: m.start_dt)
    busy_buyers = sorted(
        {o for m in meetings for o in (m.request.from_org_id, m.request.to_org_id) if by_id[o].kind == OrgKind.BUYER}
    )
    # One buyer missed the day (a cancelled flight); one company missed one meeting without a word.
    absent_id = rng.choice(busy_buyers) if busy_buyers else None
    no_shows = []
    for participation in participations:
        if participation.organization_id == absent_id:
            participation.attendance = Attendance.ABSENT
            continue
        participation.attendance = Attendance.CHECKED_IN
        participation.checked_in_dt = event.starts_at - timedelta(minutes=rng.randint(5, 40))
        participation.checked_in_by_id = reviewer.id
    missed = [m for m in meetings if absent_id in (m.request.from_org_id, m.request.to_org_id)]
    for meeting in missed:
        no_shows.append(NoShow(
            event_id=event.id, organization_id=absent_id, meeting_id=meeting.id, reason=NoShowReason.TRAVEL,
            note="Flight cancelled; told the office the evening before.",
            recorded_by_id=reviewer.id, recorded_dt=event.starts_at,
        ))
    others = [m for m in meetings if m not in missed]
    if len(others) > 3:
        skipped = others[len(others) // 2]
        company_id = next(o for o in (skipped.request.from_org_id, skipped.request.to_org_id)
                          if by_id[o].kind == OrgKind.COMPANY)
        no_shows.append(NoShow(
            event_id=event.id, organization_id=company_id, meeting_id=skipped.id, reason=NoShowReason.NO_NOTICE,
            recorded_by_id=reviewer.id, recorded_dt=skipped.start_dt + timedelta(minutes=10),
        ))
        others.remove(skipped)
    session.add_all(no_shows)

    feedback = []
    deals = {kind: list(outcomes) for kind, outcomes in DEALS.items()}
    for meeting in others:
        pair = [by_id[meeting.request.from_org_id], by_id[meeting.request.to_org_id]]
        partner = next(o for o in pair if o.kind != OrgKind.COMPANY)
        # Investors are few at this day: the first one held gets the demo's investment.
        lucky = partner.kind == OrgKind.INVESTOR or rng.random() < 0.8
        outcome = deals[partner.kind].pop(0) if deals[partner.kind] and lucky else Outcome.NONE
        for org in pair:
            if rng.random() < 0.15:
                continue  # not every side answers
            feedback.append(_feedback(rng, event, meeting, org, outcome, members[org.external_id]))
    session.add_all(feedback)
    return {"no_shows": len(no_shows), "feedback": len(feedback)}


def _feedback(rng, event: Event, meeting: Meeting, org: Organization, outcome: Outcome, user: User) -> Feedback:
    if outcome != Outcome.NONE:
        rating, follow_up = rng.choice((4, 5, 5)), True
        # A side may report less than the other (one signed the MOU, the other still calls it a pilot).
        if outcome != Outcome.INVESTMENT and rng.random() < 0.25:
            outcome = Outcome.NDA
    else:
        rating = rng.choice((1, 2, 3, 3, 4))
        follow_up = rating >= 4
    amount = expected = None
    if follow_up:
        amount = rng.choice((50, 80, 120, 200, 300, 500)) * 1_000
    if outcome in (Outcome.MOU, Outcome.PURCHASE_ORDER, Outcome.INVESTMENT):
        expected = rng.choice((3, 5, 8, 12, 20)) * 100_000
    elif outcome == Outcome.POC:
        expected = rng.choice((1, 2, 3)) * 100_000
    given: datetime = event.ends_at + timedelta(days=rng.uniform(0.2, 5))
    updated = given + timedelta(days=rng.uniform(10, 30)) if expected else given
    return Feedback(
        meeting_id=meeting.id, organization_id=org.id, user_id=user.id, rating=rating, follow_up=follow_up,
        outcome=outcome, amount_usd=amount, expected_amount_usd=expected, comment=rng.choice(COMMENTS),
        created_dt=given, updated_dt=updated,
    )
