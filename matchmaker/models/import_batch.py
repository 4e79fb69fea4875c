"""Import batches: an uploaded participant file, kept parsed and checked until staff confirm it."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import ImportStatus
from matchmaker.extensions import db


class ImportBatch(db.Model):
    """An uploaded participant file, parsed and checked; written to the database only when staff confirm."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    # [{"line": n, "values": {...normalized profile...}, "problems": [{"field", "code", "value"}]}]
    rows: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[ImportStatus] = mapped_column(
        enum_column(ImportStatus, "import_status"), default=ImportStatus.PREVIEW
    )
    summary: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # counts after import
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def problem_count(self) -> int:
        return sum(len(row.get("problems", [])) for row in self.rows or [])
