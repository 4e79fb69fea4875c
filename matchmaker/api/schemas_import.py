"""The API's schemas of the participant import as JSON: the rows sent (the spreadsheet import's columns, typed; each
text no longer than the column holds, at most MAX_ROWS rows a batch) and the preview answered (each row's problems,
changes and notes worded in the token owner's language, the counts, whether it is ready to import).

A row's shape is checked here (422, naming the row and the column); its values (kinds, codes, e-mails, duplicates,
what the database holds) are checked by the import's preview, as for a file, and listed as the row's problems."""

import json

from flask_babel import format_decimal, gettext
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate, validates_schema

from matchmaker.domain.profile_files import MAX_ROWS
from matchmaker.domain.profile_rows import COLUMNS, DESCRIPTIONS, MAX_LENGTH

MAX_CODE = 64  # a code (kind, locale, country, time zone, sector, stage, market, language)
MAX_ITEMS = 100  # items of a list of codes
MAX_DEALS = 500  # deals of a portfolio


def _text(key: str, description: str) -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(max=MAX_LENGTH.get(key, MAX_CODE)),
                         metadata={"description": description})


def _codes(description: str, length: int = MAX_CODE) -> fields.List:
    return fields.List(fields.String(validate=validate.Length(max=length)), allow_none=True,
                       validate=validate.Length(max=MAX_ITEMS), metadata={"description": description})


def _sectors(value) -> None:
    """A list of sector codes (weight 1 each), or an object sector code -> weight."""
    items = value if isinstance(value, list | dict) else None
    if value is None:
        return
    if items is None or len(items) > MAX_ITEMS or not all(isinstance(k, str) and len(k) <= MAX_CODE for k in items):
        raise ValidationError(gettext("Give a list of sector codes, or an object of sector code → weight."))
    if isinstance(value, dict) and not all(isinstance(w, int | float) and not isinstance(w, bool)
                                           for w in value.values()):
        raise ValidationError(gettext("Give a list of sector codes, or an object of sector code → weight."))


# The description in each language, a column each ("description_ko"…).
_Descriptions = type("_Descriptions", (Schema,), {
    key: _text(key, f"The description in {key.split('_', 1)[1]}.") for key in DESCRIPTIONS})


class ImportRowSchema(_Descriptions):
    """One participant: an organization and its contact person, in the columns of the spreadsheet import."""

    class Meta:
        unknown = RAISE  # a key of no column would be lost: refused, as the page refuses such a column

    id = _text("id", "Your own identifier of the organization (an existing one is updated).")
    kind = _text("kind", "company, investor or buyer (required).")
    name = _text("name", "The organization's name (required).")
    name_latin = _text("name_latin", "The name in Latin letters.")
    email = _text("email", "The contact person's e-mail: the new account's sign-in (required).")
    contact_name = _text("contact_name", "The contact person.")
    contact_name_latin = _text("contact_name_latin", "The contact person in Latin letters.")
    locale = _text("locale", "The language of the account's e-mails (en, ko, id, vi, th).")
    country = _text("country", "ISO 3166 alpha-2.")
    website = _text("website", "http:// or https://")
    phone = _text("phone", "")
    sectors = fields.Raw(allow_none=True, validate=_sectors, metadata={
        "description": "A list of sector codes, or an object sector code -> weight.",
        "oneOf": [{"type": "array", "items": {"type": "string"}},
                  {"type": "object", "additionalProperties": {"type": "number"}}]})
    stages = _codes("pre-seed, seed, series-a, series-b, series-c+, growth, other.")
    markets = _codes("ISO 3166 alpha-2 codes.")
    languages = _codes("BCP 47 codes (ko, en, vi…).")
    timezone = _text("timezone", "An IANA zone.")
    ticket_min_usd = fields.Integer(strict=True, allow_none=True, metadata={"description": "Whole dollars."})
    ticket_max_usd = fields.Integer(strict=True, allow_none=True, metadata={"description": "Whole dollars."})
    description = _text("description", "Free text, in whichever language it is written.")
    existing_investors = _codes("A company's current investors, by name.", MAX_LENGTH["name"])
    portfolio = fields.List(fields.Dict(keys=fields.String(), values=fields.Raw()), allow_none=True,
                            validate=validate.Length(max=MAX_DEALS),
                            metadata={"description": 'A partner\'s past deals: {"company"?, "sector", "stage", '
                                                     '"year", "amount_usd"?}.'})

    @validates_schema(pass_original=True)
    def finite(self, _data, original, **_kwargs):
        try:
            json.dumps(original, allow_nan=False)
        except ValueError:
            raise ValidationError(gettext("Numbers must be finite.")) from None


assert set(ImportRowSchema._declared_fields) == set(COLUMNS)


class NewImportSchema(Schema):
    rows = fields.List(fields.Nested(ImportRowSchema), required=True, validate=validate.Length(min=1),
                       metadata={"description": f"The participants, at most {MAX_ROWS:,} a batch."})

    @pre_load
    def at_most(self, data, **_kwargs):
        """A batch past MAX_ROWS is refused before any row of it is read."""
        if isinstance(data, dict) and isinstance(data.get("rows"), list) and len(data["rows"]) > MAX_ROWS:
            raise ValidationError(gettext(
                "One import takes at most %(limit)s rows, and this one has %(found)s: send them in several.",
                limit=format_decimal(MAX_ROWS), found=format_decimal(len(data["rows"]))), "rows")
        return data


class ImportProblemSchema(Schema):
    field = fields.String()
    code = fields.String()
    value = fields.Raw(allow_none=True)
    message = fields.String(metadata={"description": "In the token owner's language, as the page words it."})


class ImportChangeSchema(Schema):
    field = fields.String()
    old = fields.Raw(allow_none=True)
    new = fields.Raw(allow_none=True)
    message = fields.String()


class ImportNoteSchema(Schema):
    code = fields.String()
    message = fields.String()


class ImportRowResultSchema(Schema):
    line = fields.Integer(metadata={"description": "The row's place in `rows`, counted from 1."})
    status = fields.String(allow_none=True, metadata={
        "description": "new (an organization and its account are created), update, unchanged; null: a problem."})
    organization_id = fields.Integer(allow_none=True, metadata={"description": "The organization it updates."})
    joins = fields.Boolean(metadata={"description": "Whether it joins the day, approved."})
    values = fields.Dict(metadata={"description": "The row as read (trimmed, codes normalized)."})
    problems = fields.List(fields.Nested(ImportProblemSchema))
    changes = fields.List(fields.Nested(ImportChangeSchema))
    notes = fields.List(fields.Nested(ImportNoteSchema))


class ImportCountsSchema(Schema):
    rows = fields.Integer()
    with_problems = fields.Integer()
    new = fields.Integer(metadata={"description": "New organizations, each with one new account (invited)."})
    updated = fields.Integer()
    unchanged = fields.Integer()


class ImportBatchSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer(allow_none=True)
    office_id = fields.Integer(allow_none=True)
    status = fields.String(metadata={"description": "preview, imported or discarded."})
    ready = fields.Boolean(metadata={"description": "Whether confirming would import it now: a preview with rows, "
                                                    "none of them with a problem."})
    created_dt = fields.AwareDateTime()
    imported_dt = fields.AwareDateTime(allow_none=True)
    unknown_columns = fields.List(fields.String())
    counts = fields.Nested(ImportCountsSchema)
    imported = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True, metadata={
        "description": "Once imported: organizations, users, participations and invitations written."})
    rows = fields.List(fields.Nested(ImportRowResultSchema))
