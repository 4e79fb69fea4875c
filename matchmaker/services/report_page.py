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


def scope_choices(offices: list[Office]) -> dict:
    """What the scope picker offers: the offices, their programs (latest first), their days (latest first) and
    the years to pick from."""
    programs = db.session.scalars(_programs_query(), {"office_ids": [o.id for o in offices]}).unique().all()
    events = [e for p in programs for e in p.events]
    events.sort(key=lambda e: e.date, reverse=True)
    # The years of the offices' days are those of these events (service.years would read them again).
    return {"offices": offices, "programs": programs, "events": events,
            "years": service.years_of(e.date for e in events)}


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
