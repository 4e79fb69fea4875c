"""The form of a matchmaking day (an event of a program): mode, place, online link and how online meetings get
their rooms (a link template, or a list of rooms typed one a line), hours, slots, breaks, tables, scheduling and the
request deadline. It shows the deadline in the day's own zone and hands it to the service in UTC."""

import re
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from matchmaker.domain.rooms import parse_rooms, rooms_text
from matchmaker.domain.timeslots import local_to_utc
from matchmaker.enums import EventMode, SchedulingMode
from matchmaker.fields import TimezoneField, options
from matchmaker.models import Event, Program
from matchmaker.services.events import room_template_refusal
from matchmaker.services.virtual_rooms import line_message, rooms_in_use_refusal

FULL_ADDRESS = _l("Enter a full address such as https://example.com.")
BREAKS = re.compile(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")

MODE_LABELS = {
    EventMode.IN_PERSON.value: _l("In person"),
    EventMode.ONLINE.value: _l("Online"),
    EventMode.HYBRID.value: _l("Hybrid"),
}


def parse_breaks(text: str | None) -> list[dict]:
    """'12:00-13:00, 15:00-15:15' -> [{"start": "12:00", "end": "13:00"}, …]; ValueError if malformed."""
    breaks = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        match = BREAKS.match(part)
        if not match:
            raise ValueError(part.strip())
        start, end = (f"{int(t.split(':')[0]):02d}:{t.split(':')[1]}" for t in match.groups())
        if not ("00:00" <= start < end <= "23:59") or int(start[3:]) > 59 or int(end[3:]) > 59:
            raise ValueError(part.strip())
        breaks.append({"start": start, "end": end})
    return breaks


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    mode = SelectField(_l("Mode"), choices=options(MODE_LABELS.items()), validators=[DataRequired()])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    online_url = URLField(_l("Online meeting link"),
                          validators=[Optional(), URL(message=FULL_ADDRESS), Length(max=300)])
    room_link_template = StringField(_l("Room link for each online meeting"), validators=[Optional(), Length(max=300)])
    # Not named after Event.virtual_rooms: the form is built with obj=event, and the list is shown as text.
    room_list = TextAreaField(_l("Virtual tables: the rooms of an online day"),
                              validators=[Optional(), Length(max=40_000)])
    timezone = TimezoneField(_l("Time zone of the day"))
    date = DateField(_l("Date"), validators=[DataRequired()])
    day_start = TimeField(_l("Meetings start at"), validators=[DataRequired()])
    day_end = TimeField(_l("Meetings end at"), validators=[DataRequired()])
    slot_minutes = IntegerField(
        _l("Slot length (minutes)"), default=30, validators=[DataRequired(), NumberRange(min=5, max=240)]
    )
    breaks = StringField(_l("Breaks (e.g. 12:00-13:00, 15:00-15:15)"), validators=[Optional()])
    tables = IntegerField(
        _l("Number of tables (empty for online)"), validators=[Optional(), NumberRange(min=0, max=1000)]
    )
    scheduling = SelectField(
        _l("Scheduling"),
        choices=options([
            (SchedulingMode.BATCH.value, _l("Staff schedule all accepted meetings at once")),
            (SchedulingMode.PICK.value, _l("Participants pick a time when they accept")),
        ]),
    )
    max_open_requests = IntegerField(
        _l("Requests a participant may have waiting at once (empty: no limit)"),
        validators=[Optional(), NumberRange(min=1, max=500)],
    )
    request_deadline = DateTimeLocalField(
        _l("Deadline for meeting requests (local time of the day)"), validators=[Optional()]
    )
    submit = SubmitField(_l("Save matchmaking day"))
    saved_event: Event | None = None  # the day being edited (None: a new day), set by the view

    def validate_day_end(self, field):
        if self.day_start.data and field.data and field.data <= self.day_start.data:
            raise ValidationError(_l("The day must end after it starts."))

    def validate_breaks(self, field):
        try:
            parse_breaks(field.data)
        except ValueError as error:
            raise ValidationError(
                _l("This break is not of the form 12:00-13:00: %(part)s", part=str(error))
            ) from None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Not a validate_venue method: Optional() stops the field's chain when it is empty.
        if self.mode.data in (EventMode.IN_PERSON.value, EventMode.HYBRID.value) and not self.venue.data:
            self.venue.errors = [*self.venue.errors, _l("An in-person day needs a venue.")]
            valid = False
        return valid

    def validate_online_url(self, field):
        # URL() lets line breaks, spaces and invisible characters through; a line break ends a line of an invite.
        if any(c.isspace() or not c.isprintable() for c in field.data or ""):
            raise ValidationError(FULL_ADDRESS)

    def validate_room_link_template(self, field):
        refusal = room_template_refusal(field.data.strip())
        if refusal:
            raise ValidationError(refusal)

    def validate_room_list(self, field):
        rooms, errors = parse_rooms(field.data)
        if errors:  # every bad line at once, so that staff fix them in one go
            field.errors.extend(line_message(error) for error in errors)
            return
        if rooms and self.mode.data != EventMode.ONLINE.value:
            raise ValidationError(_l("Rooms are for online days; an in-person or hybrid day has tables."))
        if rooms and (self.room_link_template.data or "").strip():
            raise ValidationError(_l("A day uses either a room link template or a list of rooms, not both: empty "
                                     "one of them."))
        if self.saved_event is not None and self.mode.data == EventMode.ONLINE.value:
            # A room taken away while meetings are placed in it: said here, not under another field by the service.
            refusal = rooms_in_use_refusal(self.saved_event, rooms)
            if refusal:
                raise ValidationError(refusal)

    def validate_tables(self, field):
        if self.mode.data == EventMode.ONLINE.value and field.data:
            raise ValidationError(_l("An online day has no tables; leave the number of tables empty."))

    def fill(self, program: Program, event: Event | None) -> None:
        """What the form shows before anything is typed: a new day in the office's zone on the program's first
        day; a saved day's choices, breaks as text and its deadline in the day's own zone."""
        if event is None:
            self.timezone.data = program.office.timezone
            self.date.data = program.start_date
            return
        self.mode.data = event.mode.value
        self.room_list.data = rooms_text(event.virtual_rooms)
        self.scheduling.data = event.scheduling.value
        self.breaks.data = ", ".join(f"{b['start']}-{b['end']}" for b in event.breaks or [])
        if event.request_deadline_dt:
            self.request_deadline.data = event.request_deadline_dt.astimezone(
                ZoneInfo(event.timezone)
            ).replace(tzinfo=None)

    def values(self) -> dict:
        """What was typed, as `services.events.save_event` takes it: enums, parsed breaks, the deadline in UTC."""
        deadline = self.request_deadline.data
        return {
            "title": self.title.data.strip(),
            "description": self.description.data or None,
            "mode": EventMode(self.mode.data),
            "venue": self.venue.data or None,
            "online_url": self.online_url.data or None,
            "room_link_template": (self.room_link_template.data or "").strip() or None,
            "virtual_rooms": parse_rooms(self.room_list.data)[0] or None,
            "timezone": self.timezone.data,
            "date": self.date.data,
            "day_start": self.day_start.data,
            "day_end": self.day_end.data,
            "slot_minutes": self.slot_minutes.data,
            "breaks": parse_breaks(self.breaks.data),
            "tables": self.tables.data,
            "request_deadline_dt": (
                None if deadline is None else local_to_utc(deadline.date(), deadline.time(), self.timezone.data)
            ),
            "scheduling": SchedulingMode(self.scheduling.data),
            "max_open_requests": self.max_open_requests.data,
        }
