"""Excel exports of the staff lists (organizations, audit log, outbox): the workbook builder of
`services.exports`, and how many rows one export holds."""

from matchmaker.services.exports import local, workbook

__all__ = ["EXPORT_ROWS", "local", "workbook"]

# A list exported whole stays a file a laptop opens: an export holds this many rows at most.
EXPORT_ROWS = 50_000
