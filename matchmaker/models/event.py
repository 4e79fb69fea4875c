"""Events: a matchmaking day, its times of day local to its zone and its slots derived from them."""

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.domain.timeslots import TimeSlot, day_slots, local_to_utc
from matchmaker.enums import EventMode, SchedulingMode
from matchmaker.extensions import db


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
    # Each online meeting's own room: a link with {room}, {meeting}, {event} (matchmaker.domain.rooms); None: online
    # meetings share `online_url`.
    room_link_template: Mapped[str | None] = mapped_column(sa.String(300))
    # Or the rooms an office owns, each with its fixed link, assigned by the scheduler as tables are:
    # [{"label": "Room 1", "url": "https://..."}, ...]
    virtual_rooms: Mapped[list | None] = mapped_column(sa.JSON)
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
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)  # API sync

    program: Mapped["Program"] = relationship(back_populates="events")  # noqa: F821
    participations: Mapped[list["Participation"]] = relationship(back_populates="event")  # noqa: F821

    def slots(self) -> list[TimeSlot]:
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
