"""Which state a meeting request is in, as its two sides and staff are told: the one rule every page uses
(`services.unplaced.state_of` reads a request for it). Plain Python: it takes plain facts, not models.

An accepted request is only "scheduled" once its time is shown to participants (the day is published, or
participants pick their slots); until then it waits for the schedule, unless the last scheduler run could not
place it: then it is "not scheduled", with that run's reason.
"""

from enum import StrEnum


class RequestState(StrEnum):
    REQUESTED = "requested"  # waiting for the other side's answer
    WAITING = "waiting"  # accepted, waiting for the schedule
    NOT_SCHEDULED = "not_scheduled"  # accepted, a scheduler run could not place it
    SCHEDULED = "scheduled"  # accepted, with a time participants see
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


def request_state(status: str, *, placed: bool, shown: bool, unplaced: bool) -> RequestState:
    """The state of a request whose status (the stored one) is `status`: `placed` when it has a scheduled
    meeting, `shown` when the day's times are shown to participants, `unplaced` when the last run left it out
    with a reason. A meeting placed wins over a reason (placing clears it)."""
    if status != "accepted":
        return RequestState(status)
    if placed:
        return RequestState.SCHEDULED if shown else RequestState.WAITING
    return RequestState.NOT_SCHEDULED if unplaced else RequestState.WAITING
