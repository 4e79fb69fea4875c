"""Organizations: a company, investor or buyer and its profile."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.database import UTCDateTime, enum_column, utcnow
from matchmaker.enums import OrgKind
from matchmaker.extensions import db


class Organization(db.Model):
    """A company, investor or buyer: the profile of ../shared/formats/profile.md."""

    __tablename__ = "organizations"
    __table_args__ = (
        sa.CheckConstraint(
            "ticket_min_usd IS NULL OR ticket_max_usd IS NULL OR ticket_min_usd <= ticket_max_usd",
            name="ticket_range",
        ),
        sa.CheckConstraint("ticket_min_usd IS NULL OR ticket_min_usd >= 0", name="ticket_min_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind, "org_kind"))
    name: Mapped[str] = mapped_column(sa.String(200))  # in its own script (한글 for Korean companies)
    name_latin: Mapped[str | None] = mapped_column(sa.String(200))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    # sector code -> weight (a list in the exchange format becomes weight 1.0 each)
    sectors: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    stages: Mapped[list] = mapped_column(sa.JSON, default=list)
    description: Mapped[str | None] = mapped_column(sa.Text)  # as first written, in `description_lang`
    description_lang: Mapped[str | None] = mapped_column(sa.String(16))
    # the free texts a partner reads, per language: {"en": {"description": "..."}, "ko": {...}}
    texts: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default="{}")
    markets: Mapped[list] = mapped_column(sa.JSON, default=list)
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    ticket_min_usd: Mapped[int | None] = mapped_column(sa.BigInteger)
    ticket_max_usd: Mapped[int | None] = mapped_column(sa.BigInteger)
    existing_investors: Mapped[list] = mapped_column(sa.JSON, default=list)
    portfolio: Mapped[list] = mapped_column(sa.JSON, default=list)
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    users: Mapped[list["User"]] = relationship(back_populates="organization")  # noqa: F821
    participations: Mapped[list["Participation"]] = relationship(back_populates="organization")  # noqa: F821

    @property
    def is_company(self) -> bool:
        return self.kind == OrgKind.COMPANY

    @property
    def display_name(self) -> str:
        if self.name_latin and self.name_latin != self.name:
            return f"{self.name} ({self.name_latin})"
        return self.name

    def __repr__(self) -> str:
        return f"<Organization {self.kind} {self.name}>"
