"""Forms of the day of the event: check-in, no-shows (absent for the day, or missing one meeting), walk-ins; and
the no-show reasons as staff read them."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from matchmaker.enums import NoShowReason
from matchmaker.fields import options

REASON_LABELS = {
    NoShowReason.ILLNESS.value: _l("Illness"),
    NoShowReason.TRAVEL.value: _l("Travel (flight, visa, traffic)"),
    NoShowReason.SCHEDULE.value: _l("Clash with other business"),
    NoShowReason.NO_NOTICE.value: _l("Did not come, no notice"),
    NoShowReason.OTHER.value: lazy_pgettext("no-show reason", "Other"),
}


class CheckInForm(FlaskForm):
    """One button; `q` brings the desk back to the search it came from."""

    q = HiddenField()


class AbsentForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=options(REASON_LABELS.items()), validators=[DataRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=1000)])


class MissedMeetingForm(FlaskForm):
    organization_id = SelectField(_l("Who did not come"), coerce=int, validators=[InputRequired()])
    reason = SelectField(_l("Reason"), choices=options(REASON_LABELS.items()), validators=[DataRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=1000)])


class WalkInForm(FlaskForm):
    org_id = IntegerField(validators=[InputRequired()])  # the participant whose slot was freed
    candidate_id = IntegerField(validators=[InputRequired()])
    slot = IntegerField(validators=[InputRequired()])
