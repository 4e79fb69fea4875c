"""Two-sided matchmaking days across time zones, for benchmarks: companies in one zone, partners in another.

Three kinds of day, after the offices' own events:

* `seoul-pacific`: Korean companies at tables in a Seoul hall, investors online from Los Angeles and Vancouver,
  awake 07:00-22:00 their time, so only the Seoul morning is shared;
* `ballroom`: a Jakarta ballroom, everyone in person, few tables for the crowd, and Korean-Indonesian and
  Korean-English interpreters, few of them, all needed by many meetings;
* `hybrid`: Singapore, half the partners at tables, half online from London and New York (the Singapore
  afternoon and evening are their morning).

Companies request partners with a popularity skew (a few partners are wanted by many), weights 1-3; the
number of requests per company is `requests`. Same arguments, same instance.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from matchmaker.scheduling.instance import Instance, Meeting, Participant, Resource, Slot, Window

KINDS = {
    # kind: (event zone, partner zones online, share of partners online, hours of the day)
    "seoul-pacific": ("Asia/Seoul", ["America/Los_Angeles", "America/Vancouver"], 1.0, (9, 18)),
    "ballroom": ("Asia/Jakarta", [], 0.0, (9, 17)),
    "hybrid": ("Asia/Singapore", ["Europe/London", "America/New_York"], 0.5, (10, 22)),
}


def zone_day(kind: str, n_companies: int, n_partners: int, seed: int = 0, *, requests: int = 8,
             day: str = "2027-04-14", slot_minutes: int = 20) -> Instance:
    zone_name, online_zones, online_share, (h0, h1) = KINDS[kind]
    rng = random.Random(f"{kind}-{n_companies}-{n_partners}-{seed}")
    zone = ZoneInfo(zone_name)
    base = datetime.fromisoformat(day)
    slots = []
    t = base.replace(hour=h0, tzinfo=zone)
    while t.hour < h1:
        if t.hour not in (12, 18):  # lunch and dinner
            end = t + timedelta(minutes=slot_minutes)
            slots.append(Slot(f"s{len(slots) + 1:02d}", "am" if t.hour < 12 else "pm", _fixed(t), _fixed(end)))
        t += timedelta(minutes=slot_minutes)
    people = []
    online: dict[str, bool] = {}
    language: dict[str, str] = {}
    for k in range(n_companies):
        pid = f"c{k + 1:04d}"
        late = rng.random() < 0.1  # arrives after the opening talks
        window = (Window(slots[rng.randrange(2, 6)].start, slots[-1].end),) if late else None
        people.append(Participant(pid, side="company", timezone=zone_name, available=window))
        online[pid] = False
        language[pid] = "ko"
    for k in range(n_partners):
        pid = f"p{k + 1:04d}"
        if rng.random() < online_share:
            tz = rng.choice(online_zones)
            local = base.replace(tzinfo=ZoneInfo(tz))
            windows = tuple(
                Window(_fixed(local.replace(hour=7) + timedelta(days=d)),
                       _fixed(local.replace(hour=22) + timedelta(days=d)))
                for d in (-1, 0, 1)
            )
            people.append(Participant(pid, side="partner", timezone=tz, available=windows))
            online[pid] = True
        else:
            off = frozenset()
            if rng.random() < 0.15:  # a panel or a call
                a = rng.randrange(len(slots) - 3)
                off = frozenset(s.id for s in slots[a : a + 3])
            people.append(Participant(pid, side="partner", timezone=zone_name, unavailable_slots=off,
                                      max_meetings=rng.choice([8, 10, 12]) if rng.random() < 0.3 else None))
            online[pid] = False
        language[pid] = rng.choices(["en", "id", "ko"], [0.6, 0.3 if kind == "ballroom" else 0.0, 0.1])[0]
    probe = Instance(slots=tuple(slots), participants=tuple(people), meetings=())
    avail = probe.available_slots
    companies = [p.id for p in people if p.side == "company"]
    partners = [p.id for p in people if p.side == "partner"]
    rng.shuffle(partners)
    popularity = [1.0 / (r + 1) ** 0.7 for r in range(len(partners))]
    meetings = []
    for c in companies:
        wanted: set[str] = set()
        for _ in range(requests * 4):
            if len(wanted) >= requests:
                break
            p = rng.choices(partners, popularity)[0]
            if p not in wanted and len(avail[c] & avail[p]) >= 1:
                wanted.add(p)
        for p in sorted(wanted):
            needs = () if language[p] == "ko" else (f"interpreter-ko-{language[p]}",) if rng.random() < 0.5 else ()
            meetings.append(Meeting(f"m{len(meetings) + 1:05d}", (c, p), rng.choices([1, 2, 3], [0.5, 0.3, 0.2])[0],
                                    table_needed=not (online[c] or online[p]), needs=needs))
    in_person = sum(m.table_needed for m in meetings)
    resources = []
    for lang in ("en", "id"):
        n = sum(1 for m in meetings if m.needs == (f"interpreter-ko-{lang}",))
        if n:
            resources.append(Resource(f"interpreter-ko-{lang}", max(1, math.ceil(0.6 * n / len(slots)))))
    return Instance(
        name=f"{kind}-{n_companies}c{n_partners}p-seed{seed}",
        timezone=zone_name,
        slots=tuple(slots),
        tables=max(1, math.ceil(0.7 * in_person / len(slots))) if in_person else None,
        resources=tuple(resources),
        participants=tuple(people),
        meetings=tuple(meetings),
        max_break_spread=None,
    )


def _fixed(t: datetime) -> datetime:
    """The same instant with a fixed UTC offset, as written in the JSON format."""
    return datetime.fromisoformat(t.isoformat())
