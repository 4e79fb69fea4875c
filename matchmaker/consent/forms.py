"""The consent boxes, one per kind with its own text (templates/consent/_boxes.html): on the registration form and on
the page that asks again. Forms only: `services.consents` records the answers."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from matchmaker.enums import ConsentKind


class ConsentFields:
    """The four boxes (fields named consent_<kind>); `ask` keeps those asked and says which are required."""

    consent_collection = BooleanField(_l("I agree to the collection and use of my personal data as described."))
    consent_provision = BooleanField(
        _l("I agree that my organization's profile and my name are given to the partners of the matchmaking days."))
    consent_transfer_abroad = BooleanField(
        _l("I agree that my personal data is transferred to the countries listed."))
    consent_news = BooleanField(_l("Send me the agency's news by e-mail."))

    required_consents: tuple[ConsentKind, ...] = ()

    def ask(self, asked: list[ConsentKind], required: list[ConsentKind]) -> None:
        for kind in ConsentKind:
            if kind not in asked:
                delattr(self, f"consent_{kind.value}")
        self.required_consents = tuple(required)

    def consent_boxes(self) -> list[tuple[ConsentKind, BooleanField]]:
        return [(kind, self[f"consent_{kind.value}"]) for kind in ConsentKind if f"consent_{kind.value}" in self]

    def ticked_consents(self) -> list[ConsentKind]:
        return [kind for kind, box in self.consent_boxes() if box.data]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for kind in self.required_consents:
            box = self[f"consent_{kind.value}"]
            if not box.data:
                box.errors = [*box.errors, _l("This consent is required.")]
                valid = False
        return valid


class ConsentForm(ConsentFields, FlaskForm):
    submit = SubmitField(_l("Save my answers"))
