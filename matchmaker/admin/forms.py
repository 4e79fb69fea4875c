"""The administrators' forms: an office, a staff account. Forms only: the offices and accounts services save
what they read."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from matchmaker.enums import Role
from matchmaker.fields import LocaleField, TimezoneField, options


class OfficeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=120)])
    timezone = TimezoneField(_l("Time zone"))
    locale = LocaleField(_l("Default language"))
    email = EmailField(_l("E-mail of the office"), validators=[Optional(), Email(), Length(max=254)])
    submit = SubmitField(_l("Save office"))


class StaffForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(
        _l("Role"), choices=options([(Role.STAFF.value, _l("Office staff")), (Role.ADMIN.value, _l("Administrator"))])
    )
    office_id = SelectField(_l("Office"), coerce=int)
    locale = LocaleField(_l("Language"))
    timezone = TimezoneField(_l("Time zone"))
    submit = SubmitField(_l("Create account and send invitation"))
