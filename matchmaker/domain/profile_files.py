"""Participant files as records: the cells of an Excel workbook or a CSV file under their header, or the
objects of JSON Lines (../shared/formats/profile.md), each with its line number. No checking happens here.

A file past MAX_ROWS participants or MAX_CELLS filled cells is refused before anything is built from it, with
the count found (for a workbook stopped early: its declared range, else "more than")."""

import csv
import io
import json
import zipfile
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from matchmaker.domain import text_encodings

FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".jsonl": "jsonl"}
# Bounds on what one file may make the server hold: a small upload can unpack to gigabytes (a workbook is a zip
# file, and a sheet may declare a million rows of 16,384 columns that are never written). Past them the file is
# refused as too large, whatever it holds.
MAX_ROWS = 5000  # participants per file, header and blank lines not counted
MAX_CELLS = 200_000  # filled cells per file, the header's included: 5,000 rows of the 20 columns fit twice
MAX_COLUMNS = 200  # cells read per row of a workbook; the column set has 20
MAX_SHEET_LINES = 50_000  # lines of a sheet looked at, blank ones included
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a workbook's parts once unpacked


class UnreadableFile(ValueError):
    """The file as a whole cannot be read. `code` is one of: unknown_format, bad_xlsx, bad_encoding (`encoding`
    names the one tried, or auto), empty, too_large, too_many_rows and too_many_cells (`limit`, `found`, and
    `more` when reading stopped at the limit so that `found` is a lower bound)."""

    def __init__(self, code: str, *, limit: int | None = None, found: int | None = None, more: bool = False,
                 encoding: str | None = None):
        super().__init__(code)
        self.code, self.limit, self.found, self.more, self.encoding = code, limit, found, more, encoding


@dataclass
class Tally:
    """Rows and filled cells seen so far, against the caps."""

    rows: int = 0  # non-blank lines, the header's included
    cells: int = 0

    def add(self, cells: int) -> None:
        self.rows += 1
        self.cells += cells

    @property
    def over(self) -> bool:
        return self.rows > MAX_ROWS + 1 or self.cells > MAX_CELLS

    def refuse(self, more: bool = False, declared: tuple[int, int] | None = None) -> None:
        """Raise the refusal for the first cap passed; `declared` is a workbook's (rows, cells) by its range."""
        rows, cells = max(self.rows - 1, 0), self.cells
        if more:  # reading stopped at a cap: say "more than" the cap, unless the sheet's range says how much
            rows, cells = min(rows, MAX_ROWS), min(cells, MAX_CELLS)
        if declared and declared[0] - 1 >= rows and declared[1] >= cells:
            (rows, cells), more = (declared[0] - 1, declared[1]), False
        if self.rows > MAX_ROWS + 1:
            raise UnreadableFile("too_many_rows", limit=MAX_ROWS, found=rows, more=more)
        if self.cells > MAX_CELLS:
            raise UnreadableFile("too_many_cells", limit=MAX_CELLS, found=cells, more=more)


def header_key(text) -> str:
    """How a header is compared: spaces collapsed, case folded."""
    return " ".join(str(text).split()).casefold()


def file_format(filename: str) -> str:
    for suffix, kind in FORMATS.items():
        if filename.lower().endswith(suffix):
            return kind
    raise UnreadableFile("unknown_format")


def records(filename: str, data: bytes, columns: Collection[str], headers: Mapping[str, str],
            encoding: str = text_encodings.AUTO, preferred: str = text_encodings.DEFAULT_CODE_PAGE):
    """[(line, {column: raw value} or None for a malformed line)], the headers or keys naming no column, and
    the text encoding used (CSV only, else None).

    `headers` maps `header_key(label)` to a column, for headers written in people's languages; the column
    names themselves are always recognised. `encoding` and `preferred` (the office's code page) are those of
    `text_encodings.decode`."""
    kind = file_format(filename)
    if kind == "jsonl":
        return (*_jsonl_records(data, columns), None)
    known = {header_key(column): column for column in columns} | dict(headers)
    if kind == "xlsx":
        return (*_tabular(_xlsx_lines(data), known), None)
    text, used = decode_text(data, encoding, preferred)
    return (*_tabular(_csv_lines(text), known), used)


