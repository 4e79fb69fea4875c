"""The sign-in, registration and password forms. Forms only: the accounts service does what they ask."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from matchmaker.consent.forms import ConsentFields
from matchmaker.enums import OrgKind
from matchmaker.fields import LocaleField, TimezoneField, one_line, options, password_strength


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in"))
    submit = SubmitField(_l("Sign in"))


class RegisterForm(ConsentFields, FlaskForm):
    kind = SelectField(
        _l("I represent"),
        choices=options([
            (OrgKind.COMPANY.value, _l("A Korean ICT company")),
            (OrgKind.INVESTOR.value, _l("An investor")),
            (OrgKind.BUYER.value, _l("A buyer")),
        ]),
        validators=[DataRequired()],
    )
    # An organization's names are kept as typed, as on the profile (mail and invites clean them where built).
    organization_name = StringField(_l("Organization name"), validators=[DataRequired(), Length(max=200)])
    organization_name_latin = StringField(
        _l("Organization name in Latin letters"), validators=[Optional(), Length(max=200)]
    )
    country = StringField(
        _l("Country (two-letter code, e.g. KR, US, SG)"),
        validators=[Optional(), Regexp(r"^[A-Za-z]{2}$", message=_l("Use a two-letter country code."))],
    )
    name = StringField(_l("Your name"), filters=[one_line], validators=[DataRequired(), Length(max=120)])
    name_latin = StringField(_l("Your name in Latin letters"), filters=[one_line],
                             validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), password_strength])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    locale = LocaleField(_l("Language"))
    timezone = TimezoneField(_l("Time zone"))
    submit = SubmitField(_l("Create account"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), password_strength])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired(), password_strength])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Change password"))
