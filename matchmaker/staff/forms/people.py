"""The form staff use to correct a contact person's name in Latin letters (as the check-in desk searches it)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from matchmaker.fields import one_line


class LatinNameForm(FlaskForm):
    name_latin = StringField(_l("Name in Latin letters"), filters=[one_line], validators=[Optional(), Length(max=200)])
