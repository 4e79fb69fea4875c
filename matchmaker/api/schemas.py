"""The API's marshmallow schemas: what each resource looks like in JSON and which query arguments it takes. The
OpenAPI document is built from them, and the same schemas validate the requests, so the two always agree."""

from marshmallow import Schema, fields, validate

PROBLEM_TYPE = "application/problem+json"
MAX_PER_PAGE = 100


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Dict(metadata={"description": "For 422: the message(s) of each invalid argument."})


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    updated_since = fields.AwareDateTime(
        default_timezone=None, metadata={"description": "Only what changed at or after this instant (ISO 8601 with "
                                                        "an offset, e.g. 2027-03-01T00:00:00Z)."})


class OfficeSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    city = fields.String()
    timezone = fields.String()
    locale = fields.String()
    email = fields.String(allow_none=True)
    created_dt = fields.AwareDateTime()
    updated_dt = fields.AwareDateTime()


class ProgramSchema(Schema):
    id = fields.Integer()
    office_id = fields.Integer()
    title = fields.String()
    description = fields.String(allow_none=True)
    start_date = fields.Date()
    end_date = fields.Date()
    created_dt = fields.AwareDateTime()
    updated_dt = fields.AwareDateTime()


class SlotSchema(Schema):
    start_dt = fields.AwareDateTime(attribute="start")
    end_dt = fields.AwareDateTime(attribute="end")


class EventSchema(Schema):
    id = fields.Integer()
    program_id = fields.Integer()
    title = fields.String()
    description = fields.String(allow_none=True)
    mode = fields.String()
    venue = fields.String(allow_none=True)
    timezone = fields.String()
    date = fields.Date()
    day_start = fields.Time(metadata={"description": "In the event's zone."})
    day_end = fields.Time(metadata={"description": "In the event's zone."})
    slot_minutes = fields.Integer()
    scheduling = fields.String(metadata={"description": "batch: staff schedule the accepted meetings at "
                                                        "once; pick: the accepting side picks a time."})
    max_open_requests = fields.Integer(allow_none=True)
    tables = fields.Integer(allow_none=True, metadata={"description": "Tables in the room; null: no limit."})
    virtual_rooms = fields.List(fields.Raw(), allow_none=True)
    request_deadline_dt = fields.AwareDateTime(allow_none=True)
    published = fields.Boolean()
    published_dt = fields.AwareDateTime(allow_none=True)
    created_dt = fields.AwareDateTime()
    updated_dt = fields.AwareDateTime()
    slots = fields.Method("slots_of", metadata={"type": "array", "items": {"type": "object"}})

    def slots_of(self, event) -> list[dict]:
        return SlotSchema(many=True).dump(event.slots())


class OrganizationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    name_latin = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    sectors = fields.Dict(keys=fields.String(), values=fields.Float())
    stages = fields.List(fields.String())
    markets = fields.List(fields.String())
    languages = fields.List(fields.String())
    description = fields.String(allow_none=True)
    ticket_min_usd = fields.Integer(allow_none=True)
    ticket_max_usd = fields.Integer(allow_none=True)
    created_dt = fields.AwareDateTime()
    updated_dt = fields.AwareDateTime()


class MeetingSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    request_id = fields.Integer()
    organization_ids = fields.Method("sides", metadata={"type": "array", "items": {"type": "integer"}})
    start_dt = fields.AwareDateTime()
    end_dt = fields.AwareDateTime()
    table_label = fields.String(allow_none=True)
    online_url = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    status = fields.String()
    created_dt = fields.AwareDateTime()
    updated_dt = fields.AwareDateTime()

    def sides(self, meeting) -> list[int]:
        return [meeting.request.from_org_id, meeting.request.to_org_id]


class FiguresSchema(Schema):
    requests = fields.Integer()
    accepted = fields.Integer()
    declined = fields.Integer()
    scheduled = fields.Integer()
    due = fields.Integer()
    held = fields.Integer()
    no_shows = fields.Integer()
    follow_ups = fields.Integer()
    deals = fields.Integer()
    mous = fields.Integer()
    amount_usd = fields.Integer()
    expected_amount_usd = fields.Integer()
    acceptance_rate = fields.Float(allow_none=True)
    no_show_rate = fields.Float(allow_none=True)
    satisfaction = fields.Float(allow_none=True)
    outcomes = fields.Dict(keys=fields.String(), values=fields.Integer())


class KpiSchema(Schema):
    event_id = fields.Integer()
    total = fields.Nested(FiguresSchema)


class MeetingRequestSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    from_org_id = fields.Integer()
    to_org_id = fields.Integer()
    message = fields.String(allow_none=True)
    status = fields.String()
    created_dt = fields.AwareDateTime()
    updated_dt = fields.AwareDateTime()
    responded_dt = fields.AwareDateTime(allow_none=True)


class NewRequestSchema(Schema):
    to_org_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    message = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class AcceptSchema(Schema):
    slot = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=1000),
                          metadata={"description": "The slot's index, when participants pick their times."})
