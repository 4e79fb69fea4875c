"""/api/v1: Participations: apply (members), approve and reject (staff).

Seen as on the pages: staff of the day's office (admins: every office) see every participation of a day and get 403
for another office's (`staff.scope.check_office`); a member sees its own organization's only (404 for another's, as
its withdraw page answers). A member applies through `services.events.apply_to_event`, as the day's page does, once it
has agreed to the privacy notice (the pages ask for it before anything else). Staff decide through the bulk decision's
service on this one participation (`services.bulk_decisions`): the same statuses may change, rejecting an approved
participant cancels its scheduled meetings, and a decision on something that changed since its preview is refused.
Since those meetings are cancelled for good, rejecting such a participant needs the `confirm_token` of its preview
(GET the same path), as the page first shows them. A refusal of the service is 409 with its message."""

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from matchmaker.access import get_or_404
from matchmaker.api.auth import documented_errors, protect
from matchmaker.api.catalog import staff_only
from matchmaker.api.outcomes import done
from matchmaker.api.pages import paginate, since
from matchmaker.api.schemas_participations import (
    ApproveSchema,
    DecisionPreviewSchema,
    ParticipationListArgs,
    ParticipationSchema,
    RejectSchema,
)
from matchmaker.models import Event, Participation
from matchmaker.services import bulk_decisions, consents
from matchmaker.services import events as event_service
from matchmaker.staff.scope import check_office

blp = Blueprint("api_participations", __name__,
                description="Participations: apply (members), approve and reject (staff).")
protect(blp)  # a token on every call, rate limited per token
_errors = documented_errors(blp)


def _visible(participation: Participation) -> Participation:
    if current_user.is_staff:
        check_office(participation.event.program.office_id)
    elif participation.organization_id != current_user.organization_id:
        abort(404)  # another organization's: not shown to exist
    return participation


def _staffs(participation_id: int) -> Participation:
    staff_only()
    return _visible(get_or_404(Participation, participation_id))


@blp.get("/events/<int:event_id>/participations")
@blp.arguments(ParticipationListArgs, location="query", as_kwargs=False)
@blp.response(200, ParticipationSchema(many=True))
@_errors
def participations(args, event_id: int):
    """Staff: every participation of the day (`status` keeps one); a member: its own organization's."""
    event = get_or_404(Event, event_id)
    query = select(Participation).where(Participation.event_id == event.id)
    if current_user.is_staff:
        check_office(event.program.office_id)
    else:
        query = query.where(Participation.organization_id == current_user.organization_id)
    if args.get("status"):
        query = query.where(Participation.status == args["status"])
    query = since(query.options(joinedload(Participation.organization)), Participation.updated_dt, args)
    return paginate(query.order_by(Participation.id), args)


@blp.get("/participations/<int:participation_id>")
@blp.response(200, ParticipationSchema)
@_errors
def participation(participation_id: int):
    return _visible(get_or_404(Participation, participation_id))


@blp.post("/events/<int:event_id>/participations")
@blp.response(201, ParticipationSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def apply(event_id: int):
    """Apply to the day for the member's organization; the office reviews the application (409: the day is over,
    the organization applied already, the e-mail address is not confirmed)."""
    if not current_user.is_member:
        abort(403)
    event = get_or_404(Event, event_id)
    if consents.missing(current_user):
        abort(403, _("Agree to the privacy notice first: sign in to Matchmaker, which asks you."))
    return done(lambda: event_service.apply_to_event(current_user, event))


def _preview(participation: Participation, approve: bool) -> dict:
    result = bulk_decisions.preview([participation], approve)
    return {"approve": approve, "changes": bool(result.acting), "participation": participation,
            "cancelled_meetings": result.cancelled, "emails": result.emails, "people": result.people,
            "confirm_token": result.token}


def _decide(participation: Participation, approve: bool, body: dict) -> Participation:
    result = bulk_decisions.preview([participation], approve)
    token = body.get("confirm_token")
    if token is None and result.cancelled:
        path = url_for("api_participations.reject_preview", participation_id=participation.id)
        abort(409, _("Rejecting this participant cancels its scheduled meetings: read what it does first "
                     "(GET %(path)s) and send its confirm_token.", path=path))
    done(lambda: bulk_decisions.decide_all(current_user, [participation], approve, body.get("reason"),
                                           result.expected, token or result.token))
    return participation


@blp.get("/participations/<int:participation_id>/approve")
@blp.response(200, DecisionPreviewSchema)
@_errors
def approve_preview(participation_id: int):
    """What approving does (staff), changing nothing: its `confirm_token` may go with the decision."""
    return _preview(_staffs(participation_id), True)


@blp.post("/participations/<int:participation_id>/approve")
@blp.arguments(ApproveSchema)
@blp.response(200, ParticipationSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def approve(body, participation_id: int):
    """Approve an application or a rejected participant (staff); its people are told by e-mail, the office's
    webhooks get `participation.approved`."""
    return _decide(_staffs(participation_id), True, body)


@blp.get("/participations/<int:participation_id>/reject")
@blp.response(200, DecisionPreviewSchema)
@_errors
def reject_preview(participation_id: int):
    """What rejecting does (staff), changing nothing: an approved participant's meetings cancelled, the e-mails."""
    return _preview(_staffs(participation_id), False)


@blp.post("/participations/<int:participation_id>/reject")
@blp.arguments(RejectSchema)
@blp.response(200, ParticipationSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def reject(body, participation_id: int):
    """Reject an application or an approved participant with a reason the applicant reads (staff). Rejecting an
    approved participant cancels its scheduled meetings: send the `confirm_token` of its preview."""
    return _decide(_staffs(participation_id), False, body)
