"""The members' forms of a matchmaking day: a meeting request, an answer with its time, a message in a request's
thread, availability, and the feedback form after a meeting. Forms only: no database, no services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from matchmaker.enums import Outcome
from matchmaker.fields import CheckboxesField, options
from matchmaker.vocabulary import OUTCOME_LABELS


class RequestForm(FlaskForm):
    message = TextAreaField(
        _l("Message (optional)"), validators=[Optional(), Length(max=2000)],
        description=_l("Say what you would like to discuss."),
    )
    submit = SubmitField(_l("Send request"))


class AcceptForm(FlaskForm):
    slot = SelectField(_l("Time"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Accept"))


class MessageForm(FlaskForm):
    """A message in a request's thread; the messages service checks what was typed (empty, too long)."""

    body = TextAreaField(_l("Your message"))
    back = HiddenField()  # "meeting" when written on the meeting's page, to return there
    submit = SubmitField(_l("Send message"))


class AvailabilityForm(FlaskForm):
    slots = CheckboxesField(_l("I can meet at"), coerce=int)
    submit = SubmitField(_l("Save availability"))


# --- feedback after a meeting ----------------------------------------------------------------------

RATING_LABELS = {
    1: _l("1 – not useful"),
    2: _l("2"),
    3: _l("3"),
    4: _l("4"),
    5: _l("5 – very useful"),
}
MAX_AMOUNT_USD = 10_000_000_000  # a typo guard: ten billion dollars
AMOUNT_RANGE = _l("Enter an amount in US dollars from 0 to 10 billion.")


class FeedbackForm(FlaskForm):
    rating = RadioField(
        _l("How useful was the meeting?"), coerce=int, choices=options(RATING_LABELS.items()),
        validators=[InputRequired(message=_l("Choose a rating from 1 to 5."))],
    )
    follow_up = BooleanField(_l("We want to follow up with them"))
    outcome = SelectField(
        _l("Outcome so far"), choices=options((o.value, label) for o, label in OUTCOME_LABELS.items()),
        default=Outcome.NONE.value,
    )
    amount_usd = IntegerField(
        _l("Consultation amount discussed (USD)"),
        validators=[Optional(), NumberRange(min=0, max=MAX_AMOUNT_USD, message=AMOUNT_RANGE)],
        description=_l("The value of the business discussed in the meeting, if any."),
    )
    expected_amount_usd = IntegerField(
        _l("Expected contract or investment amount (USD)"),
        validators=[Optional(), NumberRange(min=0, max=MAX_AMOUNT_USD, message=AMOUNT_RANGE)],
        description=_l("What you expect to sign or invest as a result; you can update it later."),
    )
    comment = TextAreaField(_l("Comment for the office (optional)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save feedback"))
