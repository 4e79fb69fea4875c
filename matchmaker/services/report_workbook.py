"""The reports dashboard as an Excel workbook: one sheet per table, the scope's heading above, numbers stored as
numbers with the table's number formats. Plain building from `report_tables`: no query, no request."""

import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from matchmaker.services.exports import append_row
from matchmaker.services.report_tables import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {"count": "#,##0", "percent": "0.0%", "usd": '"$"#,##0', "rating": "0.00"}


def sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Sheet"
    base, n = name, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def report_workbook(tables: list[Table], heading: str) -> bytes:
    """The tables of one report, each on its own sheet under `heading`."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(sheet_name(table.title, used))
        append_row(sheet, [heading])
        sheet["A1"].font = Font(bold=True)
        append_row(sheet, table.columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            append_row(sheet, [c.value for c in row])
            for cell, source in zip(sheet[sheet.max_row], row, strict=True):
                if source.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[source.kind]
        for index, column in enumerate(table.columns, start=1):
            width = max([len(str(column))] + [len(str(r[index - 1].value or "")) for r in table.rows])
            sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = min(max(width, 10) + 2, 60)
        sheet.freeze_panes = "A3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
