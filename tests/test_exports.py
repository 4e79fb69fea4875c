"""Excel exports of a day: participants in the import's columns (a round trip loses nothing, whatever the
staff member's language), requests and schedule with their times' zones named."""

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from builders.import_desk import upload
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from matchmaker.domain.profile_rows import COLUMNS, header_key
from matchmaker.enums import ImportStatus, OrgKind, ParticipationStatus, RequestStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, ImportBatch, Organization, OutboxMessage, Participation, User
from matchmaker.services.import_messages import COLUMN_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROFILE_FIELDS = (
    "external_id", "kind", "name", "name_latin", "country", "website", "phone", "sectors", "stages",
    "description", "markets", "languages", "timezone", "ticket_min_usd", "ticket_max_usd", "existing_investors",
    "portfolio",
)


@pytest.fixture
def office(make_office):
    return make_office(name="Seoul desk", timezone="Asia/Seoul")


@pytest.fixture
def event(office, make_program, make_event):
    return make_event(make_program(office), title="Robotics day", timezone="America/Los_Angeles")


@pytest.fixture
def participants(event, make_org, make_user, make_participation):
    """Organizations with every profile field in use, and some left empty."""
    full = make_org(
        OrgKind.COMPANY, external_id="KR-100", name="한빛 로보틱스", name_latin="Hanbit Robotics", country="KR",
        website="https://hanbit.example", phone="+82 2 555 0100", sectors={"robotics": 1.0, "ai": 0.25},
        stages=["series-a", "series-b"], description="창고용 자율주행 로봇.\nSecond line, with a comma.",
        markets=["US", "ID"], languages=["ko", "en"], timezone="Asia/Seoul", ticket_min_usd=0,
        ticket_max_usd=5_000_000, existing_investors=["Kakao Ventures, Inc.", "KB Investment"], portfolio=[],
    )
    investor = make_org(
        OrgKind.INVESTOR, external_id=None, name="Sand Hill Partners", name_latin=None, country="US",
        sectors={"ai": 1.0, "saas": 1.0}, stages=["seed"], markets=["US", "KR"], languages=["en"],
        timezone="America/Los_Angeles", ticket_min_usd=250_000, ticket_max_usd=None, existing_investors=[],
        portfolio=[{"company": "Acme", "sector": "ai", "stage": "seed", "year": 2021, "amount_usd": 500000}],
    )
    bare = make_org(OrgKind.BUYER, name="Nusantara Retail", country=None, sectors={}, stages=[], markets=[],
                    languages=[], timezone=None, existing_investors=[], portfolio=[])
    make_user(Role.COMPANY, organization=full, email="ceo@hanbit.example", name="김민준", locale="ko")
    make_user(Role.PARTNER, organization=investor, email="gp@sandhill.example", name="Pat Lee", locale="en")
    make_user(Role.PARTNER, organization=bare, email="buy@nusantara.example", name="Dewi", locale="id")
    for org in (full, investor, bare):
        make_participation(event, org)
    make_participation(event, make_org(OrgKind.COMPANY), ParticipationStatus.APPLIED)  # not exported
    return [full, investor, bare]


def snapshot() -> list[dict]:
    db.session.expire_all()
    orgs = db.session.scalars(select(Organization).order_by(Organization.name)).all()
    return [
        {**{key: getattr(org, key) for key in PROFILE_FIELDS},
         "users": [(u.email, u.name, u.locale) for u in org.users]}
        for org in orgs
    ]


def sheet_rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def wipe_members():
    for model in (OutboxMessage, ImportBatch, Participation):
        db.session.execute(delete(model))
    db.session.execute(delete(User).where(User.role.in_([Role.COMPANY, Role.PARTNER])))
    db.session.execute(delete(Organization))
    db.session.commit()


def test_participants_export_then_import_into_an_empty_database_loses_nothing(
        client, auth, office, event, participants, make_user):
    auth.login(make_user(Role.STAFF, office_id=office.id))
    response = client.get(f"/staff/events/{event.id}/export/participants.xlsx")
    assert response.mimetype == XLSX
    assert f'filename={event.date.isoformat()}-event-{event.id}-participants.xlsx' in (
        response.headers["Content-Disposition"])
    rows = sheet_rows(response.data)
    assert len(rows) == 4  # the header and the three approved participants
    db.session.execute(delete(Participation).where(Participation.status == ParticipationStatus.APPLIED))
    db.session.execute(delete(User).where(User.email.notin_([
        "ceo@hanbit.example", "gp@sandhill.example", "buy@nusantara.example",
    ]), User.role != Role.STAFF))
    db.session.execute(delete(Organization).where(~Organization.users.any()))
    db.session.commit()
    before = snapshot()
    assert len(before) == 3

    wipe_members()
    assert snapshot() == []
    upload(client, event, response.data, "participants.xlsx")
    batch = db.session.scalars(select(ImportBatch)).one()
    assert [row["problems"] for row in batch.rows] == [[], [], []]
    client.post(f"/staff/imports/{batch.id}/confirm")

    assert snapshot() == before


