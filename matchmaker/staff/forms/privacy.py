"""The form staff use to reject a request to erase a person's data: the reason, which the person is told."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField


class RejectErasureForm(FlaskForm):
    # Required and at most 1000 characters: the service says so under the field (what was typed is kept).
    reason = TextAreaField(_l("Why the data is kept (the person is told)"))
