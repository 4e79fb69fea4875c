"""Files as people upload them, built from rows (the first row is the header): an Excel workbook, CSV text
and JSON Lines. Plain functions, imported by the import tests (`from builders.workbooks import xlsx_bytes`)."""

import io
import json

from openpyxl import Workbook


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8", delimiter=",") -> bytes:
    """CSV as spreadsheets write it: CRLF line ends, a cell quoted when it holds the delimiter."""
    lines = [delimiter.join(f'"{c}"' if delimiter in str(c) else str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def jsonl_bytes(rows) -> bytes:
    """One JSON object a line, keyed by the header row."""
    header, *body = rows
    return "\n".join(json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False) for row in body).encode()