def test_headers_follow_the_staff_language_and_import_again_in_any_language(
        client, auth, office, event, participants, make_user):
    korean = make_user(Role.STAFF, office_id=office.id, locale="ko")
    auth.login(korean)
    data = client.get(f"/staff/events/{event.id}/export/participants.xlsx").data
    header = sheet_rows(data)[0]
    assert len(header) == len(COLUMNS)
    assert {"이름", "분야", "국가", "시간대"} <= set(header)  # name, sectors, country, time zone
    wipe_members()
    auth.logout()
    auth.login(make_user(Role.STAFF, office_id=office.id, locale="en"))
    upload(client, event, data, "참가자.xlsx")
    batch = db.session.scalars(select(ImportBatch)).one()
    assert batch.summary["unknown_columns"] == []
    assert [(row["values"]["name"], row["problems"]) for row in batch.rows] == [
        ("Nusantara Retail", []), ("Sand Hill Partners", []), ("한빛 로보틱스", []),
    ]


def test_headers_are_distinct_in_every_language(app):
    with app.test_request_context():
        for locale in app.config["LANGUAGES"]:
            with force_locale(locale):
                keys = {header_key(str(label)) for label in COLUMN_LABELS.values()}
            assert len(keys) == len(COLUMNS), f"two columns share a header in {locale}"


def test_requests_export_names_the_viewers_zone(client, auth, office, event, participants, make_user,
                                                make_request):
    company, investor, buyer = participants
    created = datetime(2027, 3, 1, 1, 30, tzinfo=UTC)
    make_request(event, company, investor, message="Let us talk about AMRs", created_dt=created)
    make_request(event, buyer, company, status=RequestStatus.DECLINED,
                 created_dt=datetime(2027, 3, 2, tzinfo=UTC))
    auth.login(make_user(Role.STAFF, office_id=office.id, timezone="Asia/Seoul"))
    response = client.get(f"/staff/events/{event.id}/export/requests.xlsx")
    assert response.mimetype == XLSX
    assert sheet_rows(response.data) == [
        ["From", "To", "Status", "Message", "Requested (Asia/Seoul)"],
        ["한빛 로보틱스 (Hanbit Robotics)", "Sand Hill Partners", "Waiting for an answer", "Let us talk about AMRs",
         datetime(2027, 3, 1, 10, 30)],
        ["Nusantara Retail", "한빛 로보틱스 (Hanbit Robotics)", "Declined", None, datetime(2027, 3, 2, 9, 0)],
    ]


def test_schedule_export_in_the_events_zone_and_the_viewers(client, auth, office, event, participants, make_user,
                                                            make_request, add_meeting):
    company, investor, buyer = participants
    meeting = add_meeting(make_request(event, investor, company, status=RequestStatus.ACCEPTED), slot=1)
    meeting.table_label, meeting.language, meeting.interpreter = "T3", "ko", True
    db.session.commit()
    auth.login(make_user(Role.STAFF, office_id=office.id, timezone="Asia/Seoul"))
    response = client.get(f"/staff/events/{event.id}/export/schedule.xlsx")
    assert "schedule.xlsx" in response.headers["Content-Disposition"]
    start = datetime.combine(event.date, datetime.min.time()).replace(hour=9, minute=30)
    # 09:30 in Los Angeles is 01:30 or 02:30 the next morning in Seoul, depending on US daylight saving.
    seoul = (start.replace(tzinfo=ZoneInfo(event.timezone)).astimezone(ZoneInfo("Asia/Seoul"))
             .replace(tzinfo=None))
    assert seoul.date() == event.date + timedelta(days=1)
    assert sheet_rows(response.data) == [
        ["Start (America/Los_Angeles)", "End (America/Los_Angeles)", "Start (Asia/Seoul)", "End (Asia/Seoul)",
         "Table", "Company", "Investor or buyer", "Language", "Interpreter", "Walk-in"],
        [start, start.replace(hour=10, minute=0), seoul, seoul + timedelta(minutes=30), "T3",
         "한빛 로보틱스 (Hanbit Robotics)", "Sand Hill Partners", "Korean", "Yes", "No"],
    ]


def test_exports_are_closed_to_staff_of_another_office(client, auth, event, make_user, make_office):
    auth.login(make_user(Role.STAFF, office_id=make_office().id))
    for what in ("participants", "requests", "schedule"):
        assert client.get(f"/staff/events/{event.id}/export/{what}.xlsx").status_code == 403


# --- importing an edited export again updates the participants --------------------------------------------