def _unzipped_size(data: bytes) -> int:
    """The workbook's parts unpacked, as the zip directory states them (zipfile never inflates a part past
    its stated size, so a lying directory cannot make openpyxl read more)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UnreadableFile("bad_xlsx") from error


def _xlsx_lines(data: bytes) -> Iterable[tuple[int, list]]:
    from openpyxl import load_workbook  # only when a workbook comes in: the module is heavy

    if _unzipped_size(data) > MAX_UNZIPPED_BYTES:
        raise UnreadableFile("too_large")
    lines, tally = [], Tally()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # Read-only sheets pad each row to the width the sheet declares, and yield the rows it skips: both are
        # bounded here, and blank lines are dropped as they come.
        for n, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1):
            if n > MAX_SHEET_LINES or _too_wide(values):
                raise UnreadableFile("too_large")
            if not all(_blank(value) for value in values):
                lines.append((n, list(values[:MAX_COLUMNS])))
                tally.add(sum(1 for value in values if not _blank(value)))
                if tally.over:  # reading on would cost seconds: the sheet's declared range gives the size
                    tally.refuse(more=True, declared=_declared(sheet))
        book.close()
    except UnreadableFile:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged upload fails in many ways (zip, XML, values)
        raise UnreadableFile("bad_xlsx") from error
    return lines


def _declared(sheet) -> tuple[int, int] | None:
    """(rows, cells) of a sheet's declared range (A1:T5000 -> 5,000 rows of 20 cells), None when absent."""
    try:
        rows, columns = sheet.max_row, sheet.max_column
    except Exception:  # noqa: BLE001 - a damaged dimension is no dimension
        return None
    return (rows, rows * columns) if rows and columns else None


def decode_text(data: bytes, encoding: str = text_encodings.AUTO,
                preferred: str = text_encodings.DEFAULT_CODE_PAGE) -> tuple[str, str]:
    """(text, the encoding used): see `text_encodings.decode`."""
    try:
        return text_encodings.decode(data, encoding, preferred)
    except text_encodings.DecodeError as error:
        raise UnreadableFile("bad_encoding", encoding=error.encoding) from None


def _csv_lines(text: str) -> Iterable[tuple[int, list]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)  # ties keep the comma
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines, tally = [], Tally()
    try:
        for n, cells in enumerate(reader, start=1):
            if _too_wide(cells):
                raise UnreadableFile("too_large")
            filled = sum(1 for cell in cells if not _blank(cell))
            if filled:
                tally.add(filled)
                if not tally.over:  # past a cap the rest is only counted, so the refusal can say how much
                    lines.append((n, cells))
    except csv.Error as error:
        raise UnreadableFile("bad_encoding") from error
    if tally.over:
        tally.refuse()
    return lines


def _too_wide(cells) -> bool:
    return len(cells) > MAX_COLUMNS and not all(_blank(cell) for cell in cells[MAX_COLUMNS:])


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _tabular(lines: Iterable[tuple[int, list]], known: Mapping[str, str]):
    """(line, cells) -> records of {column key: cell}, the first non-empty line being the header."""
    lines = [(n, cells) for n, cells in lines if not all(_blank(c) for c in cells)]
    if not lines:
        raise UnreadableFile("empty")
    (_, header), body = lines[0], lines[1:]
    keys, unknown = [], []
    for cell in header:
        key = None if _blank(cell) else known.get(header_key(cell))
        if key is None and not _blank(cell):
            unknown.append(str(cell).strip())
        keys.append(key if key not in keys else None)  # a repeated column: the first one counts
    records = [
        (n, {key: cell for key, cell in zip(keys, cells, strict=False) if key is not None}) for n, cells in body
    ]
    return records, unknown


def _jsonl_records(data: bytes, columns: Collection[str]):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile("bad_encoding", encoding=text_encodings.UTF8) from error
    records, unknown, tally = [], {}, Tally(rows=1)  # no header line: rows count from one
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):  # RecursionError: arrays or objects nested thousands deep
            item = None
        tally.add(len(item) if isinstance(item, dict) else 1)
        if tally.over:  # past a cap the rest is only counted
            continue
        if not isinstance(item, dict):
            records.append((n, None))
            continue
        raw = {key: value for key, value in item.items() if key in columns}
        if "ticket_usd" in item:  # the exchange format's [min, max]
            ticket = item["ticket_usd"]
            low, high = ticket if isinstance(ticket, list) and len(ticket) == 2 else (ticket, None)
            raw.setdefault("ticket_min_usd", low)
            raw.setdefault("ticket_max_usd", high)
        unknown.update((key, None) for key in item if key not in columns and key != "ticket_usd")
        records.append((n, raw))
    if tally.over:
        tally.refuse()
    if not records:
        raise UnreadableFile("empty")
    return records, list(unknown)
