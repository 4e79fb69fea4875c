"""Deterministic two-sided matchmaking days for benchmarks and tests.

A hybrid day hosted by an overseas office: Korean companies meet foreign investors and buyers, some in person
(at a table, in the event's time zone, a few arriving late or leaving early) and some online from Seoul,
Singapore, New York or London, available only in their own waking hours. Popular partners draw more requests,
a few meetings need an interpreter, are fixed, follow an earlier meeting of the same pair, or belong to the
afternoon session. Same seed, same instance.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from matchmaker.scheduling.instance import Instance, Meeting, Participant, Resource, Slot, Window

EVENT_ZONE = "America/Los_Angeles"
ONLINE_ZONES = ["Asia/Seoul", "Asia/Singapore", "America/New_York", "Europe/London"]


def generate_event(
    n_participants: int,
    seed: int = 0,
    *,
    meetings_per_participant: float = 5.0,
    max_meetings_total: int = 5000,
    slot_minutes: int = 20,
    day: str = "2027-03-10",
    max_break_spread: int | None = 3,
) -> Instance:
    rng = random.Random(seed)
    zone = ZoneInfo(EVENT_ZONE)
    base = datetime.fromisoformat(day)
    slots = []
    t = base.replace(hour=8, tzinfo=zone)
    while t.hour < 18:
        if t.hour != 12:  # lunch
            end = t + timedelta(minutes=slot_minutes)
            slots.append(Slot(f"s{len(slots) + 1:02d}", "am" if t.hour < 12 else "pm", _fixed(t), _fixed(end)))
        t += timedelta(minutes=slot_minutes)
    n_companies = max(2, round(n_participants * 0.45))
    people = []
    online = {}
    for k in range(n_participants):
        side = "company" if k < n_companies else "partner"
        pid = f"{'c' if side == 'company' else 'p'}{k + 1:04d}"
        if rng.random() < 0.3:
            tz = rng.choice(ONLINE_ZONES)
            local = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(tz))
            # Their waking day around the event day, as windows in their own offset.
            windows = tuple(
                Window(
                    _fixed(local.replace(hour=7) + timedelta(days=d)),
                    _fixed(local.replace(hour=22) + timedelta(days=d)),
                )
                for d in (0, 1)
            )
            online[pid] = True
        else:
            tz = EVENT_ZONE
            windows = None
            r = rng.random()
            if r < 0.1:
                windows = (Window(slots[rng.randrange(3, 9)].start, slots[-1].end),)  # arrives late
            elif r < 0.2:
                windows = (Window(slots[0].start, slots[rng.randrange(len(slots) - 9, len(slots) - 3)].end),)
            online[pid] = False
        unavailable = frozenset()
        if rng.random() < 0.1:  # a pitch on stage or a call
            a = rng.randrange(len(slots) - 3)
            unavailable = frozenset(s.id for s in slots[a : a + rng.randint(1, 3)])
        people.append(
            Participant(
                id=pid,
                side=side,
                timezone=tz,
                unavailable_slots=unavailable,
                available=windows,
                max_meetings=rng.choice([6, 8, 10]) if side == "partner" and rng.random() < 0.2 else None,
            )
        )
    probe = Instance(slots=tuple(slots), participants=tuple(people), meetings=())
    avail = probe.available_slots
    companies = [p for p in people if p.side == "company" and avail[p.id]]
    partners = [p for p in people if p.side == "partner" and avail[p.id]]
    popularity = [1.0 / (r + 1) ** 0.6 for r in range(len(partners))]
    rng.shuffle(partners)
    target = min(max_meetings_total, round(n_participants * meetings_per_participant))
    degree = {p.id: 0 for p in people}
    room = {p.id: min(len(avail[p.id]) - 1, p.max_meetings or 99) for p in people}
    pairs: set[tuple[str, str]] = set()
    meetings: list[Meeting] = []
    attempts = 0
    while len(meetings) < target and attempts < target * 50:
        attempts += 1
        c = rng.choice(companies)
        p = rng.choices(partners, popularity)[0]
        if (c.id, p.id) in pairs or degree[c.id] >= room[c.id] or degree[p.id] >= room[p.id]:
            continue
        if len(avail[c.id] & avail[p.id]) < 2:
            continue  # an office would not accept a request that can never happen
        pairs.add((c.id, p.id))
        degree[c.id] += 1
        degree[p.id] += 1
        mid = f"m{len(meetings) + 1:05d}"
        weight = rng.choices([1, 2, 3], [0.5, 0.3, 0.2])[0]
        needs = ("interpreter-ko-en",) if rng.random() < 0.1 else ()
        session = "pm" if rng.random() < 0.02 else None
        meetings.append(
            Meeting(
                mid, (c.id, p.id), weight, session=session, table_needed=not (online[c.id] or online[p.id]), needs=needs
            )
        )
        if rng.random() < 0.01 and len(meetings) < target:  # a follow-up of the same pair
            meetings.append(
                Meeting(
                    f"m{len(meetings) + 1:05d}", (c.id, p.id), 1, after=(mid,), table_needed=meetings[-1].table_needed
                )
            )
    # A few meetings fixed by the office (VIP slots), never two for the same person in one slot.
    taken: set[tuple[str, int]] = set()
    for k, m in enumerate(meetings):
        if rng.random() < 0.01 and not m.after and m.session is None:
            a, b = m.participants
            options = [s for s in sorted(avail[a] & avail[b]) if (a, s) not in taken and (b, s) not in taken]
            if options:
                s = rng.choice(options)
                taken |= {(a, s), (b, s)}
                meetings[k] = Meeting(
                    m.id, m.participants, m.weight, fixed_slot=slots[s].id, table_needed=m.table_needed, needs=m.needs
                )
    in_person = sum(m.table_needed for m in meetings)
    interpreted = sum(bool(m.needs) for m in meetings)
    return Instance(
        name=f"generated-{n_participants}-seed{seed}",
        timezone=EVENT_ZONE,
        slots=tuple(slots),
        tables=max(1, math.ceil(in_person / len(slots) * 1.2)),
        resources=(Resource("interpreter-ko-en", max(1, math.ceil(interpreted / len(slots) * 1.3))),),
        require_all=False,
        max_break_spread=max_break_spread,
        participants=tuple(people),
        meetings=tuple(meetings),
    )


def _fixed(t: datetime) -> datetime:
    """The same instant with a fixed UTC offset, as written in the JSON format."""
    return datetime.fromisoformat(t.isoformat())
