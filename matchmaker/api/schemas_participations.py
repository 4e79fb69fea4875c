"""The API's schemas of participations (an organization's place in a day, from application to decision) and of staff's
decision on one: what deciding does (the preview, with its token) and what a decision carries."""

from flask_babel import gettext
from marshmallow import Schema, ValidationError, fields, validate

from matchmaker.api.schemas import MeetingSchema, PageArgs
from matchmaker.enums import ParticipationStatus

MAX_REASON = 2000


class ParticipationSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    organization_id = fields.Integer()
    organization_name = fields.Function(lambda p: p.organization.display_name)
    status = fields.String(metadata={"description": "applied, approved, rejected or withdrawn."})
    reason = fields.String(allow_none=True, metadata={"description": "Why it was rejected (the applicant reads it)."})
    attendance = fields.String(metadata={"description": "On the day: expected, checked_in or absent."})
    applied_dt = fields.AwareDateTime()
    decided_dt = fields.AwareDateTime(allow_none=True)
    updated_dt = fields.AwareDateTime()


class ParticipationListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in ParticipationStatus]),
                           metadata={"description": "Only the participations of this status."})


class DecisionPreviewSchema(Schema):
    """What approving or rejecting the participation does, changing nothing yet."""

    approve = fields.Boolean()
    changes = fields.Boolean(metadata={"description": "Whether the decision changes the status (false: it is "
                                                      "refused, e.g. an application decided or withdrawn)."})
    participation = fields.Nested(ParticipationSchema)
    cancelled_meetings = fields.List(fields.Nested(MeetingSchema), metadata={
        "description": "Rejecting an approved participant cancels its scheduled meetings (both sides told)."})
    emails = fields.Integer(metadata={"description": "E-mails that go out."})
    people = fields.Integer(metadata={"description": "People they go to."})
    confirm_token = fields.String(metadata={"description": "Send it back with the decision: it is refused when "
                                                           "anything shown here changed meanwhile."})


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError(gettext("Give the applicant a reason for the rejection."))


class ApproveSchema(Schema):
    confirm_token = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64), metadata={
        "description": "The `confirm_token` of the preview (GET the same path); optional."})


class RejectSchema(Schema):
    reason = fields.String(required=True, validate=[validate.Length(max=MAX_REASON), _not_blank],
                           metadata={"description": "Sent to the applicant."})
    confirm_token = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64), metadata={
        "description": "The `confirm_token` of the preview (GET the same path); required when rejecting cancels "
                       "meetings."})
