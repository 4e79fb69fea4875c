"""The form of a program (an office's series of matchmaking days): its office, title and dates."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from matchmaker.services.events import PROGRAM_FIELDS


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

    def values(self) -> dict:
        """What was typed, as `services.events.save_program` takes it."""
        return {name: getattr(self, name).data for name in PROGRAM_FIELDS}
