"""A signed-in person's settings and a member's profile form, with how the profile's lists are typed (comma-separated
codes, one investor a line) and its description in several languages side by side (one box per language; the page
shows those `services.profiles.text_languages` offers). Forms only: the profiles service saves what they read."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import URL, AnyOf, DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from matchmaker.domain.profile_texts import LANGUAGES, MAX_TEXT
from matchmaker.fields import CheckboxesField, LocaleField, TimezoneField, one_line, options
from matchmaker.vocabulary import SECTORS, STAGE_LABELS

CODE_LIST = re.compile(r"^\s*([A-Za-z]{2}\s*(,\s*[A-Za-z]{2}\s*)*)?$")
LANGUAGE_LIST = re.compile(r"^\s*([A-Za-z]{2,3}(-[A-Za-z0-9]+)?\s*(,\s*[A-Za-z]{2,3}(-[A-Za-z0-9]+)?\s*)*)?$")


TEXT_CHECKS = [Optional(), Length(max=MAX_TEXT)]


def unix_lines(text: str | None) -> str | None:
    """A browser sends a text box's line breaks as \r\n: counted once each against the limit, as they are kept.
    Anything but text (the saved list of investors, when the form is filled from the organization) passes as it is."""
    return text.replace("\r\n", "\n") if isinstance(text, str) else text


def split_codes(text: str | None, upper: bool = False) -> list[str]:
    codes = [part.strip() for part in (text or "").split(",") if part.strip()]
    return [code.upper() if upper else code.lower() for code in codes]


class SettingsForm(FlaskForm):
    name = StringField(_l("Your name"), filters=[one_line], validators=[DataRequired(), Length(max=120)])
    name_latin = StringField(_l("Your name in Latin letters"), filters=[one_line],
                             validators=[Optional(), Length(max=200)])
    locale = LocaleField(_l("Language"))
    timezone = TimezoneField(_l("Time zone"))
    calendar = SelectField(
        _l("Calendar for dates"),
        choices=options([("gregorian", _l("Gregorian (2026)")), ("buddhist", _l("Thai solar, Buddhist era (2569)"))]),
        default="gregorian",
        validate_choice=False,  # a form without the field (older pages, scripts) keeps Gregorian
        validators=[AnyOf([None, "", "gregorian", "buddhist"], message=_l("Choose a calendar from the list."))],
    )
    submit = SubmitField(_l("Save settings"))


class ProfileForm(FlaskForm):
    # An organization's names are kept as typed (mail and invites clean them where headers are built).
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_latin = StringField(_l("Name in Latin letters"), validators=[Optional(), Length(max=200)])
    country = StringField(
        _l("Country (two-letter code)"),
        validators=[Optional(), Regexp(r"^[A-Za-z]{2}$", message=_l("Use a two-letter country code."))],
    )
    website = URLField(_l("Website"), validators=[Optional(), URL(message=_l("Enter a full address such as https://example.com."))])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    sectors = CheckboxesField(_l("Sectors"), choices=options(SECTORS.items()))
    stages = CheckboxesField(_l("Stages"), choices=options(STAGE_LABELS.items()))
    # One box per language (the page labels each with its language's name); an empty box: no text in it.
    description_ko = TextAreaField(_l("Description"), filters=[unix_lines], validators=TEXT_CHECKS)
    description_en = TextAreaField(_l("Description"), filters=[unix_lines], validators=TEXT_CHECKS)
    description_id = TextAreaField(_l("Description"), filters=[unix_lines], validators=TEXT_CHECKS)
    description_vi = TextAreaField(_l("Description"), filters=[unix_lines], validators=TEXT_CHECKS)
    description_th = TextAreaField(_l("Description"), filters=[unix_lines], validators=TEXT_CHECKS)
    markets = StringField(
        _l("Target markets (country codes, comma-separated)"),
        validators=[Optional(), Regexp(CODE_LIST, message=_l("Use two-letter country codes separated by commas."))],
    )
    languages = StringField(
        _l("Languages (codes such as ko, en, comma-separated)"),
        validators=[Optional(), Regexp(LANGUAGE_LIST, message=_l("Use language codes separated by commas."))],
    )
    timezone = TimezoneField(_l("Time zone"))
    ticket_min_usd = IntegerField(_l("Ticket size from (USD)"), validators=[Optional(), NumberRange(min=0)])
    ticket_max_usd = IntegerField(_l("Ticket size up to (USD)"), validators=[Optional(), NumberRange(min=0)])
    existing_investors = TextAreaField(_l("Existing investors (one per line)"), filters=[unix_lines],
                                       validators=TEXT_CHECKS)
    submit = SubmitField(_l("Save profile"))

    def load(self, org, descriptions: dict[str, str]) -> None:
        """Fill the form with the organization's saved profile (a page shown, not a form sent), its description
        in each language as `profile_texts.by_language` gives it."""
        self.process(obj=org)
        for lang in LANGUAGES:
            self.text_box(lang).data = descriptions.get(lang, "")
        self.sectors.data = list(org.sectors or {})
        self.markets.data = ", ".join(org.markets or [])
        self.languages.data = ", ".join(org.languages or [])
        self.existing_investors.data = "\n".join(org.existing_investors or [])

    def text_box(self, lang: str):
        return self[f"description_{lang}"]

    def values(self, languages: list[str]) -> dict:
        """What was typed, as the profile service takes it (`services.profiles.update_profile`): the description
        in each of the `languages` the page showed."""
        return {
            "name": self.name.data, "name_latin": self.name_latin.data, "country": self.country.data,
            "website": self.website.data, "phone": self.phone.data, "sectors": list(self.sectors.data),
            "stages": list(self.stages.data),
            "descriptions": {lang: self.text_box(lang).data or "" for lang in languages},
            "markets": split_codes(self.markets.data, upper=True), "languages": split_codes(self.languages.data),
            "timezone": self.timezone.data, "ticket_min_usd": self.ticket_min_usd.data,
            "ticket_max_usd": self.ticket_max_usd.data,
            "existing_investors": (self.existing_investors.data or "").splitlines(),
        }

    def validate_ticket_max_usd(self, field):
        low = self.ticket_min_usd.data
        if low is not None and field.data is not None and field.data < low:
            raise ValidationError(_l("The upper end must not be below the lower end."))
