"""Meetings: a request from one organization to another, the meeting placed in a slot when it is accepted,
and its seats (how the database refuses an organization two meetings at once)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import MeetingStatus, RequestStatus
from matchmaker.extensions import db


class MeetingRequest(db.Model):
    """One organization asks another for a meeting at an event.

    The pair is also stored ordered (low id, high id) so that the database allows one request
    per pair per event whichever side asked first.
    """

    __tablename__ = "meeting_requests"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "org_low_id", "org_high_id"),
        sa.CheckConstraint("org_low_id < org_high_id", name="pair_order"),
        sa.CheckConstraint(
            "(from_org_id = org_low_id AND to_org_id = org_high_id)"
            " OR (from_org_id = org_high_id AND to_org_id = org_low_id)",
            name="pair_matches",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    from_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    to_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    org_low_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    org_high_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    message: Mapped[str | None] = mapped_column(sa.Text)
    priority: Mapped[int] = mapped_column(default=0, server_default="0")  # staff's weight for the scheduler
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, "request_status"), default=RequestStatus.REQUESTED
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    responded_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # why the last scheduler run could not place this accepted request: {"code": ..., "params": {...}}
    unplaced_reason: Mapped[dict | None] = mapped_column(sa.JSON)

    event: Mapped["Event"] = relationship()  # noqa: F821
    from_org: Mapped["Organization"] = relationship(foreign_keys=[from_org_id])  # noqa: F821
    to_org: Mapped["Organization"] = relationship(foreign_keys=[to_org_id])  # noqa: F821
    meeting: Mapped["Meeting | None"] = relationship(back_populates="request")

    @validates("from_org_id", "to_org_id")
    def _keep_pair(self, key, value):
        other = self.to_org_id if key == "from_org_id" else self.from_org_id
        if other is not None and value is not None:
            self.org_low_id, self.org_high_id = min(value, other), max(value, other)
        return value

    def involves(self, organization_id: int | None) -> bool:
        return organization_id is not None and organization_id in (self.from_org_id, self.to_org_id)

    def other_org_id(self, organization_id: int) -> int:
        return self.to_org_id if organization_id == self.from_org_id else self.from_org_id

    def other_org(self, organization_id: int) -> "Organization":  # noqa: F821
        return self.to_org if organization_id == self.from_org_id else self.from_org


class Meeting(db.Model):
    """An accepted request placed in a slot. `uid` and `sequence` drive calendar invites."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.UniqueConstraint("id", "start_dt"),  # target of the seats' composite foreign key
        # One scheduled meeting per table at a time (a cancelled one leaves its table free; online days
        # have no table).
        sa.Index(
            "uq_meetings_table_in_use", "event_id", "start_dt", "table_label", unique=True,
            postgresql_where=sa.text("status = 'scheduled' AND table_label IS NOT NULL"),
            sqlite_where=sa.text("status = 'scheduled' AND table_label IS NOT NULL"),
        ),
        sa.CheckConstraint("end_dt > start_dt", name="time_order"),
        sa.CheckConstraint("sequence >= 0", name="sequence_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(120), unique=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meeting_requests.id", ondelete="CASCADE"), unique=True
    )
    start_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    end_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    table_label: Mapped[str | None] = mapped_column(sa.String(40))
    online_url: Mapped[str | None] = mapped_column(sa.String(300))
    language: Mapped[str | None] = mapped_column(sa.String(16))
    interpreter: Mapped[bool] = mapped_column(default=False)
    sequence: Mapped[int] = mapped_column(default=0)
    locked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())  # staff pinned it
    # Placed on the day in a slot freed by a no-show.
    walk_in: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The SEQUENCE participants' calendars last received (None: never invited). Publishing sends what is newer.
    invited_sequence: Mapped[int | None] = mapped_column()
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus, "meeting_status"), default=MeetingStatus.SCHEDULED
    )
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Raised by every change: two staff moving one meeting at once cannot both win (see services).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    request: Mapped[MeetingRequest] = relationship(back_populates="meeting")
    event: Mapped["Event"] = relationship()  # noqa: F821
    seats: Mapped[list["MeetingSeat"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True
    )


class MeetingSeat(db.Model):
    """One row per organization in a scheduled meeting.

    The unique (organization, start) pair is how the database refuses to put an organization in two
    meetings at the same time; the composite foreign key keeps `start_dt` equal to the meeting's.
    """

    __tablename__ = "meeting_seats"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "start_dt"),
        sa.ForeignKeyConstraint(
            ["meeting_id", "start_dt"],
            ["meetings.id", "meetings.start_dt"],
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
    )

    meeting_id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    start_dt: Mapped[datetime] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="seats")