def edited(data: bytes, edit) -> bytes:
    """The workbook with `edit(row)` applied to each data row (a dict header -> cell)."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        row = {key: cell.value for key, cell in zip(header, cells, strict=True)}
        edit(row)
        for key, cell in zip(header, cells, strict=True):
            cell.value = row[key]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_file(client, event, data: bytes):
    upload(client, event, data, "participants.xlsx")
    batch = db.session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()
    preview = client.get(f"/staff/imports/{batch.id}").get_data(as_text=True)
    done = client.post(f"/staff/imports/{batch.id}/confirm", follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    return db.session.get(ImportBatch, batch.id), preview, done


def accounts() -> list[tuple]:
    db.session.expire_all()
    return [(u.email, u.name, u.locale, u.password_hash, u.organization_id)
            for u in db.session.scalars(select(User).order_by(User.id))]


def everything_else() -> tuple:
    db.session.expire_all()
    return (accounts(), db.session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)).all(),
            [(p.organization_id, p.event_id, p.status) for p in
             db.session.scalars(select(Participation).order_by(Participation.id))])


def test_edited_export_imported_again_updates_only_the_edited_cells(
        client, auth, office, event, participants, make_user):
    full, investor, bare = participants
    auth.login(make_user(Role.STAFF, office_id=office.id))
    exported = client.get(f"/staff/events/{event.id}/export/participants.xlsx").data
    before, others = snapshot(), everything_else()

    def edit(row):
        if row["Name"] == "한빛 로보틱스":
            row["Sectors"] += "; cloud"
            row["Description"] = None  # an empty cell leaves the description as it is
        if row["Name"] == "Sand Hill Partners":
            row["Time zone"] = "America/New_York"

    batch, preview, done = import_file(client, event, edited(exported, edit))

    assert [(row["status"], row["organization_id"]) for row in batch.rows] == [
        ("unchanged", bare.id), ("update", investor.id), ("update", full.id),
    ]
    assert "Time zone: America/Los_Angeles → America/New_York" in preview
    assert "Sectors: robotics, ai:0.25 → robotics, ai:0.25, cloud" in preview
    assert "0 new, 2 updated, 1 unchanged" in preview
    assert "3 participants imported: 0 new, 2 updated, 1 unchanged." in done
    after = snapshot()
    changed = {"Sand Hill Partners": {"timezone": "America/New_York"},
               "한빛 로보틱스": {"sectors": {"robotics": 1.0, "ai": 0.25, "cloud": 1.0}}}
    assert after == [{**org, **changed.get(org["name"], {})} for org in before]
    assert everything_else() == others  # no account, password, participation or e-mail changed
    updates = db.session.scalars(select(AuditLog).where(AuditLog.action == "import_update")
                                 .order_by(AuditLog.id)).all()
    assert [(entry.object_id, entry.details["changes"]) for entry in updates] == [
        (investor.id, {"timezone": ["America/Los_Angeles", "America/New_York"]}),
        (full.id, {"sectors": [{"robotics": 1.0, "ai": 0.25}, {"robotics": 1.0, "ai": 0.25, "cloud": 1.0}]}),
    ]

    again, preview, done = import_file(client, event, edited(exported, edit))
    assert [row["status"] for row in again.rows] == ["unchanged"] * 3
    assert "3 participants imported: 0 new, 0 updated, 3 unchanged." in done
    assert snapshot() == after and everything_else() == others


def test_import_adds_the_day_to_known_organizations_but_leaves_decisions(
        client, auth, office, event, participants, make_user, make_program, make_event, make_participation):
    full, investor, bare = participants
    auth.login(make_user(Role.STAFF, office_id=office.id))
    exported = client.get(f"/staff/events/{event.id}/export/participants.xlsx").data
    other_day = make_event(make_program(office), title="Cloud day")
    make_participation(other_day, investor, ParticipationStatus.REJECTED)
    before = snapshot()

    batch, preview, done = import_file(client, other_day, exported)

    assert [row["status"] for row in batch.rows] == ["update", "unchanged", "update"]
    assert "Rejected for this day; the import does not change that." in preview
    assert "2 updated, 1 unchanged" in done
    statuses = db.session.execute(select(Participation.organization_id, Participation.status)
                                  .where(Participation.event_id == other_day.id)
                                  .order_by(Participation.organization_id)).all()
    assert sorted(statuses) == sorted([(full.id, ParticipationStatus.APPROVED),
                                       (investor.id, ParticipationStatus.REJECTED),
                                       (bare.id, ParticipationStatus.APPROVED)])
    assert snapshot() == before
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_one_bad_row_keeps_every_update_out(client, auth, office, event, participants, make_user):
    auth.login(make_user(Role.STAFF, office_id=office.id))
    exported = client.get(f"/staff/events/{event.id}/export/participants.xlsx").data
    before, others = snapshot(), everything_else()

    def edit(row):
        if row["Name"] == "한빛 로보틱스":
            row["Time zone"] = "Asia/Tokyo"
        if row["Name"] == "Sand Hill Partners":
            row["Kind"] = "buyer"

    batch, preview, done = import_file(client, event, edited(exported, edit))

    assert "Kind: Matches an existing organization of another kind: investor" in preview
    assert "Nothing was imported: the file has problems." in done
    assert batch.status == ImportStatus.PREVIEW
    assert snapshot() == before and everything_else() == others
