import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
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

from matchmaker.enums import EventMode, PairRuleKind, SchedulingMode
from matchmaker.fields import TimezoneField, options

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


class ProgramForm(FlaskForm):
    office_id = SelectField(_l("Office"), coerce=int, validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    start_date = DateField(_l("First day"), validators=[DataRequired()])
    end_date = DateField(_l("Last day"), validators=[DataRequired()])
    submit = SubmitField(_l("Save program"))

    def validate_end_date(self, field):
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day must not be before the first day."))


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    mode = SelectField(_l("Mode"), choices=options(MODE_LABELS.items()), validators=[DataRequired()])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    online_url = URLField(_l("Online meeting link"), validators=[Optional(), URL(), Length(max=300)])
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

    def validate_tables(self, field):
        if self.mode.data == EventMode.ONLINE.value and field.data:
            raise ValidationError(_l("An online day has no tables; leave the number of tables empty."))


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason (sent to the applicant when rejecting)"), validators=[Optional()])
    approve = SubmitField(_l("Approve"))
    reject = SubmitField(_l("Reject"))


class PairRuleForm(FlaskForm):
    company_id = SelectField(_l("Company"), coerce=int)
    partner_id = SelectField(_l("Investor or buyer"), coerce=int)
    kind = SelectField(
        _l("Rule"),
        choices=options([
            (PairRuleKind.FORCED.value, _l("Must meet")),
            (PairRuleKind.FORBIDDEN.value, _l("Must not meet")),
            ("", _l("No rule")),
        ]),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save rule"))


class RunForm(FlaskForm):
    time_limit = IntegerField(_l("Time limit (seconds)"), default=30,
                              validators=[DataRequired(), NumberRange(min=5, max=600)])
    keep_placed = BooleanField(_l("Keep placed meetings where they are when possible"), default=True)
    submit = SubmitField(_l("Run the scheduler"))


class MoveForm(FlaskForm):
    slot = SelectField(_l("Time"), coerce=int)
    table = SelectField(_l("Table"), validators=[Optional()])
    submit = SubmitField(_l("Move"))
