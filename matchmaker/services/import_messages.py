"""What an import says in the reader's language: the column headers (a file's headers may be in any of the app's
languages), the text encodings, why a file is refused as a whole, and each row's problems, changes and notes
as the preview lists them. Words only: reading the file and writing the rows is `services.imports`."""

from flask_babel import LazyString, format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matchmaker.domain import profile_files, profile_texts, text_encodings
from matchmaker.domain.profile_rows import MAX_LENGTH, UnreadableFile
from matchmaker.formatting import language_name


def _description_in(lang: str) -> str:
    return _("Description (%(language)s)", language=language_name(lang))


# Headers of the column set, in the reader's language; a file's headers may be in any of the app's languages.
COLUMN_LABELS = {
    "id": _l("External ID"),
    "kind": _l("Kind"),
    "name": _l("Name"),
    "name_latin": _l("Name in Latin letters"),
    "email": _l("E-mail"),
    "contact_name": _l("Contact person"),
    "contact_name_latin": _l("Contact person in Latin letters"),
    "locale": _l("Language of e-mails"),
    "country": _l("Country"),
    "website": _l("Website"),
    "phone": _l("Phone"),
    "sectors": _l("Sectors"),
    "stages": _l("Stages"),
    "markets": _l("Markets"),
    "languages": _l("Languages"),
    "timezone": _l("Time zone"),
    "ticket_min_usd": _l("Ticket size from (USD)"),
    "ticket_max_usd": _l("Ticket size up to (USD)"),
    "description": _l("Description"),
    # One column per language, named in the reader's language: "Description (English)", "설명 (영어)".
    **{f"description_{lang}": LazyString(_description_in, lang) for lang in profile_texts.LANGUAGES},
    "existing_investors": _l("Existing investors"),
    "portfolio": _l("Portfolio"),
}

FILE_ERRORS = {
    "unknown_format": _l("Upload an Excel workbook (.xlsx), a CSV file (.csv) or JSON Lines (.jsonl)."),
    "bad_xlsx": _l("This file cannot be read as an Excel workbook."),
    "bad_encoding": _l("This file cannot be read: save it as CSV in UTF-8, or choose the encoding it was saved "
                       "in."),
    "bad_encoding_chosen": _l("This file cannot be read as %(encoding)s: choose another encoding, or Automatic."),
    "empty": _l("This file has no rows."),
    "too_large": _l("This file is too large for one import (at most %(rows)d participants): split it into "
                    "smaller files.", rows=profile_files.MAX_ROWS),
    "too_many_rows": _l("This file is too large for one import: it has %(found)s participants, and one import "
                        "takes at most %(limit)s. Split it into smaller files."),
    "too_many_rows_more": _l("This file is too large for one import: it has more than %(found)s participants, "
                             "and one import takes at most %(limit)s. Split it into smaller files."),
    "too_many_cells": _l("This file is too large for one import: it has %(found)s cells, and one import reads "
                         "at most %(limit)s. Remove the columns that are not imported, or split it into smaller "
                         "files."),
    "too_many_cells_more": _l("This file is too large for one import: it has more than %(found)s cells, and one "
                              "import reads at most %(limit)s. Remove the columns that are not imported, or split "
                              "it into smaller files."),
}
ENCODING_LABELS = {
    text_encodings.AUTO: _l("Automatic"),
    "utf-8": _l("UTF-8 (Unicode)"),
    "utf-16": _l("UTF-16 (Unicode)"),
    "cp949": _l("Korean (CP949 / EUC-KR)"),
    "cp874": _l("Thai (Windows-874 / TIS-620)"),
    "cp1258": _l("Vietnamese (Windows-1258)"),
}
PROBLEMS = {
    "required": _l("Required"),
    "bad_value": _l("Expected a single value: %(value)s"),
    "too_long": _l("Too long: at most %(max)d characters"),
    "bad_kind": _l("Not company, investor or buyer: %(value)s"),
    "bad_email": _l("Not a valid e-mail address"),
    "unknown_locale": _l("Not a language of Matchmaker: %(value)s"),
    "bad_country": _l("Not a two-letter country code: %(value)s"),
    "unknown_sector": _l("Unknown sector: %(value)s"),
    "bad_weight": _l("Not a sector with a positive weight: %(value)s"),
    "unknown_stage": _l("Unknown stage: %(value)s"),
    "unknown_market": _l("Not a two-letter country code: %(value)s"),
    "unknown_language": _l("Unknown language code: %(value)s"),
    "unknown_timezone": _l("Unknown time zone: %(value)s"),
    "bad_url": _l("Not a web address starting with http:// or https://: %(value)s"),
    "bad_number": _l("Not a whole number: %(value)s"),
    "negative": _l("Must not be negative: %(value)s"),
    "ticket_range": _l("Below the lower end of the ticket size: %(value)s"),
    "text_conflict": _l("Not the same text as the Description column, which is written in this language: "
                        "%(value)s"),
    "bad_portfolio": _l("Not a JSON list of deals: %(value)s"),
    "bad_json": _l("Not a JSON object"),
    "duplicate": _l("Duplicate of line %(line)d"),
    "email_taken": _l("An account with this e-mail already exists"),
    "id_taken": _l("An organization with this external ID already exists"),
    "staff_email": _l("Belongs to a staff account"),
    "kind_mismatch": _l("Matches an existing organization of another kind: %(value)s"),
    "id_email_conflict": _l("The external ID and the e-mail belong to two different organizations"),
    "not_a_member": _l("Not an account of the organization with this external ID"),
    "id_differs": _l("The account of this e-mail belongs to the organization with external ID %(value)s"),
    "same_organization": _l("The same organization as line %(line)d"),
    "ticket_range_after": _l("Below the lower end of the ticket size stored for this organization: %(value)s"),
}
NOTES = {
    "participation_applied": _l("Its application to this day waits for a decision; the import leaves it so."),
    "participation_rejected": _l("Rejected for this day; the import does not change that."),
    "participation_withdrawn": _l("Withdrawn from this day; the import does not change that."),
    "account_kept": _l("Contact person and language of e-mails are the member's own settings; the import "
                       "does not change them."),
}


