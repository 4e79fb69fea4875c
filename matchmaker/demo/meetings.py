"""Demo meeting requests between approved companies and partners, and a schedule for the accepted ones.

Pairs are drawn at random but weighted by how well the two profiles fit, so the demo requests look like
what people would really ask for (and a recommender shown beside them does not look foolish).
"""

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from matchmaker.domain.languages import meeting_language
from matchmaker.enums import OrgKind, ParticipationStatus, RequestStatus
from matchmaker.models import Event, InterpreterSlot, Meeting, MeetingRequest, MeetingSeat, Organization, User
from matchmaker.services import changes

PER_ORG_CAP = 6  # requests per organization per day: busy, but a day of 6-14 slots stays schedulable
SECTOR_WORDS = {
    "ai": "AI",
    "ai-chips": "AI chips",
    "cloud": "cloud infrastructure",
    "saas": "business software",
    "metaverse": "the metaverse",
    "digital-health": "digital health",
    "fintech": "fintech",
    "cybersecurity": "cybersecurity",
    "mobility": "mobility",
    "edtech": "education technology",
    "iot": "IoT",
    "robotics": "robotics",
    "gaming": "games",
    "e-commerce": "e-commerce",
}
COUNTRY_NAMES = {
    "US": "the US",
    "SG": "Singapore",
    "ID": "Indonesia",
    "VN": "Vietnam",
    "TH": "Thailand",
    "MY": "Malaysia",
    "PH": "the Philippines",
    "KR": "Korea",
}
# How the demo accounts' requests look, so each account has one of everything to click on:
# (the anchor sent it, status)
ANCHOR_PATTERN = (
    (True, RequestStatus.REQUESTED),
    (False, RequestStatus.REQUESTED),
    (True, RequestStatus.ACCEPTED),
    (False, RequestStatus.ACCEPTED),
    (False, RequestStatus.DECLINED),
)


def affinity(company: Organization, partner: Organization) -> float:
    """Shared sector weight, plus a little for a market and a stage in common."""
    shared = sum(min(weight, partner.sectors.get(sector, 0.0)) for sector, weight in company.sectors.items())
    market = 0.3 if set(company.markets) & set(partner.markets) else 0.0
    stage = 0.2 if set(company.stages) & set(partner.stages) else 0.0
    return shared + market + stage


def add_requests(
    session,
    rng,
    event: Event,
    by_id: dict[int, Organization],
    members: dict[str, User],
    count: int,
    status_weights: dict[RequestStatus, int],
    window: tuple[datetime, datetime],
    anchors: tuple[Organization, ...] = (),
) -> list[MeetingRequest]:
    """About `count` requests between approved companies and approved partners, one per pair at most."""
    approved = [
        by_id[p.organization_id] for p in event.participations if p.status == ParticipationStatus.APPROVED
    ]
    companies = [o for o in approved if o.kind == OrgKind.COMPANY]
    partners = [o for o in approved if o.kind != OrgKind.COMPANY]
    # Weighted sampling without replacement (Efraimidis-Spirakis): the highest u ** (1/w) wins.
    ranked = sorted(
        ((rng.random() ** (1 / (0.1 + affinity(c, p))), c, p) for c in companies for p in partners),
        key=lambda item: item[0],
        reverse=True,
    )
    load: dict[int, int] = defaultdict(int)
    chosen: list[
        tuple[Organization, Organization, bool, RequestStatus]
    ] = []  # company, partner, sent by company

    def take(company, partner, company_sends, status):
        chosen.append((company, partner, company_sends, status))
        load[company.id] += 1
        load[partner.id] += 1

    for anchor in anchors:
        pattern = iter(ANCHOR_PATTERN)
        for _, company, partner in ranked:
            if anchor not in (company, partner) or _taken(chosen, company, partner):
                continue
            anchor_sends, status = next(pattern, (None, None))
            if status is None:
                break
            take(company, partner, anchor_sends == (anchor is company), status)
    statuses, weights = list(status_weights), list(status_weights.values())
    for _, company, partner in ranked:
        if len(chosen) >= count:
            break
        if (
            load[company.id] < PER_ORG_CAP
            and load[partner.id] < PER_ORG_CAP
            and not _taken(chosen, company, partner)
        ):
            take(company, partner, rng.random() < 0.75, rng.choices(statuses, weights)[0])

    requests = [_request(rng, event, members, c, p, sends, status, window) for c, p, sends, status in chosen]
    session.add_all(requests)
    return requests


