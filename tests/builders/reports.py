"""Two offices with one past matchmaking day each, for the tests of the reports (test_reports_pages,
test_security_reports), and the address of a report of one of their scopes. A plain builder, not a fixture:
each test module's `offices` fixture adds its own meetings and feedback to office A's day."""

from datetime import date, time, timedelta

from matchmaker.enums import Role

DAY = date.today() - timedelta(days=3)


def two_offices(make_office, make_program, make_event, make_user) -> dict[str, dict]:
    """Offices "A" and "B": for each its office, program, event (a published past day in UTC, 9:00 to 12:00)
    and a staff member."""
    made = {}
    for name in ("A", "B"):
        office = make_office(name=f"Office {name}")
        program = make_program(office, title=f"Program {name}", start_date=DAY, end_date=DAY)
        event = make_event(program, title=f"Day {name}", date=DAY, published=True, timezone="UTC",
                           day_start=time(9), day_end=time(12))
        staff = make_user(Role.STAFF, office_id=office.id)
        made[name] = dict(office=office, program=program, event=event, staff=staff)
    return made


def report_url(scope: str, made: dict, name: str = "A", export: bool = False) -> str:
    """The dashboard (or its Excel export) of office `name`'s event, program or office, or of DAY's year."""
    path = "/staff/reports/export.xlsx" if export else "/staff/reports"
    if scope == "year":
        return f"{path}?scope=year&year={DAY.year}"
    return f"{path}?scope={scope}&id={made[name][scope].id}"
