"""One-sheet Excel workbooks of the staff lists (organizations, audit log): the header in bold and frozen,
text kept as text (`exports.append_row`), instants as wall times in the zone the header names."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font

from matchmaker.services.exports import TIME_FORMAT, append_row

# A list exported whole stays a file a laptop opens; the page says when the export stops short.
EXPORT_ROWS = 50_000


def local(instant: datetime | None, zone: str) -> datetime | None:
    """Excel has no time zones: the wall time in `zone`."""
    return None if instant is None else instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def workbook(title: str, header: list[str], rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        append_row(sheet, row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = TIME_FORMAT
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