def place_meetings(
    session,
    rng,
    event: Event,
    requests: list[MeetingRequest],
    by_id: dict[int, Organization],
    scheduled_dt: datetime,
) -> list[Meeting]:
    """A meeting for each accepted request: nobody twice in a slot, one table (or video room) each, availability
    kept."""
    slots = event.slots()
    rooms = {room["label"]: room["url"] for room in event.virtual_rooms or []}
    labels = list(rooms) or [f"T{n}" for n in range(1, (event.tables or 0) + 1)] or None
    windows = {
        p.organization_id: [
            (datetime.fromisoformat(w["start"]), datetime.fromisoformat(w["end"])) for w in p.availability
        ]
        for p in event.participations
        if p.availability
    }
    busy: dict[int, set[int]] = defaultdict(set)
    used = [0] * len(slots)
    meetings = []
    for request in requests:
        if request.status != RequestStatus.ACCEPTED:
            continue
        pair = (request.from_org_id, request.to_org_id)
        free = [
            s
            for s in slots
            if (labels is None or used[s.index] < len(labels))
            and all(s.index not in busy[o] and _available(windows.get(o), s.start, s.end) for o in pair)
        ]
        if not free:
            raise RuntimeError(f"demo schedule for {event.title!r} has no slot for request {request.id}")
        # The emptiest slot, ties broken at random, spreads meetings over the whole day.
        slot = min(free, key=lambda s: (used[s.index], rng.random()))
        used[slot.index] += 1
        for org_id in pair:
            busy[org_id].add(slot.index)
        language, interpreter = _meeting_language(by_id[pair[0]], by_id[pair[1]])
        meeting = Meeting(
            uid=f"meeting-{event.id}-{request.id}@matchmaker",
            event_id=event.id,
            request=request,
            start_dt=slot.start,
            end_dt=slot.end,
            table_label=labels[used[slot.index] - 1] if labels else None,
            online_url=rooms.get(labels[used[slot.index] - 1]) if rooms else event.online_url,
            language=language,
            interpreter=interpreter,
            created_dt=scheduled_dt,
            updated_dt=scheduled_dt,
            # The demo's days are published and their invitations went out when they were scheduled: nothing is
            # waiting to be sent, and a later move reads as a move from here.
            sequence=0,
            invited_sequence=0 if event.published else None,
            seats=[MeetingSeat(organization_id=org_id, start_dt=slot.start) for org_id in pair],
        )
        meetings.append(meeting)
    session.add_all(meetings)
    _book_interpreters(session, event, meetings)
    if event.published:
        session.flush()  # ids: what the calendars were told is kept against the meeting
        for meeting in meetings:
            changes.remember_seen(meeting)
    return meetings


def _request(rng, event, members, company, partner, company_sends, status, window) -> MeetingRequest:
    sender, receiver = (company, partner) if company_sends else (partner, company)
    start, end = window
    created = start + (end - start) * rng.uniform(0.0, 0.9)
    responded = None
    if status in (RequestStatus.ACCEPTED, RequestStatus.DECLINED):  # expired ones were never answered
        responded = min(created + timedelta(hours=rng.uniform(3, 72)), end)
    return MeetingRequest(
        event_id=event.id,
        from_org_id=sender.id,
        to_org_id=receiver.id,  # the model's @validates hook fills org_low_id / org_high_id
        message=_message(rng, company, partner, company_sends),
        status=status,
        created_by_id=members[sender.external_id].id,
        created_dt=created,
        updated_dt=responded or created,
        responded_dt=responded,
    )


def _message(rng, company: Organization, partner: Organization, company_sends: bool) -> str | None:
    if rng.random() < 0.15:
        return None  # the message is optional, and some people leave it empty
    shared = [
        s for s in sorted(company.sectors, key=company.sectors.get, reverse=True) if s in partner.sectors
    ]
    sector = SECTOR_WORDS.get((shared or list(company.sectors))[0], "technology")
    market = COUNTRY_NAMES.get(partner.country, partner.country)
    name = company.name_latin or company.name
    if company_sends and partner.kind == OrgKind.INVESTOR:
        return (
            f"Hello from {name}. We are raising our {company.stages[0]} round, and your focus on {sector} "
            f"fits what we build. We would like to walk you through our traction and our plans for {market}."
        )
    if company_sends:
        return (
            f"Hello from {name}. We would like to explore a pilot with {partner.name}: customers in Korea "
            f"use us for {sector}, and we are preparing our launch in {market}."
        )
    if partner.kind == OrgKind.INVESTOR:
        return f"We invest in {sector} and would like to hear about {name}'s plans for {market}."
    return (
        f"We are looking for {sector} solutions for our business in {market} and would like to meet {name}."
    )


def _taken(chosen, company, partner) -> bool:
    return any(c is company and p is partner for c, p, _, _ in chosen)


def _available(windows: list[tuple[datetime, datetime]] | None, start: datetime, end: datetime) -> bool:
    return not windows or any(w_start <= start and end <= w_end for w_start, w_end in windows)


def _meeting_language(a: Organization, b: Organization) -> tuple[str | None, bool]:
    """English when both speak it, else another shared language, else an interpreter for their pair (stored as
    the app stores it: the pair's code, 'id-ko')."""
    if "en" in a.languages and "en" in b.languages:
        return "en", False
    spoken = meeting_language(a.languages, b.languages)
    return spoken.code, spoken.needs_interpreter


def _book_interpreters(session, event: Event, meetings: list[Meeting]) -> None:
    """The office booked as many interpreters of each pair as its busiest slot needs (as staff enter them on the
    languages page), so that the demo's schedule keeps the interpreter rule the board checks."""
    busiest: Counter = Counter()
    for (code, _start), n in Counter((m.language, m.start_dt) for m in meetings if m.interpreter).items():
        busiest[code] = max(busiest[code], n)
    for code, n in sorted(busiest.items()):
        first, second = code.split("-")
        session.add(InterpreterSlot(event_id=event.id, language_a=first, language_b=second, count=n))
