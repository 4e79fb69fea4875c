"""Forms of the staff's language pages: interpreters per language pair, for every slot or one."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired, NumberRange, ValidationError

ALL_SLOTS = "all"


class InterpreterForm(FlaskForm):
    language_a = SelectField(_l("Language"), validators=[DataRequired()])
    language_b = SelectField(_l("Other language"), validators=[DataRequired()])
    slot = SelectField(_l("Slot"), default=ALL_SLOTS)
    count = IntegerField(
        _l("Interpreters"),
        validators=[InputRequired(), NumberRange(min=0, max=99, message=_l("Enter a number from 0 to 99."))],
    )
    submit = SubmitField(_l("Save interpreters"))

    def validate_language_b(self, field):
        if field.data and field.data == self.language_a.data:
            raise ValidationError(_l("Choose two different languages."))
