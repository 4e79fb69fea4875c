"""The schedule's marshmallow schemas: a meeting with what a staff change needs (its slot index and version), the
bodies of a move, a swap and a confirmed cancel, and the preview of a cancel (`services.meeting_cancellation`)."""

from zoneinfo import ZoneInfo

from marshmallow import Schema, fields, validate

from matchmaker.access import MAX_ID
from matchmaker.api.schemas import MeetingSchema
from matchmaker.enums import EventMode
from matchmaker.services.meeting_cancellation import CancelPreview

MAX_SLOT = 1000  # far more than a day holds; a larger index is refused before the day is read
MAX_VERSION = 2**31 - 1


def _version(description: str) -> fields.Integer:
    return fields.Integer(load_default=None, allow_none=True, strict=True,
                          validate=validate.Range(min=0, max=MAX_VERSION), metadata={"description": description})


class ScheduledMeetingSchema(MeetingSchema):
    slot = fields.Method("slot_index", metadata={"type": "integer", "nullable": True,
                                                 "description": "The index of its slot in the day's slots."})
    version = fields.Integer(metadata={"description": "Changes with every move: send it back with a change."})
    locked = fields.Boolean(metadata={"description": "Pinned by staff: not moved."})

    def slot_index(self, meeting) -> int | None:
        return next((s.index for s in meeting.event.slots() if s.start == meeting.start_dt), None)


class MoveSchema(Schema):
    slot = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_SLOT),
                          metadata={"description": "The index of one of the day's slots (GET /events/{id})."})
    table = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64),
                          metadata={"description": "One of the day's tables (T1…) or rooms; null on a day without."})
    version = _version("The meeting's version you read (none: not compared); another change since is a 409.")


class SwapSchema(Schema):
    with_meeting_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_ID),
                                     metadata={"description": "Another scheduled meeting of the same day."})
    version = _version("The meeting's version you read (none: not compared); another change since is a 409.")
    with_version = _version("The other meeting's version you read (none: not compared).")


class CancelSchema(Schema):
    confirm_token = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64),
                                  metadata={"description": "The `confirm_token` of the cancellation "
                                                           "preview; needed to cancel an accepted meeting."})


class ToldSchema(Schema):
    name = fields.String()
    organization_id = fields.Integer()
    organization = fields.String()


class CancelPreviewSchema(Schema):
    request_id = fields.Integer()
    meeting_id = fields.Integer(allow_none=True, metadata={"description": "Null: not placed in a slot yet."})
    event_id = fields.Integer()
    organizations = fields.List(fields.String(), metadata={"description": "Who asked, who was asked."})
    start_dt = fields.AwareDateTime(allow_none=True, metadata={"description": "In the day's zone; null when not "
                                                                              "placed or not published yet."})
    end_dt = fields.AwareDateTime(allow_none=True)
    timezone = fields.String(metadata={"description": "The day's IANA zone."})
    table = fields.String(allow_none=True, metadata={"description": "In person: its table."})
    room = fields.String(allow_none=True, metadata={"description": "Online: its virtual room."})
    told = fields.List(fields.Nested(ToldSchema), metadata={"description": "E-mailed that it is cancelled."})
    calendar_cancellations = fields.Integer(metadata={"description": "People whose calendars drop the meeting."})
    confirm_token = fields.String(metadata={"description": "Send it with the cancel: it is refused (409) when the "
                                                           "meeting changed since."})


def preview_answer(preview: CancelPreview, show_time: bool) -> dict:
    """The preview as the confirmation pages show it; `show_time`: whether the reader may see the time and place
    (members once the schedule is published, or on a day where they pick the time; staff always)."""
    item, meeting = preview.item, preview.meeting
    event = item.event
    answer = {
        "request_id": item.id, "meeting_id": meeting.id if meeting else None, "event_id": event.id,
        "organizations": [item.from_org.display_name, item.to_org.display_name], "timezone": event.timezone,
        "start_dt": None, "end_dt": None, "table": None, "room": None,
        "told": [{"name": u.name, "organization_id": u.organization_id, "organization": u.organization.display_name}
                 for u in preview.told],
        "calendar_cancellations": len(preview.calendars), "confirm_token": preview.token,
    }
    if meeting is not None and show_time:
        zone = ZoneInfo(event.timezone)
        answer["start_dt"], answer["end_dt"] = meeting.start_dt.astimezone(zone), meeting.end_dt.astimezone(zone)
        answer["room" if event.mode == EventMode.ONLINE else "table"] = meeting.table_label
    return answer
