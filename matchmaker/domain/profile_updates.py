"""What importing a checked row (see `profile_rows`) changes in an organization that exists already.

Only filled cells count: an empty cell, or a column the file lacks, leaves the stored value as it is, so a file
can complete profiles but never clears a field by accident. The kind, and the account columns (e-mail, contact
person, language of e-mails), are not profile fields: the kind identifies the organization and accounts belong
to their members.
"""

from collections.abc import Mapping

from matchmaker.domain.profile_rows import Problem

# Columns an import may update -> the organization's attribute of that value.
PROFILE_FIELDS = {
    "id": "external_id", "name": "name", "name_latin": "name_latin", "country": "country", "website": "website",
    "phone": "phone", "sectors": "sectors", "stages": "stages", "markets": "markets", "languages": "languages",
    "timezone": "timezone", "ticket_min_usd": "ticket_min_usd", "ticket_max_usd": "ticket_max_usd",
    "description": "description", "existing_investors": "existing_investors", "portfolio": "portfolio",
}


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def changes(current: Mapping, values: Mapping) -> list[dict]:
    """[{field, old, new}] for each column filled in `values` that differs from `current` (both keyed by
    column, as `profile_rows` normalizes them), in column order."""
    found = []
    for column in PROFILE_FIELDS:
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
