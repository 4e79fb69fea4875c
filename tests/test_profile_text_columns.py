"""The description's columns of a participants file: `description` is the original, `description_ko`,
`description_en`… one language each. Read and checked, imported into new and existing organizations, and exported
so that a file imported again loses no language."""

import io

import pytest
from builders.import_desk import upload
from builders.workbooks import xlsx_bytes
from openpyxl import load_workbook
from sqlalchemy import delete, select

from matchmaker.domain.profile_rows import Problem, Vocabulary, read
from matchmaker.enums import OrgKind, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, ImportBatch, Organization, OutboxMessage, Participation, User

VOCABULARY = Vocabulary(sectors=frozenset({"ai"}), stages=frozenset({"seed"}),
                        locales=frozenset({"en", "ko", "vi", "th", "id"}))
KOREAN, ENGLISH, INDONESIAN = "창고용 자율주행 로봇", "Warehouse robots", "Robot gudang otomatis"
HEADER = ["kind", "name", "email", "description", "description_ko", "description_en"]


def only(rows):
    data = xlsx_bytes([HEADER, *rows])
    return read("people.xlsx", data, VOCABULARY).rows


def test_rows_read_each_languages_column():
    (row,) = only([["company", "Hanbit", "a@hanbit.example", KOREAN, KOREAN, ENGLISH]])
    assert row.problems == []
    assert (row.values["description"], row.values["description_ko"], row.values["description_en"],
            row.values["description_id"]) == (KOREAN, KOREAN, ENGLISH, None)


def test_a_different_text_in_the_originals_language_is_a_problem():
    (row,) = only([["company", "Hanbit", "a@hanbit.example", KOREAN, "다른 설명", ENGLISH]])
    assert row.problems == [Problem("description_ko", "text_conflict", "다른 설명")]


def test_each_languages_text_has_the_descriptions_limit():
    (row,) = only([["company", "Hanbit", "a@hanbit.example", None, None, "x" * 5001]])
    assert row.problems == [Problem("description_en", "too_long", "x" * 40)]


@pytest.fixture
def event(make_office, make_program, make_event):
    return make_event(make_program(make_office(name="Jakarta", timezone="Asia/Jakarta", locale="id")))


@pytest.fixture
def staff(client, auth, event, make_user):
    user = make_user(Role.STAFF, office_id=event.program.office_id)
    auth.login(user)
    return user


def import_file(client, event, data: bytes, filename="participants.xlsx"):
    upload(client, event, data, filename)
    batch = db.session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()
    preview = client.get(f"/staff/imports/{batch.id}").get_data(as_text=True)
    client.post(f"/staff/imports/{batch.id}/confirm")
    db.session.expire_all()
    return db.session.get(ImportBatch, batch.id), preview


def texts_of(name: str) -> tuple:
    org = db.session.scalars(select(Organization).where(Organization.name == name)).one()
    return org.description, org.description_lang, org.texts


def test_import_creates_an_organization_with_every_language(client, staff, event):
    data = xlsx_bytes([HEADER + ["description_id"],
                       ["company", "Hanbit", "a@hanbit.example", ENGLISH, KOREAN, ENGLISH, INDONESIAN],
                       ["buyer", "Toko", "b@toko.example", INDONESIAN, None, None, INDONESIAN],
                       ["company", "Old file", "c@old.example", KOREAN, None, None, None]])
    batch, preview = import_file(client, event, data)
    assert batch.summary["new"] == 3
    assert texts_of("Hanbit") == (ENGLISH, "en", {"ko": {"description": KOREAN}, "en": {"description": ENGLISH},
                                                  "id": {"description": INDONESIAN}})
    assert texts_of("Toko") == (INDONESIAN, "id", {"id": {"description": INDONESIAN}})
    assert texts_of("Old file") == (KOREAN, "ko", {"ko": {"description": KOREAN}})  # by its script


def test_import_refuses_a_row_whose_texts_disagree(client, staff, event):
    data = xlsx_bytes([HEADER, ["company", "Hanbit", "a@hanbit.example", KOREAN, "다른 설명", None]])
    batch, preview = import_file(client, event, data)
    assert "Description (Korean): Not the same text as the Description column" in preview
    assert db.session.scalars(select(Organization)).all() == []


@pytest.fixture
def written(event, make_org, make_user, make_participation):
    """A Korean company that wrote its description in Korean, then in English and Indonesian."""
    org = make_org(OrgKind.COMPANY, name="한빛 로보틱스", description=KOREAN, description_lang="ko",
                   texts={"ko": {"description": KOREAN}, "en": {"description": ENGLISH},
                          "id": {"description": INDONESIAN}})
    make_user(Role.COMPANY, organization=org, email="ceo@hanbit.example")
    make_participation(event, org)
    return org


def exported(client, event) -> bytes:
    return client.get(f"/staff/events/{event.id}/export/participants.xlsx").data


def cells(data: bytes) -> dict:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header, row = list(sheet.iter_rows(values_only=True))[:2]
    return dict(zip(header, row, strict=True))


def test_export_writes_the_original_and_each_language(client, staff, event, written):
    row = cells(exported(client, event))
    assert (row["Description"], row["Description (Korean)"], row["Description (English)"],
            row["Description (Indonesian)"], row["Description (Vietnamese)"]) == (
        KOREAN, KOREAN, ENGLISH, INDONESIAN, None)


def test_export_then_import_into_an_empty_database_keeps_every_language(client, staff, event, written):
    data = exported(client, event)
    before = texts_of("한빛 로보틱스")
    for model in (OutboxMessage, ImportBatch, Participation):
        db.session.execute(delete(model))
    db.session.execute(delete(User).where(User.role.in_([Role.COMPANY, Role.PARTNER])))
    db.session.execute(delete(Organization))
    db.session.commit()
    batch, preview = import_file(client, event, data)
    assert [row["problems"] for row in batch.rows] == [[]]
    assert texts_of("한빛 로보틱스") == before


def test_an_edited_language_updates_that_language_only(client, staff, event, written):
    book = load_workbook(io.BytesIO(exported(client, event)))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("Description (English)") + 1, value="Robots for cold storage")
    sheet.cell(row=2, column=header.index("Description (Indonesian)") + 1, value=None)  # empty: left as it is
    buffer = io.BytesIO()
    book.save(buffer)

    batch, preview = import_file(client, event, buffer.getvalue())

    assert [row["status"] for row in batch.rows] == ["update"]
    assert "Description (English): Warehouse robots → Robots for cold storage" in preview
    assert texts_of("한빛 로보틱스") == (KOREAN, "ko", {
        "ko": {"description": KOREAN}, "en": {"description": "Robots for cold storage"},
        "id": {"description": INDONESIAN}})
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "import_update")).one()
    assert entry.details["changes"] == {"description_en": [ENGLISH, "Robots for cold storage"]}
    again, _ = import_file(client, event, exported(client, event))
    assert [row["status"] for row in again.rows] == ["unchanged"]


def test_the_participants_template_shows_the_columns_with_an_example(client, staff, event):
    row = cells(client.get(f"/staff/events/{event.id}/import/template.xlsx").data)
    assert row["Description (Korean)"] == row["Description"] and row["Description (English)"]
