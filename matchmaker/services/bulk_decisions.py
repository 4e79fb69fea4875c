"""Staff's one decision on several applications, with one reason: what it will do (whose status changes, the
approved participants' meetings cancelled, the e-mails that go out), read for the confirmation page, and doing it,
all or nothing. It never commits.

The preview carries a token of what it read; deciding refuses, naming them, when a selected participant's status is
not the one the page showed (a colleague decided meanwhile), and refuses a stale token, so nothing changes then.
"""

import hashlib
from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import select

from matchmaker.enums import ParticipationStatus
from matchmaker.extensions import db
from matchmaker.models import Meeting, Participation, User
from matchmaker.services import ServiceError
from matchmaker.services.confirmations import decide_with_meetings, meetings_cancelled_by_rejection
from matchmaker.services.locking import lock_rows

# From which status each decision changes a participant (a withdrawn application stays withdrawn).
CHANGES_FROM = {
    True: (ParticipationStatus.APPLIED, ParticipationStatus.REJECTED),
    False: (ParticipationStatus.APPLIED, ParticipationStatus.APPROVED),
}


@dataclass
class BulkDecision:
    approve: bool
    acting: list[Participation] = field(default_factory=list)  # whose status the decision changes
    unchanged: list[Participation] = field(default_factory=list)  # selected, left as they are (already so)
    cancelled: list[Meeting] = field(default_factory=list)  # approved participants' meetings, when rejecting
    emails: int = 0
    people: int = 0
    token: str = ""
    expected: dict[int, str] = field(default_factory=dict)  # each acting one's status as read (posted back)


def _active(org) -> list[User]:
    return [u for u in org.users if u.active]


def preview(participations: list[Participation], approve: bool) -> BulkDecision:
    """What deciding `approve` (or reject) on `participations` does: the decision e-mail to each acting
    organization's people; for a rejected approved participant, each scheduled meeting cancelled and both sides
    told (with a calendar cancellation when the invitation was sent)."""
    result = BulkDecision(approve)
    people: set[str] = set()
    digest = hashlib.sha256(f"{approve}".encode())
    for p in sorted(participations, key=lambda p: p.id):
        (result.acting if p.status in CHANGES_FROM[approve] else result.unchanged).append(p)
    result.expected = {p.id: p.status.value for p in result.acting}
    for p in result.acting:
        users = list(p.organization.users)  # `events.decide` tells every one of them
        result.emails += len(users)
        people.update(u.email for u in users)
        digest.update(f"|{p.id}:{p.status.value}:{len(users)}".encode())
        for meeting in meetings_cancelled_by_rejection(p) if not approve else []:
            if meeting in result.cancelled:  # both sides rejected: cancelled once
                continue
            result.cancelled.append(meeting)
            told = _active(meeting.request.from_org) + _active(meeting.request.to_org)
            calendars = meeting.event.published and meeting.invited_sequence is not None
            result.emails += len(told) * (2 if calendars else 1)
            people.update(u.email for u in told)
            digest.update(f"|m{meeting.id}:{meeting.sequence}:{len(told)}".encode())
    result.people = len(people)
    result.token = digest.hexdigest()[:32]
    return result


def decide_all(actor: User, participations: list[Participation], approve: bool, reason: str | None,
               expected: dict[int, str], token: str | None) -> int:
    """Decide on every one of `participations` as the confirmation page showed them (`expected`: id → status,
    `token`: the preview's), or on none: a status changed meanwhile is refused with the organizations named.
    Returns how many were decided."""
    lock_rows(Participation, [p.id for p in participations])
    for p in participations:
        db.session.refresh(p)
    changed = [p for p in participations if p.id in expected and p.status.value != expected[p.id]]
    if changed or set(expected) - {p.id for p in participations}:
        names = ", ".join(p.organization.display_name for p in changed)
        raise ServiceError(gettext("Nothing was changed: %(names)s changed since you looked (a colleague may have "
                                   "decided). Look at the selection again.", names=names or "—"))
    result = preview([p for p in participations if p.id in expected], approve)
    if not result.acting:
        raise ServiceError(gettext("None of the selected applications can take this decision."))
    if token != result.token:
        raise ServiceError(gettext("The selection changed since you looked at what the decision does: "
                                   "look at the new summary and confirm again."))
    if not approve and not (reason or "").strip():
        raise ServiceError(gettext("Give the applicants a reason for the rejection."))
    for p in result.acting:
        decide_with_meetings(actor, p, approve, reason)
    return len(result.acting)


def selected(ids: list[int]) -> list[Participation]:
    """The participations of `ids` (those that exist), in id order."""
    return list(db.session.scalars(select(Participation).where(Participation.id.in_(ids)).order_by(Participation.id)))
