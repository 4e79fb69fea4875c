"""The recommender applied to an event: approved participants as profiles, staff's pair rules as
constraints, the stored model (`services.recommender_model`) when one was refitted, results cached in
`recommendations` and recomputed in the background when inputs change (`schedule_recompute`, once the caller
commits); staff e-mail each participant its suggestions once. It never commits."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import selectinload

from matchmaker.domain.profile_texts import all_texts
from matchmaker.enums import OrgKind, PairRuleKind, ParticipationStatus
from matchmaker.extensions import db
from matchmaker.jobs import enqueue_after_commit
from matchmaker.matching import Profile, profile_from_dict, rank
from matchmaker.models import Event, Organization, OutboxMessage, PairRule, Participation, Recommendation, User
from matchmaker.services import audit
from matchmaker.services.consents import provision_given
from matchmaker.services.locking import lock_rows, refused_as
from matchmaker.services.mail import queue_email
from matchmaker.services.recommender_model import stored_model

TOP_K = 10
SUGGESTIONS_PER_EMAIL = 5


def profile_of(org: Organization) -> Profile:
    """An organization as the recommender's profile (../shared/formats/profile.md); its description is the texts of
    every language it wrote one in, the original first (a single text as it is)."""
    data = {
        "id": str(org.id),
        "kind": org.kind.value,
        "name": org.name_latin or org.name,
        "sectors": org.sectors or {},
        "stages": org.stages or [],
        "description": all_texts(org.description, org.description_lang, org.texts),
        "markets": org.markets or [],
        "languages": org.languages or [],
        "existing_investors": org.existing_investors or [],
        "portfolio": org.portfolio or [],
    }
    if org.country:
        data["country"] = org.country
    if org.timezone:
        data["timezone"] = org.timezone
    if org.ticket_min_usd is not None or org.ticket_max_usd is not None:
        low = org.ticket_min_usd or 0
        data["ticket_usd"] = [low, org.ticket_max_usd if org.ticket_max_usd is not None else max(low, 0)]
    return profile_from_dict(data)


def approved_organizations(event: Event) -> list[Organization]:
    """The event's approved participants, by id."""
    return list(db.session.scalars(
        select(Organization).join(Participation).where(
            Participation.event_id == event.id, Participation.status == ParticipationStatus.APPROVED
        ).order_by(Organization.id)
    ))


def compute(event: Event) -> int:
    """Rank partners for every approved company of the event and store the lists. Returns rows stored."""
    orgs = approved_organizations(event)
    companies = [profile_of(o) for o in orgs if o.kind == OrgKind.COMPANY]
    partners = [profile_of(o) for o in orgs if o.kind != OrgKind.COMPANY]
    rules = db.session.scalars(select(PairRule).where(PairRule.event_id == event.id)).all()
    kind_of = {o.id: o.kind for o in orgs}
    pairs = {PairRuleKind.FORCED: [], PairRuleKind.FORBIDDEN: []}
    for rule in rules:
        a, b = rule.org_low_id, rule.org_high_id
        if a in kind_of and b in kind_of:
            company, partner = (a, b) if kind_of[a] == OrgKind.COMPANY else (b, a)
            pairs[rule.kind].append((str(company), str(partner)))
    db.session.execute(delete(Recommendation).where(Recommendation.event_id == event.id))
    if not companies or not partners:
        return 0
    # With the model refitted from outcomes, if any.
    ranking = rank(companies, partners, model=stored_model(), top_k=TOP_K, forced=pairs[PairRuleKind.FORCED],
                   forbidden=pairs[PairRuleKind.FORBIDDEN])
    rows = [
        Recommendation(
            event_id=event.id, company_id=int(company_id), partner_id=int(s.partner_id), rank=position,
            score=round(s.score, 6), forced=s.forced, reasons=[[code, params] for code, params in s.reasons],
        )
        for company_id, suggestions in ranking.lists.items()
        for position, s in enumerate(suggestions, start=1)
    ]
    db.session.add_all(rows)
    return len(rows)


def recompute_job(event_id: int) -> None:
    """Background: the event's lists computed again (run by `matchmaker.jobs` as one transaction)."""
    event = db.session.get(Event, event_id)
    if event is not None:
        compute(event)


def schedule_recompute(event_ids) -> None:
    """Ask for fresh recommendations once the caller's change is committed (at once when it already is)."""
    for event_id in sorted(set(event_ids)):
        enqueue_after_commit(recompute_job, event_id)


