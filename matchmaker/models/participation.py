"""Participations: an organization's place in an event, from application to approval and check-in."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import Attendance, ParticipationStatus
from matchmaker.extensions import db


class Participation(db.Model):
    """An organization's place in an event, from application to approval."""

    __tablename__ = "participations"
    __table_args__ = (sa.UniqueConstraint("event_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ParticipationStatus] = mapped_column(
        enum_column(ParticipationStatus, "participation_status"), default=ParticipationStatus.APPLIED
    )
    # [{"start": ISO-8601 UTC, "end": ISO-8601 UTC}]; empty means available all day
    availability: Mapped[list] = mapped_column(sa.JSON, default=list)
    reason: Mapped[str | None] = mapped_column(sa.Text)  # why rejected, shown to the applicant
    max_meetings: Mapped[int | None] = mapped_column()  # staff's cap for this participant
    applied_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)  # API sync
    attendance: Mapped[Attendance] = mapped_column(
        enum_column(Attendance, "attendance"), default=Attendance.EXPECTED,
        server_default=Attendance.EXPECTED.value,
    )
    checked_in_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped["Event"] = relationship(back_populates="participations")  # noqa: F821
    organization: Mapped["Organization"] = relationship(back_populates="participations")  # noqa: F821
