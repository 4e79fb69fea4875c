"""Participant files as records: the cells of an Excel workbook or a CSV file under their header, or the
objects of JSON Lines (../shared/formats/profile.md), each with its line number. No checking happens here."""

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Collection, Iterable, Mapping

FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".jsonl": "jsonl"}
# Bounds on what one file may make the server hold: a small upload can unpack to gigabytes (a workbook is a zip
# file, and a sheet may declare a million rows of 16,384 columns that are never written). Past them the file is
# refused as too large, whatever it holds.
MAX_ROWS = 5000  # participants per file, header and blank lines not counted
MAX_COLUMNS = 200  # cells read per row of a workbook; the column set has 20
MAX_SHEET_LINES = 50_000  # lines of a sheet looked at, blank ones included
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a workbook's parts once unpacked


class UnreadableFile(ValueError):
    """The file as a whole cannot be read. `code` is one of: unknown_format, bad_xlsx, bad_encoding, empty,
    too_large."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def header_key(text) -> str:
    """How a header is compared: spaces collapsed, case folded."""
    return " ".join(str(text).split()).casefold()


def file_format(filename: str) -> str:
    for suffix, kind in FORMATS.items():
        if filename.lower().endswith(suffix):
            return kind
    raise UnreadableFile("unknown_format")


def records(filename: str, data: bytes, columns: Collection[str], headers: Mapping[str, str]):
    """[(line, {column: raw value} or None for a malformed line)] and the headers or keys naming no column.

    `headers` maps `header_key(label)` to a column, for headers written in people's languages; the column
    names themselves are always recognised."""
    kind = file_format(filename)
    if kind == "jsonl":
        return _jsonl_records(data, columns)
    known = {header_key(column): column for column in columns} | dict(headers)
    return _tabular(_xlsx_lines(data) if kind == "xlsx" else _csv_lines(data), known)


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
    lines = []
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
                _check_count(lines)
        book.close()
    except UnreadableFile:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged upload fails in many ways (zip, XML, values)
        raise UnreadableFile("bad_xlsx") from error
    return lines


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with its mark, else CP949: what Korean Excel writes
    (a superset of EUC-KR)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableFile("bad_encoding") from error
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("bad_encoding")


def _csv_lines(data: bytes) -> Iterable[tuple[int, list]]:
    text = decode_text(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)  # ties keep the comma
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    try:
        for n, cells in enumerate(reader, start=1):
            if _too_wide(cells):
                raise UnreadableFile("too_large")
            if not all(_blank(cell) for cell in cells):
                lines.append((n, cells))
                _check_count(lines)
    except csv.Error as error:
        raise UnreadableFile("bad_encoding") from error
    return lines


def _too_wide(cells) -> bool:
    return len(cells) > MAX_COLUMNS and not all(_blank(cell) for cell in cells[MAX_COLUMNS:])


def _check_count(lines: list) -> None:
    if len(lines) > MAX_ROWS + 1:  # the header, then the rows
        raise UnreadableFile("too_large")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _tabular(lines: Iterable[tuple[int, list]], known: Mapping[str, str]):
    """(line, cells) -> records of {column key: cell}, the first non-empty line being the header."""
    lines = [(n, cells) for n, cells in lines if not all(_blank(c) for c in cells)]
    if not lines:
        raise UnreadableFile("empty")
    _check_count(lines)
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
        raise UnreadableFile("bad_encoding") from error
    records, unknown = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):  # RecursionError: arrays or objects nested thousands deep
            item = None
        if not isinstance(item, dict):
            records.append((n, None))
            continue
        raw = {key: value for key, value in item.items() if key in columns}
        if "ticket_usd" in item:  # the exchange format's [min, max]
            ticket = item["ticket_usd"]
            low, high = ticket if isinstance(ticket, list) and len(ticket) == 2 else (ticket, None)
            raw.setdefault("ticket_min_usd", low)
            raw.setdefault("ticket_max_usd", high)
        unknown += [key for key in item if key not in columns and key != "ticket_usd" and key not in unknown]
        records.append((n, raw))
        if len(records) > MAX_ROWS:
            raise UnreadableFile("too_large")
    if not records:
        raise UnreadableFile("empty")
    return records, unknown
