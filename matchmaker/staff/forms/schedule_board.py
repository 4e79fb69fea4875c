"""Forms of the schedule board: a scheduler run (time limit, keep placed meetings) and moving one meeting."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, NumberRange, Optional


class RunForm(FlaskForm):
    time_limit = IntegerField(_l("Time limit (seconds)"), default=30,
                              validators=[DataRequired(), NumberRange(min=5, max=600)])
    keep_placed = BooleanField(_l("Keep placed meetings where they are when possible"), default=True)
    submit = SubmitField(_l("Run the scheduler"))


class MoveForm(FlaskForm):
    slot = SelectField(_l("Time"), coerce=int)
    table = SelectField(_l("Table"), validators=[Optional()])
    submit = SubmitField(_l("Move"))
