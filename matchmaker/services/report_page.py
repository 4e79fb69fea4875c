"""What the reports dashboard reads and builds besides the figures themselves: the tables of a scope (read once
for the figures and a day's table of meetings), the scope picker's offices, programs, days and years, and the
stored recommender's record as the page shows it. It reads; it changes nothing."""

from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from matchmaker.extensions import db
from matchmaker.i18n import lazy_gettext as _l
from matchmaker.models import Event, Office, Program
from matchmaker.services import report_tables
from matchmaker.services import reports as service

BLOCK_LABELS = {
    "sector": _l("Sectors"),
    "stage": _l("Stages"),
    "ticket": _l("Ticket size"),
    "text": _l("Descriptions"),
    "market": _l("Markets"),
    "language": _l("Languages"),
    "activity": _l("Recent deals"),
    "coinvest": _l("Co-investors"),
    "follow_on": _l("Existing investors"),
}


def tables(kind: str, obj, events: list[Event]) -> list[report_tables.Table]:
    """Every table of a scope's report (`kind` and `obj` as `reports.events_in_scope` takes them); a day's report
    adds its table of meetings and feedback."""
    loaded = service.load(events)  # read once for the figures and the day's table of meetings
    lines = service.meeting_lines(obj, loaded) if kind == "event" else None
    return report_tables.build(service.report_for(events, loaded=loaded), events, lines)


@cache
def _programs_query():
    """The offices' programs, each with its days (one query), built once: the scope picker is on every report."""
    return (
        select(Program).where(Program.office_id.in_(bindparam("office_ids", expanding=True)))
        .options(joinedload(Program.events)).order_by(Program.start_date.desc())
    )


def selected(kind: str, obj, year: int) -> dict:
    """What each picker shows selected for a scope: its own value, and the values it belongs to (a day's program,
    office and year), so that no picker shows an unrelated first entry."""
    if kind == "event":
        return {"event": obj.id, "program": obj.program_id, "office": obj.program.office_id, "year": obj.date.year}
    if kind == "program":
        return {"event": None, "program": obj.id, "office": obj.office_id, "year": obj.start_date.year}
    if kind == "office":
        return {"event": None, "program": None, "office": obj.id, "year": year}
    return {"event": None, "program": None, "office": None, "year": year}


def scope_choices(offices: list[Office], picked: dict | None = None) -> dict:
    """What the scope picker offers: the offices, and the programs (latest first) and days (latest first) that
    belong with the scope shown (`picked`, from `selected`): the selected office's, or the selected year's when no
    office is; the years to pick from; and `selected` itself."""
    picked = picked or {}
    programs = db.session.scalars(_programs_query(), {"office_ids": [o.id for o in offices]}).unique().all()
    # The years of the offices' days are those of all their events (service.years would read them again).
    years = service.years_of(e.date for p in programs for e in p.events)
    if picked.get("office") is not None:
        programs = [p for p in programs if p.office_id == picked["office"]]
    elif picked.get("year") is not None:
        year = picked["year"]
        programs = [p for p in programs if p.start_date.year <= year <= p.end_date.year]
    events = [e for p in programs for e in p.events]
    if picked.get("office") is None and picked.get("year") is not None:
        events = [e for e in events if e.date.year == picked["year"]]
    events.sort(key=lambda e: e.date, reverse=True)
    return {"offices": offices, "programs": programs, "events": events, "years": years, "selected": picked}


def default_day(offices: list[Office], today: date) -> Event | None:
    """The day a report opens on when no scope is asked for: the offices' latest day that has begun (by its date),
    else their next one."""
    events = db.session.scalars(
        select(Event).join(Program, Event.program_id == Program.id)
        .where(Program.office_id.in_([o.id for o in offices])).options(joinedload(Event.program))
    ).all()
    past = [e for e in events if e.date <= today]
    if past:
        return max(past, key=lambda e: (e.date, e.id))
    return min(events, key=lambda e: (e.date, e.id), default=None)


def learning_summary(payload: dict | None) -> dict | None:
    """The stored model's record for the page: dates parsed, weights labelled, sorted by weight."""
    if not payload:
        return None
    data = payload.get("data") or {}

    def day(key):
        return date.fromisoformat(data[key]) if data.get(key) else None

    weights = payload["model"].get("weights", {})
    return {
        "data": data,
        "training": payload["model"].get("training"),
        "refitted": datetime.fromisoformat(data["refitted_dt"]) if data.get("refitted_dt") else None,
        "first_day": day("first_event_date"),
        "last_day": day("last_event_date"),
        "weights": sorted(
            ((str(BLOCK_LABELS.get(name, name)), weight) for name, weight in weights.items()), key=lambda w: -w[1]
        ),
    }
