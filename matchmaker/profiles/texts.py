"""`profile_text(org)` for every page where a partner (or staff) reads an organization's description: the text in
the reader's language, else English, else the original with "(in Korean)" after it, the language named in the
reader's language (`domain.profile_texts.choose` decides which). Pages render it with the macro of
templates/profiles/_text.html. A template helper only: nothing is changed here."""

from dataclasses import dataclass

from flask_babel import gettext as _

from matchmaker.domain import profile_texts
from matchmaker.formatting import language_name
from matchmaker.i18n import viewer_locale
from matchmaker.profiles.routes import bp


@dataclass(frozen=True)
class ProfileText:
    text: str
    lang: str  # for the element's `lang`, so that fonts and line breaking follow the text
    note: str  # "(in Korean)" when the text is not in the reader's language nor English, else ""


@bp.app_template_global()
def profile_text(org, field: str = "description") -> ProfileText | None:
    """The text of `org`'s `field` the current reader sees (in a `force_locale` block: that language's reader);
    None when there is none."""
    shown = profile_texts.choose(org.description, org.description_lang, org.texts, viewer_locale(), field)
    if shown is None:
        return None
    note = _("(in %(language)s)", language=language_name(shown.lang)) if shown.marked else ""
    return ProfileText(shown.text, shown.lang, note)


@bp.app_template_global()
def profile_texts_by_language(org, field: str = "description") -> list[tuple[str, str, bool]]:
    """(language, text, whether it is the original) for each language `org` has a text in, for staff pages."""
    found = profile_texts.by_language(org.description, org.description_lang, org.texts, field)
    original = profile_texts.original_language(org.description, org.description_lang)
    return [(lang, text, lang == original) for lang, text in found.items()]