def file_error(error: UnreadableFile) -> str:
    """A file refused as a whole, in the reader's language, with the limit and the count it found."""
    if error.code == "bad_encoding" and error.encoding not in (None, text_encodings.AUTO):
        return str(FILE_ERRORS["bad_encoding_chosen"] % {"encoding": ENCODING_LABELS[error.encoding]})
    if error.code in ("too_many_rows", "too_many_cells"):
        message = FILE_ERRORS[error.code + ("_more" if error.more else "")]
        return str(message % {"found": format_decimal(error.found), "limit": format_decimal(error.limit)})
    return str(FILE_ERRORS[error.code])


def describe(problem: dict) -> str:
    """One problem in the reader's language, after the column it concerns."""
    params = {"value": problem.get("value"), "line": problem.get("value"), "max": MAX_LENGTH.get(problem["field"])}
    message = str(PROBLEMS.get(problem["code"], problem["code"])) % params
    label = COLUMN_LABELS.get(problem["field"])
    return f"{label}: {message}" if label else message


def import_summary(summary: dict) -> str:
    return _("%(new)d new, %(updated)d updated, %(unchanged)d unchanged", new=summary.get("new", 0),
             updated=summary.get("updated", 0), unchanged=summary.get("unchanged", 0))


def batch_summary(summary: dict, rows: list[dict]) -> str:
    """The batch's "3 new, 1 updated, 0 unchanged": as imported, or as its rows in the preview stand now."""
    if "new" not in summary:
        statuses = [row.get("status") for row in rows]
        summary = {key: statuses.count(status) for key, status in (("new", "new"), ("updated", "update"),
                                                                   ("unchanged", "unchanged"))}
    return import_summary(summary)


def _shown(field: str, value) -> str:
    """A value of a change as the preview shows it: lists joined, long text cut."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if field == "sectors":
        value = [code if weight == 1 else f"{code}:{weight:g}" for code, weight in value.items()]
    if field == "portfolio":
        return ngettext("%(num)d deal", "%(num)d deals", len(value))
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    if isinstance(value, int):
        return format_decimal(value)
    value = " ".join(str(value).split())
    return value if len(value) <= 60 else value[:59] + "…"


def describe_change(change: dict) -> str:
    """One change of a row: "Sectors: ai → ai, cloud"."""
    field = change["field"]
    return f"{COLUMN_LABELS[field]}: {_shown(field, change['old'])} → {_shown(field, change['new'])}"


def describe_note(note: dict) -> str:
    return str(NOTES.get(note["code"], note["code"]))
