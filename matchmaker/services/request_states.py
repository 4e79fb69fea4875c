"""What a meeting request's two sides and staff are told about it: its state (the rule is
`domain.request_state.request_state`; `state_of` reads a request for it), and, for an accepted request the last
scheduler run could not place, why and what would help, in the reader's language (`REASONS`, one text per code, the
same words on the members' pages and on the staff board).

The scheduler says why in its own terms (`scheduling.reasons`: participant ids, resources, its English sentence);
`stored_reason` turns that into what `MeetingRequest.unplaced_reason` keeps, {"code": ..., "params": {...}}, with
the side (company or partner) rather than an id, so the text can name the organization. It reads; it changes nothing.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from matchmaker.database import utcnow
from matchmaker.domain.request_state import RequestState, request_state
from matchmaker.enums import MeetingStatus, OrgKind, RequestStatus, SchedulingMode
from matchmaker.extensions import db
from matchmaker.i18n import lazy_gettext as _l  # Flask-Babel's, read through the request's kept catalog
from matchmaker.models import Event, MeetingRequest, Organization
from matchmaker.scheduling.schedule import Unscheduled

LABELS = {
    RequestState.REQUESTED: _l("Waiting for an answer"),
    RequestState.WAITING: _l("Accepted, waiting for the schedule"),
    RequestState.NOT_SCHEDULED: _l("Accepted, not scheduled"),
    RequestState.SCHEDULED: _l("Scheduled"),
    RequestState.DECLINED: _l("Declined"),
    RequestState.CANCELLED: _l("Cancelled"),
    RequestState.EXPIRED: _l("Expired"),
}

# code: (why, what would help). %(name)s is the organization of the reason's side.
REASONS = {
    "unavailable": (
        _l("%(name)s has no available time on this day."),
        _l("%(name)s can add available times."),
    ),
    "no_common_time": (
        _l("The two sides have no available time in common."),
        _l("Either side can add available times."),
    ),
    "fully_booked": (
        _l("At every time both sides are available, %(name)s already has another meeting."),
        _l("%(name)s can add available times, or the office can decide which meeting to keep."),
    ),
    "both_fully_booked": (
        _l("At every time both sides are available, one of them already has another meeting."),
        _l("Either side can add available times, or the office can decide which meetings to keep."),
    ),
    "max_meetings": (
        _l("%(name)s already has as many meetings as the office allows."),
        _l("The office can allow more meetings or decide which ones to keep."),
    ),
    "no_interpreter": (
        _l("No interpreter for their languages is free at a time both sides are available."),
        _l("More available times help; the office can also arrange an interpreter."),
    ),
    "no_table": (
        _l("Every table is taken at the times both sides are available."),
        _l("More available times help; the office can also add a table or place the meeting itself."),
    ),
    "time_limit": (
        _l("The scheduler ran out of time before placing it."),
        _l("The office can run the scheduler again with more time."),
    ),
    "staff_decision": (
        _l("It could not be fitted in with the day's other meetings."),
        _l("The office can decide: place it itself or change another meeting."),
    ),
}
# The reasons whose help is more availability (the side's, else either side's): the page links to it.
MORE_AVAILABILITY = frozenset({"unavailable", "no_common_time", "fully_booked", "both_fully_booked", "no_interpreter",
                               "no_table"})

# The scheduler's code (scheduling.reasons.CODES) -> ours; the ones not named are a staff decision.
FROM_SCHEDULER = {
    "unavailable": "unavailable",
    "no_common_slot": "no_common_time",
    "no_slot": "no_common_time",
    "fully_booked": "fully_booked",
    "too_few_slots": "fully_booked",
    "overloaded": "fully_booked",
    "both_fully_booked": "both_fully_booked",
    "booked_in_turn": "both_fully_booked",
    "max_meetings": "max_meetings",
    "no_interpreter": "no_interpreter",
    "no_tables": "no_table",
    "tables_full": "no_table",
    "time_limit": "time_limit",
}
RESOURCE_CODES = frozenset({"resource_capacity", "resource_missing", "resource_full", "resources_apart"})
SIDED = frozenset({"unavailable", "fully_booked", "max_meetings"})


def side_of(org: Organization) -> str:
    return "company" if org.kind == OrgKind.COMPANY else "partner"


def stored_reason(item: MeetingRequest, left_out: Unscheduled) -> dict:
    """What `item.unplaced_reason` keeps of the scheduler's reason for leaving it out."""
    code = FROM_SCHEDULER.get(left_out.code, "staff_decision")
    if left_out.code in RESOURCE_CODES:  # the day's only resources are interpreters (services.scheduling)
        resources = left_out.params.get("resources") or [left_out.params.get("resource", "")]
        code = "no_interpreter" if all(str(r).startswith("interp:") for r in resources) else "staff_decision"
    params: dict = {}
    if code in SIDED:
        who = str(left_out.params.get("participant"))
        org = next((o for o in (item.from_org, item.to_org) if str(o.id) == who), None)
        if org is None:  # cannot happen: the reason is about one of the pair
            code = "staff_decision"
        else:
            params["side"] = side_of(org)
    if code == "max_meetings":
        params["max"] = left_out.params.get("max")
    return {"code": code, "params": params}


