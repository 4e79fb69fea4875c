"""Schedule runs: one run of the scheduler for an event, from queued to applied."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import RunStatus
from matchmaker.extensions import db


class ScheduleRun(db.Model):
    """One run of the scheduler for an event: queued, solved in the background, applied as a draft."""

    __tablename__ = "schedule_runs"
    __table_args__ = (
        # At most one queued or running run per event: a double click or two staff cannot start two.
        sa.Index(
            "uq_schedule_runs_active_event", "event_id", unique=True,
            postgresql_where=sa.text("status IN ('queued', 'running')"),
            sqlite_where=sa.text("status IN ('queued', 'running')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus, "run_status"), default=RunStatus.QUEUED)
    time_limit: Mapped[int] = mapped_column(default=60)
    keep_placed: Mapped[bool] = mapped_column(default=True)  # re-schedule around what is placed
    instance: Mapped[dict | None] = mapped_column(sa.JSON)  # what was solved, for replay and export
    result: Mapped[dict | None] = mapped_column(sa.JSON)  # the schedule, in the exchange format
    moved: Mapped[list] = mapped_column(sa.JSON, default=list)  # request ids whose meeting moved
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The best schedule so far while the run works (scheduling.progress.Progress.as_dict), written by the worker.
    progress: Mapped[dict | None] = mapped_column(sa.JSON)
    stop_requested_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)  # staff asked to stop: keep the best

    event: Mapped["Event"] = relationship()  # noqa: F821
