"""The sweep that makes erasure complete: every text and JSON column of every table (but the people's own rows, which
`erase` anonymises field by field) is searched for a person's identifiers (e-mail address, names, phone) and each
occurrence is replaced. The search covers the forms a value takes when stored: as typed, HTML-escaped (e-mail
bodies), escaped in JSON (imports, audit details) and in iCalendar text (invites, whose folded lines are unfolded
first). It writes with the caller's transaction and never commits."""

import html
import json
import re

import sqlalchemy as sa
from sqlalchemy import and_, or_, select, update

from matchmaker.extensions import db

SHORTEST = 3  # a shorter identifier ("Li") would hit other people's words; such a one is cleared only where it is
FOLD = re.compile(r"\r?\n[ \t]")  # iCalendar folds long lines: a line break and one space continue the line


def ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def variants(text: str) -> set[str]:
    """The forms `text` takes when stored."""
    return {text, html.escape(text, quote=True), json.dumps(text)[1:-1], ics_escape(text)}


class Replacer:
    """Replaces each identifier, in any stored form and any case, with its replacement."""

    def __init__(self, pairs: dict[str, str]) -> None:
        self.needles = {}
        for needle, replacement in pairs.items():
            needle = (needle or "").strip()
            if len(needle) >= SHORTEST:
                for form in variants(needle):
                    self.needles[form] = replacement
        forms = sorted(self.needles, key=len, reverse=True)  # the longest first: an address before its name
        self.pattern = re.compile("|".join(re.escape(f) for f in forms), re.IGNORECASE) if forms else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def text(self, value: str) -> str:
        if not self or not isinstance(value, str):
            return value
        lowered = {k.lower(): v for k, v in self.needles.items()}
        return self.pattern.sub(lambda m: lowered.get(m.group(0).lower(), self.needles.get(m.group(0), "")), value)

    def value(self, value):
        """A JSON value with every string (keys too) cleaned."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def conditions(self, column) -> list:
        """SQL conditions that find a row whose `column` may hold an identifier (Python then checks and replaces)."""
        text = sa.cast(column, sa.Text)
        found = []
        for form in self.needles:
            pattern = "%" + form.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            found += [text.like(pattern, escape="\\"), text.ilike(pattern, escape="\\")]
        return found


def text_columns(table: sa.Table) -> list[sa.Column]:
    """The columns of free text and JSON (not enumerations, which hold only their values)."""
    return [c for c in table.columns
            if isinstance(c.type, sa.String | sa.Text | sa.JSON) and not isinstance(c.type, sa.Enum)]


def sweep(replacer: Replacer, skip: tuple[str, ...] = ("users",)) -> dict[str, int]:
    """Replace the identifiers everywhere but in the tables `skip`; the rows changed, by table."""
    if not replacer:
        return {}
    db.session.flush()
    changed = {}
    for table in db.metadata.sorted_tables:
        columns = text_columns(table)
        if table.name in skip or not columns:
            continue
        rows = db.session.execute(select(table).where(or_(*(
            condition for column in columns for condition in replacer.conditions(column))))).mappings().all()
        if table.name == "outbox_messages":
            rows = _with_folded_invites(table, rows, replacer)
        count = 0
        for row in rows:
            values = {}
            for column in columns:
                old = row[column.name]
                if column.name == "calendar" and isinstance(old, str):
                    old = FOLD.sub("", old)
                new = replacer.value(old) if isinstance(column.type, sa.JSON) else replacer.text(old)
                if new != row[column.name]:
                    values[column.name] = new
            if values:
                key = and_(*(pk == row[pk.name] for pk in table.primary_key))
                db.session.execute(update(table).where(key).values(**values))
                count += 1
        if count:
            changed[table.name] = count
    db.session.expire_all()  # the objects the session holds read the swept values again
    return changed


def _with_folded_invites(table: sa.Table, rows, replacer: Replacer) -> list:
    """Add the messages whose invite holds an identifier only across a folded line (a search cannot see it)."""
    seen = {row["id"] for row in rows}
    extra = [row for row in db.session.execute(select(table).where(table.c.calendar.is_not(None))).mappings()
             if row["id"] not in seen and replacer.pattern.search(FOLD.sub("", row["calendar"]))]
    return [*rows, *extra]
