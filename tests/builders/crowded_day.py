"""A day crowded enough that the scheduler works on it for a while (a long breaks phase after the greedy start):
an in-person day of twenty-minute slots with few tables, companies each asking many partners, accepted, with
priorities. Same seed, same day. A plain builder for the scheduler progress and stop tests."""

import random
from dataclasses import dataclass
from datetime import time

from matchmaker.enums import EventMode, OrgKind, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Event, MeetingRequest, User


@dataclass
class CrowdedDay:
    event: Event
    staff: User


def build_crowded_day(make_office, make_program, make_event, make_user, make_participation, *, companies=24,
                      partners=16, asks=7, tables=8, seed=5) -> CrowdedDay:
    rng = random.Random(seed)
    office = make_office(timezone="Asia/Jakarta", city="Jakarta")
    event = make_event(make_program(office), mode=EventMode.IN_PERSON, timezone="Asia/Jakarta", venue="Hall A",
                       day_start=time(9), day_end=time(15), slot_minutes=20, tables=tables)
    staff = make_user(Role.STAFF, office_id=office.id, name="Run Staff")

    def member(role: Role, kind: OrgKind):
        user = make_user(role)
        user.organization.kind = kind
        make_participation(event, user.organization)
        return user.organization

    firms = [member(Role.COMPANY, OrgKind.COMPANY) for _ in range(companies)]
    others = [member(Role.PARTNER, OrgKind.BUYER) for _ in range(partners)]
    for firm in firms:
        for partner in rng.sample(others, asks):
            db.session.add(MeetingRequest(event_id=event.id, from_org_id=firm.id, to_org_id=partner.id,
                                          status=RequestStatus.ACCEPTED, priority=rng.choice((0, 0, 1, 2))))
    db.session.commit()
    return CrowdedDay(event, staff)
