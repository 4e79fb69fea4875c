"""The form of staff's pair rules of a day: a company and an investor or buyer who must, or must not, meet."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import Optional

from matchmaker.enums import PairRuleKind
from matchmaker.fields import options


class PairRuleForm(FlaskForm):
    company_id = SelectField(_l("Company"), coerce=int)
    partner_id = SelectField(_l("Investor or buyer"), coerce=int)
    kind = SelectField(
        _l("Rule"),
        choices=options([
            (PairRuleKind.FORCED.value, _l("Must meet")),
            (PairRuleKind.FORBIDDEN.value, _l("Must not meet")),
            ("", _l("No rule")),
        ]),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save rule"))

    def rule_kind(self) -> PairRuleKind | None:
        """The chosen rule, None for "No rule"."""
        return PairRuleKind(self.kind.data) if self.kind.data else None
