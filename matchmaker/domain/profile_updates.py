"""What importing a checked row (see `profile_rows`) changes in an organization that exists already.

Only filled cells count: an empty cell, or a column the file lacks, leaves the stored value as it is, so a file
can complete profiles but never clears a field by accident. The description's columns (the original and one per
language) change the organization's texts together (`profile_texts.updated`). The kind, and the account columns
(e-mail, contact person, language of e-mails), are not profile fields: the kind identifies the organization and
accounts belong to their members.
"""

from collections.abc import Mapping

from matchmaker.domain import profile_texts
from matchmaker.domain.profile_rows import COLUMNS, DESCRIPTIONS, Problem

# Columns an import may update -> the organization's attribute of that value.
PROFILE_FIELDS = {
    "id": "external_id", "name": "name", "name_latin": "name_latin", "country": "country", "website": "website",
    "phone": "phone", "sectors": "sectors", "stages": "stages", "markets": "markets", "languages": "languages",
    "timezone": "timezone", "ticket_min_usd": "ticket_min_usd", "ticket_max_usd": "ticket_max_usd",
    "description": "description", "existing_investors": "existing_investors", "portfolio": "portfolio",
}
# Columns an import may update that are one language's text of the description: the column -> the language.
TEXT_COLUMNS = {column: column.split("_", 1)[1] for column in DESCRIPTIONS}
UPDATABLE = tuple(column for column in COLUMNS if column in PROFILE_FIELDS or column in TEXT_COLUMNS)


def current_values(organization) -> dict:
    """The organization's profile keyed by column, as a row's values are (its description in each language as
    `profile_texts.by_language` has it, so that an exported file imported again changes nothing)."""
    current = {column: getattr(organization, attribute) for column, attribute in PROFILE_FIELDS.items()}
    texts = profile_texts.by_language(organization.description, organization.description_lang, organization.texts)
    current.update({column: texts.get(lang) for column, lang in TEXT_COLUMNS.items()})
    for column in ("description", *TEXT_COLUMNS):  # as a file's cell is read (a form's line breaks were \r\n)
        current[column] = profile_texts.clean(current[column]) or None
    return current


def apply(organization, found: list[dict]) -> None:
    """Write the changes (`changes`) into the organization: each field, the texts of the description together."""
    original, by_lang = None, {}
    for change in found:
        column = change["field"]
        if column == "description":
            original = change["new"]
        elif column in TEXT_COLUMNS:
            by_lang[TEXT_COLUMNS[column]] = change["new"]
        else:
            setattr(organization, PROFILE_FIELDS[column], change["new"])
    if original is not None or by_lang:
        kept = profile_texts.updated(organization.description, organization.description_lang, organization.texts,
                                     original=original, by_lang=by_lang)
        organization.description, organization.description_lang = kept.description, kept.description_lang
        organization.texts = kept.texts


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def changes(current: Mapping, values: Mapping) -> list[dict]:
    """[{field, old, new}] for each column filled in `values` that differs from `current` (both keyed by
    column, as `profile_rows` normalizes them), in column order."""
    found = []
    for column in UPDATABLE:
        new, old = values.get(column), current.get(column)
        if _empty(new) or new == old:
            continue
        found.append({"field": column, "old": None if _empty(old) else old, "new": new})
    return found


def merged_problems(current: Mapping, found: list[dict]) -> list[Problem]:
    """Problems of the profile as it would be after the changes, though each cell is fine on its own: a
    ticket range whose new end falls below the stored start, or the other way round."""
    after = {**current, **{change["field"]: change["new"] for change in found}}
    low, high = after.get("ticket_min_usd"), after.get("ticket_max_usd")
    if low is not None and high is not None and low > high:
        return [Problem("ticket_max_usd", "ticket_range", high)]
    return []
