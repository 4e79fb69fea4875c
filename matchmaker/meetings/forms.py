from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from matchmaker.fields import CheckboxesField


class RequestForm(FlaskForm):
    message = TextAreaField(
        _l("Message (optional)"), validators=[Optional(), Length(max=2000)],
        description=_l("Say what you would like to discuss."),
    )
    submit = SubmitField(_l("Send request"))


class AcceptForm(FlaskForm):
    slot = SelectField(_l("Time"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Accept"))


class AvailabilityForm(FlaskForm):
    slots = CheckboxesField(_l("I can meet at"), coerce=int)
    submit = SubmitField(_l("Save availability"))
