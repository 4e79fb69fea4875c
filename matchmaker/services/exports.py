"""Excel workbooks of a matchmaking day: its participants (the import's columns, so that a file exported and
imported again loses nothing; the description as the original and one column per language), its meeting requests
and its schedule. Headers are in the current locale; times name their zone."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.domain import profile_texts
from matchmaker.domain.profile_rows import COLUMNS, cell_values
from matchmaker.enums import MeetingStatus, ParticipationStatus
from matchmaker.extensions import db
from matchmaker.formatting import language_name
from matchmaker.models import Event, Meeting, MeetingRequest, Organization, Participation, User
from matchmaker.services.import_messages import COLUMN_LABELS
from matchmaker.services.queries import meeting_sides

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REQUEST_STATUS = {
    "requested": _l("Waiting for an answer"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "cancelled": _l("Cancelled"),
    "expired": _l("Expired"),
}
TIME_FORMAT = "yyyy-mm-dd hh:mm"


def append_row(sheet, values) -> None:
    """Add a row of cells. Text stays text: members write names, messages and comments, and openpyxl would
    store one starting with "=" as a formula that Excel runs when the file is opened; control characters
    that a workbook cannot hold are left out."""
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def workbook(title: str, header: list[str], rows) -> bytes:
    """One sheet: the header in bold and frozen, text kept as text (`append_row`), instants in TIME_FORMAT."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        append_row(sheet, row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = TIME_FORMAT
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def local(instant: datetime | None, zone: str) -> datetime | None:
    """Excel has no time zones: the wall time in `zone`, which the header names."""
    return None if instant is None else instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def profile_values(organization: Organization, user: User | None) -> dict:
    """An organization and its first member as the import's normalized values (the description: the original,
    and each language's text in its column)."""
    values = {key: getattr(organization, key, None) for key in COLUMNS}
    texts = profile_texts.by_language(organization.description, organization.description_lang, organization.texts)
    values.update({f"description_{lang}": text for lang, text in texts.items() if f"description_{lang}" in values})
    values.update(
        id=organization.external_id, kind=organization.kind.value,
        email=user.email if user else None, contact_name=user.name if user else None,
        contact_name_latin=user.name_latin if user else None,
        locale=user.locale if user else None,
    )
    return values


def participants_workbook(event: Event) -> bytes:
    """Approved participants of the day, one row each, in the import's columns."""
    participations = db.session.scalars(
        select(Participation).join(Organization)
        .where(Participation.event_id == event.id, Participation.status == ParticipationStatus.APPROVED)
        .options(selectinload(Participation.organization).selectinload(Organization.users))
        .order_by(Organization.name, Organization.id)
    ).all()
    rows = []
    for participation in participations:
        organization = participation.organization
        user = min(organization.users, key=lambda u: u.id, default=None)
        rows.append(cell_values(profile_values(organization, user)))
    return workbook(gettext("Participants"), [str(COLUMN_LABELS[key]) for key in COLUMNS], rows)


def template_workbook() -> bytes:
    """The columns and one example row, for staff preparing a file."""
    example = {
        "id": "KR-0001", "kind": "company", "name": "한빛 로보틱스", "name_latin": "Hanbit Robotics",
        "email": "ceo@hanbit-robotics.example", "contact_name": "김민준",
        "contact_name_latin": "Kim Minjun", "locale": "ko", "country": "KR",
        "website": "https://hanbit-robotics.example", "phone": "+82 2 1234 5678",
        "sectors": {"robotics": 1.0, "ai": 0.5}, "stages": ["series-a"], "markets": ["US", "ID"],
        "languages": ["ko", "en"], "timezone": "Asia/Seoul", "ticket_min_usd": 1000000,
        "ticket_max_usd": 3000000, "description": "창고용 자율주행 로봇.", "description_ko": "창고용 자율주행 로봇.",
        "description_en": "Autonomous mobile robots for warehouses.",
        "existing_investors": ["Kakao Ventures"], "portfolio": [],
    }
    return workbook(gettext("Participants"), [str(COLUMN_LABELS[key]) for key in COLUMNS],
                     [cell_values(example)])


def requests_workbook(event: Event, zone: str) -> bytes:
    """Every meeting request of the day; times in `zone` (the viewer's), named in the header."""
    requests = db.session.scalars(
        select(MeetingRequest).where(MeetingRequest.event_id == event.id)
        .options(selectinload(MeetingRequest.from_org), selectinload(MeetingRequest.to_org))
        .order_by(MeetingRequest.created_dt, MeetingRequest.id)
    ).all()
    header = [gettext("From"), gettext("To"), gettext("Status"), gettext("Message"),
              gettext("Requested (%(zone)s)", zone=zone)]
    rows = [
        [r.from_org.display_name, r.to_org.display_name, str(REQUEST_STATUS[r.status.value]), r.message,
         local(r.created_dt, zone)]
        for r in requests
    ]
    return workbook(gettext("Requests"), header, rows)


def schedule_workbook(event: Event, viewer_zone: str | None = None) -> bytes:
    """Scheduled meetings of the day in the event's zone, and in the viewer's zone when it differs (an online
    day seen from Seoul); each zone is named in its header."""
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.SCHEDULED)
        .options(*meeting_sides())
        .order_by(Meeting.start_dt, Meeting.table_label, Meeting.id)
    ).all()
    zones = [event.timezone] + ([viewer_zone] if viewer_zone and viewer_zone != event.timezone else [])
    header = [label for zone in zones
              for label in (gettext("Start (%(zone)s)", zone=zone), gettext("End (%(zone)s)", zone=zone))]
    header += [gettext("Table"), gettext("Company"), gettext("Investor or buyer"), gettext("Language"),
               gettext("Interpreter"), gettext("Walk-in")]
    yes, no = gettext("Yes"), gettext("No")
    rows = []
    for meeting in meetings:
        sides = sorted((meeting.request.from_org, meeting.request.to_org), key=lambda o: not o.is_company)
        times = [local(instant, zone) for zone in zones for instant in (meeting.start_dt, meeting.end_dt)]
        rows.append(times + [
            meeting.table_label, sides[0].display_name, sides[1].display_name, language_name(meeting.language),
            yes if meeting.interpreter else no, yes if meeting.walk_in else no,
        ])
    return workbook(gettext("Schedule"), header, rows)
