"""The form of an office's webhook endpoint: where to POST, the secret the signature uses, which events."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from matchmaker.fields import CheckboxesField


class WebhookForm(FlaskForm):
    office_id = SelectField(_l("Office"), coerce=int)
    url = StringField(_l("Address (URL)"), validators=[DataRequired(), Length(max=500)])
    secret = StringField(_l("Secret"), validators=[Optional(), Length(min=16, max=200)])
    events = CheckboxesField(_l("Events"), validators=[DataRequired(message=_l("Choose at least one event to send."))])
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save endpoint"))