def state_of(item: MeetingRequest) -> RequestState:
    """The request's state, as every page shows it."""
    if item.status != RequestStatus.ACCEPTED:
        return RequestState(item.status.value)
    meeting, event = item.meeting, item.event
    return request_state(
        item.status.value,
        placed=meeting is not None and meeting.status == MeetingStatus.SCHEDULED,
        shown=event.published or event.scheduling == SchedulingMode.PICK,
        unplaced=bool(item.unplaced_reason),
    )


@dataclass(frozen=True)
class StateText:
    """A request's state in words: its label, and when not scheduled, why and what would help."""

    state: RequestState
    label: str
    reason: str | None = None
    would_help: str | None = None
    # The organizations whose added availability would help (the page links them to their availability).
    availability_of: frozenset[int] = frozenset()


def describe(item: MeetingRequest) -> StateText:
    """The request's state with its words (why and what would help only when a run could not place it)."""
    state = state_of(item)
    label = str(LABELS[state])
    stored = item.unplaced_reason if state == RequestState.NOT_SCHEDULED else None
    if not stored:
        return StateText(state, label)
    code = stored.get("code") if stored.get("code") in REASONS else "staff_decision"
    params = stored.get("params") or {}
    org = next((o for o in (item.from_org, item.to_org) if side_of(o) == params.get("side")), None)
    if code in SIDED and org is None:  # a reason about a side it does not name: cannot happen, say no more
        code = "staff_decision"
    why, helps = REASONS[code]
    words = {"name": org.display_name if org is not None else ""}
    helped_by = frozenset()
    if code in MORE_AVAILABILITY:
        helped_by = frozenset({org.id} if org is not None else {item.from_org_id, item.to_org_id})
    return StateText(state, label, str(why) % words, str(helps) % words, helped_by)


def accepted_not_scheduled(organization_id: int) -> list[MeetingRequest]:
    """The organization's accepted requests of days from yesterday on that are waiting for the schedule or that
    the last run could not place (the agenda's section), the soonest day first."""
    since = (utcnow() - timedelta(days=1)).date()
    items = db.session.scalars(
        select(MeetingRequest).join(Event, MeetingRequest.event_id == Event.id)
        .where(or_(MeetingRequest.from_org_id == organization_id, MeetingRequest.to_org_id == organization_id),
               MeetingRequest.status == RequestStatus.ACCEPTED, Event.date >= since)
        .options(selectinload(MeetingRequest.meeting),
                 selectinload(MeetingRequest.event), selectinload(MeetingRequest.from_org),
                 selectinload(MeetingRequest.to_org))
        .order_by(Event.date, MeetingRequest.id)
    )
    return [r for r in items if state_of(r) in (RequestState.WAITING, RequestState.NOT_SCHEDULED)]
