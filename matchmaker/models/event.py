from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.domain.timeslots import Slot, day_slots, local_to_utc
from matchmaker.enums import Attendance, EventMode, ParticipationStatus, SchedulingMode
from matchmaker.extensions import db


class Program(db.Model):
    """A scale-up program an office runs; it holds one or more matchmaking days."""

    __tablename__ = "programs"
    __table_args__ = (sa.CheckConstraint("end_date >= start_date", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date] = mapped_column(sa.Date)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    office: Mapped["Office"] = relationship(back_populates="programs")  # noqa: F821
    events: Mapped[list["Event"]] = relationship(back_populates="program", order_by="Event.date")


class Event(db.Model):
    """A matchmaking day. Times of day are local to `timezone`; instants derived from them are UTC."""

    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("day_end > day_start", name="day_order"),
        sa.CheckConstraint("slot_minutes BETWEEN 5 AND 240", name="slot_length"),
        sa.CheckConstraint("tables IS NULL OR tables >= 0", name="tables_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(sa.ForeignKey("programs.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    mode: Mapped[EventMode] = mapped_column(enum_column(EventMode, "event_mode"))
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    online_url: Mapped[str | None] = mapped_column(sa.String(300))
    timezone: Mapped[str] = mapped_column(sa.String(64))
    date: Mapped[date] = mapped_column(sa.Date)
    day_start: Mapped[time] = mapped_column(sa.Time)
    day_end: Mapped[time] = mapped_column(sa.Time)
    slot_minutes: Mapped[int] = mapped_column(default=30)
    # [{"start": "12:00", "end": "13:00"}], local times of day with no meetings
    breaks: Mapped[list] = mapped_column(sa.JSON, default=list)
    tables: Mapped[int | None] = mapped_column()  # None: no table limit (online)
    request_deadline_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scheduling: Mapped[SchedulingMode] = mapped_column(
        enum_column(SchedulingMode, "scheduling_mode"), default=SchedulingMode.BATCH,
        server_default=SchedulingMode.BATCH.value,
    )
    # Per participant: how many requests it may have waiting for an answer at once (None: no cap).
    max_open_requests: Mapped[int | None] = mapped_column()
    published: Mapped[bool] = mapped_column(default=False)  # schedule visible to participants
    published_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    program: Mapped[Program] = relationship(back_populates="events")
    participations: Mapped[list["Participation"]] = relationship(back_populates="event")

    def slots(self) -> list[Slot]:
        return day_slots(
            self.date, self.day_start, self.day_end, self.slot_minutes, self.breaks or [], self.timezone
        )

    @property
    def starts_at(self) -> datetime:
        return local_to_utc(self.date, self.day_start, self.timezone)

    @property
    def ends_at(self) -> datetime:
        return local_to_utc(self.date, self.day_end, self.timezone)

    @property
    def office(self):
        return self.program.office


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
    attendance: Mapped[Attendance] = mapped_column(
        enum_column(Attendance, "attendance"), default=Attendance.EXPECTED,
        server_default=Attendance.EXPECTED.value,
    )
    checked_in_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship(back_populates="participations")
    organization: Mapped["Organization"] = relationship(back_populates="participations")  # noqa: F821
