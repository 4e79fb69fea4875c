"""The marshmallow schemas of `api/figures.py`: the KPI report of a program, an office or a year (the reports page's
figures, per day, per group and per month) and the outbox as staff see it (no body in the list; a message's body with
its sign-in links hidden, as on the staff outbox page)."""

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas import FiguresSchema, PageArgs
from matchmaker.enums import OutboxStatus
from matchmaker.services.mail import staff_view_of_body
from matchmaker.services.outbox import state_token

MAX_ID = 2**31 - 1


class ReportFiguresSchema(FiguresSchema):
    consultations = fields.Integer(metadata={"description": "Meetings held (the headquarters' 'consultations')."})
    ratings = fields.Integer(metadata={"description": "Ratings given on meetings held."})


class EventFiguresSchema(Schema):
    event_id = fields.Integer(attribute="event.id")
    title = fields.String(attribute="event.title")
    date = fields.Date(attribute="event.date")
    figures = fields.Nested(ReportFiguresSchema)


class GroupFiguresSchema(Schema):
    key = fields.String(allow_none=True, metadata={"description": "The group's code (a sector, stage, ISO country "
                                                                  "or partner kind); null: not stated."})
    figures = fields.Nested(ReportFiguresSchema)


class MonthFiguresSchema(Schema):
    month = fields.String(metadata={"example": "2027-03"})
    figures = fields.Nested(ReportFiguresSchema)


class ScopeKpiSchema(Schema):
    scope = fields.String(metadata={"description": "program, office or year"})
    id = fields.Integer(allow_none=True, metadata={"description": "The program's or office's id (null for a year)."})
    year = fields.Integer(allow_none=True)
    total = fields.Nested(ReportFiguresSchema)
    events = fields.List(fields.Nested(EventFiguresSchema),
                         metadata={"description": "Each matchmaking day of the scope (zeros for a day without data)."})
    breakdowns = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(GroupFiguresSchema)),
                             metadata={"description": "By company sector, company stage, partner country and partner "
                                                      "kind, as on the reports page."})
    months = fields.List(fields.Nested(MonthFiguresSchema))


class OutboxArgs(PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in OutboxStatus]))
    kind = fields.String(validate=validate.Length(min=1, max=40), metadata={"example": "invite"})
    q = fields.String(validate=validate.Length(max=254), metadata={"description": "Part of the recipient's address."})
    event = fields.Integer(validate=validate.Range(min=1, max=MAX_ID),
                           metadata={"description": "Only the calendar invitations of this day's meetings."})
    updated_since = fields.AwareDateTime(
        default_timezone=None, metadata={"description": "Only the messages that changed (queued, sent, failed, "
                                                        "resent…) at or after this instant (ISO 8601 with an offset)."})


class OutboxMessageSchema(Schema):
    id = fields.Integer()
    created_dt = fields.AwareDateTime()
    to_address = fields.String()
    kind = fields.String()
    subject = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    sent_dt = fields.AwareDateTime(allow_none=True)
    updated_dt = fields.AwareDateTime()
    next_attempt_dt = fields.AwareDateTime()
    last_error = fields.String(allow_none=True)
    state = fields.Method("state_of", metadata={
        "type": "string", "description": "The message's state as seen now: give it back as `seen` to resend."})

    def state_of(self, message) -> str:
        return state_token(message)


class OutboxMessageDetailSchema(OutboxMessageSchema):
    body = fields.Method("body_of", metadata={"type": "string", "description": "The text, sign-in links hidden."})

    def body_of(self, message) -> str:
        return staff_view_of_body(message)


class OutboxKindCountSchema(Schema):
    kind = fields.String()
    queued = fields.Integer()
    sent = fields.Integer()
    failed = fields.Integer()
    discarded = fields.Integer()


class OutboxSummarySchema(Schema):
    failed = fields.Integer(metadata={"description": "Failed messages in all (the staff start page's count)."})
    kinds = fields.List(fields.Nested(OutboxKindCountSchema))


class SeenSchema(Schema):
    seen = fields.String(required=True, validate=validate.Length(min=1, max=40),
                         metadata={"description": "The message's `state` as last read."})
