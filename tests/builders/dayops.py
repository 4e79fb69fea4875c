"""A matchmaking day for the tests of the day's operations (check-in, board, no-shows, walk-ins, print):
an in-person day with tables, approved companies and investors with one user each, and meetings placed
through the meetings service. A plain builder, not a fixture: each test module wraps it in its own."""

from dataclasses import dataclass, field
from datetime import time

from matchmaker.enums import EventMode, OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingRequest, Organization, Participation, User
from matchmaker.services import meetings as meeting_service


@dataclass
class Day:
    event: Event
    staff: User
    orgs: dict[str, Organization]
    users: dict[str, User]
    participations: dict[str, Participation]
    meetings: dict[tuple[str, str], Meeting] = field(default_factory=dict)

    def meet(self, a: str, b: str, slot: int, table: str | None = None) -> Meeting:
        """Place an accepted meeting of `a` (company) and `b` in a slot (first free table by default)."""
        item = MeetingRequest(event_id=self.event.id, from_org_id=self.orgs[a].id, to_org_id=self.orgs[b].id,
                              status=RequestStatus.ACCEPTED)
        db.session.add(item)
        db.session.flush()
        s = self.event.slots()[slot]
        meeting = meeting_service.place(item, s, table or meeting_service.free_table(self.event, s))
        db.session.commit()
        self.meetings[a, b] = meeting
        return meeting


def build_day(make_office, make_program, make_event, make_user, make_participation, *, published=True,
              companies=("c1", "c2", "c3"), partners=("i1", "i2", "i3"), tables=3, **event_overrides) -> Day:
    office = make_office(timezone="Asia/Jakarta", city="Jakarta")
    event = make_event(
        make_program(office), mode=EventMode.IN_PERSON, timezone="Asia/Jakarta", venue="Hall A",
        day_start=time(9), day_end=time(12), slot_minutes=30, tables=tables, published=published,
        **event_overrides,
    )
    staff = make_user(Role.STAFF, office_id=office.id, name="Desk Staff")
    orgs, users, participations = {}, {}, {}
    for key in (*companies, *partners):
        role = Role.COMPANY if key in companies else Role.PARTNER
        user = make_user(role, name=f"Person {key}")
        org = user.organization
        org.name = f"Org {key}"
        if key.startswith("b"):
            org.kind = OrgKind.BUYER
        orgs[key], users[key] = org, user
        participations[key] = make_participation(event, org)
    db.session.commit()
    return Day(event, staff, orgs, users, participations)