def events_of(org: Organization) -> list[int]:
    return [p.event_id for p in org.participations if p.status == ParticipationStatus.APPROVED]


def for_company(event: Event, org: Organization) -> list[Recommendation]:
    """The company's list, best first, each with its partner (loaded together: one query, not one per line)."""
    return list(db.session.scalars(_lists()["company"], {"event_id": event.id, "org_id": org.id}))


def for_partner(event: Event, org: Organization) -> list[Recommendation]:
    """The companies in whose lists this partner appears, best match first, each with its company."""
    return list(db.session.scalars(_lists()["partner"], {"event_id": event.id, "org_id": org.id}))


@cache
def _lists() -> dict:
    """Both queries, built once with the day and the organization as parameters (the recommendations page runs
    one on every view; building a select with its loader option costs about as much as running it). Only the
    counterparts shown to partners (`consents.provision_given`) are listed."""
    event_id, org_id = bindparam("event_id"), bindparam("org_id")
    return {
        "company": select(Recommendation).where(Recommendation.event_id == event_id,
                                                Recommendation.company_id == org_id,
                                                provision_given(Recommendation.partner_id))
        .options(selectinload(Recommendation.partner)).order_by(Recommendation.rank),
        "partner": select(Recommendation).where(Recommendation.event_id == event_id,
                                                Recommendation.partner_id == org_id,
                                                provision_given(Recommendation.company_id))
        .options(selectinload(Recommendation.company))
        .order_by(Recommendation.forced.desc(), Recommendation.score.desc()),
    }


@dataclass(frozen=True)
class Shortlisted:
    """A shortlisted organization the recommender did not suggest, listed with the suggestions (no score)."""

    org: Organization
    score: None = None
    reasons: tuple = ()

    @property
    def partner(self) -> Organization:
        return self.org

    @property
    def company(self) -> Organization:
        return self.org


def shortlist_first(items: list, counterparts: list[Organization], shortlist: frozenset[int],
                    is_company: bool) -> list:
    """The member-facing list: the shortlisted organizations first (those suggested in the recommender's order,
    then the others of the day's other side by name), then the rest in the recommender's order. The stored
    ranking is not changed: only what this member reads."""
    def org_of(item) -> Organization:
        return item.partner if is_company else item.company

    suggested = {org_of(item).id for item in items}
    raised = [item for item in items if org_of(item).id in shortlist]
    extra = [Shortlisted(org) for org in counterparts if org.id in shortlist and org.id not in suggested]
    return raised + extra + [item for item in items if org_of(item).id not in shortlist]


def cached(event: Event) -> bool:
    return db.session.scalar(select(Recommendation.id).where(Recommendation.event_id == event.id).limit(1)) is not None


@dataclass(frozen=True)
class SuggestionsSent:
    count: int  # e-mails queued now
    first_sent_dt: datetime | None  # when this day's suggestions first went out (None: this is the first time)


def send_suggestions(actor: User, event: Event) -> SuggestionsSent:
    """E-mail every approved participant's people their best suggestions, each in their own language, once
    per person and day: the outbox's unique key per recipient and day skips whoever already has theirs, so
    a second click (or two staff at once) sends nothing twice, and only people approved since get theirs."""
    lock_rows(Event, [event.id])  # two clicks at once take turns: the second sees the keys the first wrote
    prefix = f"suggestions:{event.id}:"
    earlier = OutboxMessage.dedupe_key.startswith(prefix, autoescape=True)
    first_sent = db.session.scalar(select(func.min(OutboxMessage.created_dt)).where(earlier))
    done = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(earlier)))
    count = 0
    for org in approved_organizations(event):
        items = (for_company(event, org) if org.kind == OrgKind.COMPANY else for_partner(event, org))
        items = items[:SUGGESTIONS_PER_EMAIL]
        if not items:
            continue
        names = [(r.partner if org.kind == OrgKind.COMPANY else r.company).display_name for r in items]
        for user in org.users:
            key = f"{prefix}{user.id}"
            if user.active and key not in done:
                message = queue_email(user, "suggestions", _l("Who to meet at %(event)s", event=event.title),
                                      "suggestions", event=event, names=names)
                message.dedupe_key = key
                count += 1
    with refused_as(_l("Suggestions for this day were being sent at the same moment; look at the outbox.")):
        audit.record(actor, "send_suggestions", event, messages=count)
    return SuggestionsSent(count, first_sent)
