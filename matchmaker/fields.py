"""Form fields and validators shared by several areas' forms: select choices, checkbox lists, the zone and
language pickers, the password rule's validator, the one-line filter of names. Fields only: no database, no services."""

from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from matchmaker.domain.email import header_text
from matchmaker.domain.passwords import MIN_PASSWORD_LENGTH, long_enough
from matchmaker.domain.timefmt import zone_name
from matchmaker.domain.timeslots import common_zones, is_valid_zone
from matchmaker.i18n import LANGUAGE_NAMES, viewer_locale


def one_line(text: str | None) -> str | None:
    """A filter for one-line boxes (names): control characters and line breaks, which nobody types there but a
    crafted form can send, become spaces, runs of spaces one, the ends trimmed; what an e-mail greeting or a
    calendar invite can carry. A box of nothing else ends empty, so DataRequired refuses it."""
    return header_text(text) if text else text


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TimezoneField(SelectField):
    """An IANA zone picker; the page's script preselects the browser's zone when empty."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)
        self.render_kw = {**(self.render_kw or {}), "data-browser-timezone": "1"}

    def pre_validate(self, form):
        if not is_valid_zone(self.data):
            raise ValidationError(_l("Choose a time zone from the list."))

    def iter_choices(self):
        if not self.choices:
            self.choices = options([("", _l("Choose a time zone"))]) + options(_zone_labels(viewer_locale()))
        return super().iter_choices()


@lru_cache(maxsize=8)
def _zone_labels(locale: str) -> tuple[tuple[str, str], ...]:
    """'Asia/Seoul · 한국 시간': the id first, so that typing it in the list finds it; its name in the reader's
    language after it. Made once per language (some 400 zones)."""
    return tuple((zone, f"{zone.replace('_', ' ')} · {zone_name(zone, locale)}") for zone in common_zones())


class LocaleField(SelectField):
    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)

    def iter_choices(self):
        self.choices = options((code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"])
        return super().iter_choices()

    def pre_validate(self, form):
        if self.data not in current_app.config["LANGUAGES"]:
            raise ValidationError(_l("Choose a language from the list."))


def password_strength(form, field):
    """A new password follows the password rule (domain/passwords.py)."""
    if not long_enough(field.data):
        raise ValidationError(
            _l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
        )
