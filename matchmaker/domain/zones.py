"""Which time zone a party's times are shown in: the rule behind the other side's time beside a meeting and the
zone of a printed agenda. Plain Python over the organization and its people; no Flask, no database queries."""

from matchmaker.domain.timeslots import is_valid_zone


def organization_zone(org, people_first: bool = False) -> str | None:
    """An organization's time zone. Where the organization is (the other party's time beside a meeting): its
    own zone, else its first active member's. For a page its people read (a printed agenda), `people_first`:
    the first active member's own setting, else the organization's. Only valid zones count; None without one."""
    if org is None:
        return None
    people = [u.timezone for u in sorted(org.users, key=lambda u: u.id) if u.active]
    order = [*people, org.timezone] if people_first else [org.timezone, *people]
    return next((zone for zone in order if is_valid_zone(zone)), None)
