"""What erasure leaves in place of a name or a message. The stored value is the English text, one value everywhere,
so queries and the retention run find it; the reader sees it in their own language (`matchmaker.i18n` passes every
`{{ … }}` of a page or an e-mail through `shown_marker`)."""


def N_(text: str) -> str:
    """Marks a text for translation where it is stored, not shown (pybabel extracts N_)."""
    return text


DELETED_NAME = N_("Deleted participant")
DELETED_ORGANIZATION = N_("Deleted organization")
REMOVED_MESSAGE = N_("[removed: the author's data was erased]")
MARKERS = frozenset({DELETED_NAME, DELETED_ORGANIZATION, REMOVED_MESSAGE})
