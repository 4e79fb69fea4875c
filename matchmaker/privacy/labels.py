"""What erasure leaves in place of a name or a message. The stored value is the English text, one value everywhere,
so queries and the retention run find it; the reader sees it in their own language, because every `{{ … }}` of a
page or an e-mail passes through `shown` (Jinja's `finalize`)."""

from flask import Flask
from flask_babel import gettext


def N_(text: str) -> str:
    """Marks a text for translation where it is stored, not shown (pybabel extracts N_)."""
    return text


DELETED_NAME = N_("Deleted participant")
DELETED_ORGANIZATION = N_("Deleted organization")
REMOVED_MESSAGE = N_("[removed: the author's data was erased]")
MARKERS = frozenset({DELETED_NAME, DELETED_ORGANIZATION, REMOVED_MESSAGE})


def shown(value):
    """A marker in the reader's language; anything else as it is."""
    if isinstance(value, str) and value in MARKERS:
        return gettext(value)
    return value


def init_app(app: Flask) -> None:
    app.jinja_env.finalize = shown
