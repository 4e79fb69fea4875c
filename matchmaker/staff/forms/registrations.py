"""The form of staff's decision on a registration (a participation that applied): approve, or reject with a
reason."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Optional


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason (sent to the applicant when rejecting)"), validators=[Optional()])
    approve = SubmitField(_l("Approve"))
    reject = SubmitField(_l("Reject"))
