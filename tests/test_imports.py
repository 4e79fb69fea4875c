"""Bulk import of participants: upload, preview with every problem, then all rows or none, and invitations."""

import re

import pytest
from builders import import_desk
from builders.import_desk import upload
from builders.workbooks import csv_bytes, jsonl_bytes, xlsx_bytes
from sqlalchemy import delete, func, select

from matchmaker.enums import ImportStatus, OrgKind, ParticipationStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, ImportBatch, Organization, OutboxMessage, Participation, User
from matchmaker.services import ServiceError, import_matches, recommendations
from matchmaker.services import imports as import_service
from matchmaker.services.tokens import read_password_token

HEADER = ["id", "kind", "name", "email", "contact_name", "locale", "languages", "sectors", "timezone", "country"]
GOOD = [
    HEADER,
    ["KR-1", "company", "한빛 로보틱스", "ceo@hanbit.example", "김민준", "", "ko; en", "robotics; ai:0.5",
     "Asia/Seoul", "KR"],
    ["US-7", "investor", "Sand Hill Partners", "gp@sandhill.example", "Pat Lee", "en", "en", "ai",
     "America/Los_Angeles", "US"],
    ["ID-3", "buyer", "Nusantara Retail", "buy@nusantara.example", "", "", "id, en", "e-commerce",
     "Asia/Jakarta", "ID"],
]


office, staff, event = import_desk.office, import_desk.staff, import_desk.event  # the shared fixtures


def counts() -> tuple[int, int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Organization, User, Participation, OutboxMessage))


def only_batch() -> ImportBatch:
    db.session.expire_all()
    return db.session.scalars(select(ImportBatch)).one()


@pytest.mark.parametrize(("filename", "data"), [
    ("people.xlsx", xlsx_bytes(GOOD)),
    ("people.csv", csv_bytes(GOOD)),
    ("people.csv", "\ufeff".encode() + csv_bytes(GOOD)),
    ("people.csv", csv_bytes(GOOD, encoding="cp949")),
    ("people.jsonl", jsonl_bytes(GOOD)),
], ids=["xlsx", "csv-utf8", "csv-utf8-bom", "csv-cp949", "jsonl"])
def test_upload_of_each_format_previews_and_writes_nothing(client, staff, event, filename, data):
    before = counts()
    response = upload(client, event, data, filename)
    batch = only_batch()
    assert response.headers["Location"] == f"/staff/imports/{batch.id}"
    assert counts() == before
    assert batch.status == ImportStatus.PREVIEW
    assert [(row["values"]["name"], row["problems"]) for row in batch.rows] == [
        ("한빛 로보틱스", []), ("Sand Hill Partners", []), ("Nusantara Retail", []),
    ]
    page = client.get(f"/staff/imports/{batch.id}").get_data(as_text=True)
    assert "한빛 로보틱스" in page and "3 rows, 0 with problems" in page
    assert f'action="/staff/imports/{batch.id}/confirm"' in page


BAD = [
    HEADER,
    ["KR-1", "company", "Good Co", "good@x.example", "", "", "", "ai", "Asia/Seoul", "KR"],
    ["KR-2", "company", "Quantum Co", "x@", "", "", "", "quantum", "Mars/Base", "KR"],
    ["KR-3", "company", "Copy Co", "GOOD@x.example", "", "", "", "ai", "", ""],
    ["KR-4", "company", "Taken Co", "taken@x.example", "", "", "", "", "", ""],
]


def test_preview_words_every_problem_and_offers_no_import(client, staff, event, make_user):
    make_user(Role.STAFF, email="taken@x.example")
    before = counts()
    upload(client, event, csv_bytes(BAD), "bad.csv")
    batch = only_batch()
    page = client.get(f"/staff/imports/{batch.id}").get_data(as_text=True)
    assert "4 rows, 3 with problems" in page
    for words in ("E-mail: Not a valid e-mail address", "Sectors: Unknown sector: quantum",
                  "Time zone: Unknown time zone: Mars/Base", "E-mail: Duplicate of line 2",
                  "E-mail: Belongs to a staff account"):
        assert words in page
    assert "/confirm" not in page
    assert "Fix the file and upload it again" in page
    assert counts() == before


def test_confirm_is_refused_while_problems_exist(client, staff, event):
    upload(client, event, csv_bytes(BAD), "bad.csv")
    batch = only_batch()
    before = counts()
    response = client.post(f"/staff/imports/{batch.id}/confirm", follow_redirects=True)
    assert "Nothing was imported: the file has problems." in response.get_data(as_text=True)
    assert counts() == before
    assert only_batch().status == ImportStatus.PREVIEW


def test_unknown_column_blocks_the_import(client, staff, event):
    rows = [[*GOOD[0], "Favourite colour"]] + [[*row, "red"] for row in GOOD[1:]]
    upload(client, event, csv_bytes(rows), "extra.csv")
    batch = only_batch()
    page = client.get(f"/staff/imports/{batch.id}").get_data(as_text=True)
    assert "These columns are not known, and their data would be lost: Favourite colour." in page
    assert "/confirm" not in page
    with pytest.raises(ServiceError):
        import_service.confirm_import(staff, batch)


def test_clean_import_creates_everything_and_invites_each_account_in_its_language(client, staff, event):
    upload(client, event, csv_bytes(GOOD), "good.csv")
    batch = only_batch()
    response = client.post(f"/staff/imports/{batch.id}/confirm", follow_redirects=True)
    assert "3 participants imported" in response.get_data(as_text=True)
    db.session.expire_all()
    users = db.session.scalars(select(User).where(User.role != Role.STAFF).order_by(User.id)).all()
    assert [(u.email, u.name, u.role, u.locale, u.timezone, u.verified) for u in users] == [
        ("ceo@hanbit.example", "김민준", Role.COMPANY, "ko", "Asia/Seoul", False),
        ("gp@sandhill.example", "Pat Lee", Role.PARTNER, "en", "America/Los_Angeles", False),
        ("buy@nusantara.example", "Nusantara Retail", Role.PARTNER, "id", "Asia/Jakarta", False),
    ]
    orgs = [u.organization for u in users]
    assert [(o.external_id, o.kind, o.sectors, o.country) for o in orgs] == [
        ("KR-1", OrgKind.COMPANY, {"robotics": 1.0, "ai": 0.5}, "KR"),
        ("US-7", OrgKind.INVESTOR, {"ai": 1.0}, "US"),
        ("ID-3", OrgKind.BUYER, {"e-commerce": 1.0}, "ID"),
    ]
    participations = db.session.scalars(select(Participation).order_by(Participation.id)).all()
    assert [(p.organization_id, p.event_id, p.status, p.decided_by_id) for p in participations] == [
        (o.id, event.id, ParticipationStatus.APPROVED, staff.id) for o in orgs
    ]
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.kind, m.to_address, m.locale) for m in messages] == [
        ("account_invitation", u.email, u.locale) for u in users
    ]
    # The link lets each person choose a password: the first one follows it and signs in.
    token = re.search(r"/reset/(\S+)", messages[0].body_text).group(1)
    assert read_password_token(token).id == users[0].id
    assert "AI day" in messages[0].body_text
    assert client.post("/logout").status_code == 302
    client.post(f"/reset/{token}", data={"password": "a-new-password-1", "confirm": "a-new-password-1"})
    assert client.post("/login", data={"email": users[0].email, "password": "a-new-password-1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, users[0].id).verified
    batch = only_batch()
    assert batch.status == ImportStatus.IMPORTED and batch.imported_dt is not None
    assert batch.summary["organizations"] == 3 and batch.summary["invitations"] == 3
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions.count("import_member") == 3
    assert {"preview_import", "import"} <= set(actions)


def test_nobody_can_sign_in_before_choosing_a_password(client, staff, event):
    upload(client, event, csv_bytes(GOOD[:2]), "one.csv")
    client.post(f"/staff/imports/{only_batch().id}/confirm")
    user = db.session.scalars(select(User).where(User.email == "ceo@hanbit.example")).one()
    assert not user.check_password("") and not user.check_password(user.password_hash)


def test_email_taken_between_preview_and_confirm_writes_nothing(client, staff, event, make_user):
    upload(client, event, csv_bytes(GOOD), "good.csv")
    batch = only_batch()
    make_user(Role.PARTNER, email="buy@nusantara.example")  # of an investor, while the row is a buyer
    before = counts()
    response = client.post(f"/staff/imports/{batch.id}/confirm", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    assert "Kind: Matches an existing organization of another kind: investor" in page
    assert counts() == before
    assert only_batch().status == ImportStatus.PREVIEW


def test_failure_in_the_middle_of_the_writes_rolls_back_every_row(client, staff, event, make_org, monkeypatch):
    upload(client, event, csv_bytes(GOOD), "good.csv")
    batch = only_batch()
    make_org(OrgKind.BUYER, external_id="ID-3")  # the third row's id, taken after the preview
    # Blind the matching so that the database itself refuses the third row, after the first two were added.
    monkeypatch.setattr(import_matches, "existing", lambda model, column, values: [])
    before = counts()
    response = client.post(f"/staff/imports/{batch.id}/confirm", follow_redirects=True)
    assert "an account or organization in the file was created meanwhile" in response.get_data(as_text=True)
    assert counts() == before
    assert only_batch().status == ImportStatus.PREVIEW


def test_discard_keeps_nothing_and_stops_the_import(client, staff, event):
    upload(client, event, csv_bytes(GOOD), "good.csv")
    batch = only_batch()
    response = client.post(f"/staff/imports/{batch.id}/discard")
    assert response.headers["Location"] == f"/staff/events/{event.id}/import"
    assert only_batch().status == ImportStatus.DISCARDED
    client.post(f"/staff/imports/{batch.id}/confirm")
    assert counts()[0] == 0


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("people.xls", b"old excel", "Upload an Excel workbook (.xlsx), a CSV file (.csv) or JSON Lines (.jsonl)."),
    ("people.xlsx", b"not really a workbook", "This file cannot be read as an Excel workbook."),
    ("people.csv", b"kind,name,email\r\n", "This file has no rows."),
    ("people.csv", b"x" * (5 * 1024 * 1024 + 1), "The file is larger than 5 MB"),
])
def test_unusable_files_are_form_errors(client, staff, event, filename, data, message):
    response = upload(client, event, data, filename)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_missing_file_is_a_form_error(client, staff, event):
    response = client.post(f"/staff/events/{event.id}/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Choose a file to upload." in response.get_data(as_text=True)


def test_staff_of_another_office_cannot_see_or_confirm_a_batch(client, auth, staff, event, make_user,
                                                               make_office):
    upload(client, event, csv_bytes(GOOD), "good.csv")
    batch = only_batch()
    auth.logout()
    auth.login(make_user(Role.STAFF, office_id=make_office().id))
    assert client.get(f"/staff/imports/{batch.id}").status_code == 403
    assert client.post(f"/staff/imports/{batch.id}/confirm").status_code == 403
    assert counts()[0] == 0


def test_template_lists_the_columns_and_imports_cleanly(client, staff, event):
    response = client.get(f"/staff/events/{event.id}/import/template.xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "participants-template.xlsx" in response.headers["Content-Disposition"]
    upload(client, event, response.data, "template.xlsx")
    (row,) = only_batch().rows
    assert row["problems"] == [] and row["values"]["name"] == "한빛 로보틱스"


# --- rows of organizations that exist already ------------------------------------------------------------

@pytest.fixture
def known(make_org, make_user):
    """Two companies with a member each; the first carries an external id and a ticket range."""
    first = make_org(OrgKind.COMPANY, external_id="KR-1", ticket_min_usd=1_000_000, ticket_max_usd=2_000_000)
    second = make_org(OrgKind.COMPANY, external_id=None)
    make_user(Role.COMPANY, organization=first, email="ceo@hanbit.example")
    make_user(Role.COMPANY, organization=second, email="cto@other.example")
    return first, second


ROW = ["id", "kind", "name", "email", "ticket_max_usd"]


@pytest.mark.parametrize(("cells", "words"), [
    (["KR-1", "company", "Hanbit", "cto@other.example", ""],
     "External ID: The external ID and the e-mail belong to two different organizations"),
    (["KR-1", "company", "Hanbit", "new@hanbit.example", ""],
     "E-mail: Not an account of the organization with this external ID"),
    (["KR-1", "investor", "Hanbit", "ceo@hanbit.example", ""],
     "Kind: Matches an existing organization of another kind: company"),
    (["KR-9", "company", "Hanbit", "ceo@hanbit.example", ""],
     "External ID: The account of this e-mail belongs to the organization with external ID KR-1"),
    (["KR-1", "company", "Hanbit", "ceo@hanbit.example", "500000"],
     "Ticket size up to (USD): Below the lower end of the ticket size stored for this organization: 500000"),
], ids=["id-and-email-differ", "email-not-a-member", "kind", "other-id", "ticket-range-after-merge"])
def test_rows_that_cannot_update_an_organization_are_problems(client, staff, event, known, cells, words):
    before = counts()
    upload(client, event, csv_bytes([ROW, cells]), "known.csv")
    batch = only_batch()
    page = client.get(f"/staff/imports/{batch.id}").get_data(as_text=True)
    assert words in page and "1 row, 1 with problems" in page
    assert "/confirm" not in page
    with pytest.raises(ServiceError):
        import_service.confirm_import(staff, batch)
    assert counts() == before


def test_row_matched_by_email_gets_the_external_id_and_joins_the_day(client, staff, event, known):
    first, second = known
    rows = [ROW, ["KR-2", "company", second.name, "CTO@other.example", ""],
            ["", "company", first.name, "ceo@hanbit.example", ""]]
    upload(client, event, csv_bytes(rows), "known.csv")
    batch = only_batch()
    page = client.get(f"/staff/imports/{batch.id}").get_data(as_text=True)
    assert "External ID: — → KR-2" in page and "Gets an approved place in this day" in page
    client.post(f"/staff/imports/{batch.id}/confirm")
    db.session.expire_all()
    assert (db.session.get(Organization, second.id).external_id, db.session.get(Organization, first.id).external_id) \
        == ("KR-2", "KR-1")
    assert db.session.execute(select(Participation.organization_id, Participation.status)
                              .order_by(Participation.organization_id)).all() == [
        (first.id, ParticipationStatus.APPROVED), (second.id, ParticipationStatus.APPROVED),
    ]
    assert counts()[3] == 0  # nobody was invited: both accounts exist


def test_two_rows_of_one_organization_are_a_problem(client, staff, event, known, make_user):
    first, _second = known
    make_user(Role.COMPANY, organization=first, email="cfo@hanbit.example")
    upload(client, event, csv_bytes([ROW, ["KR-1", "company", "A", "ceo@hanbit.example", ""],
                                     ["", "company", "B", "cfo@hanbit.example", ""]]), "twice.csv")
    page = client.get(f"/staff/imports/{only_batch().id}").get_data(as_text=True)
    assert "E-mail: The same organization as line 2" in page and "2 rows, 1 with problems" in page


def test_recommendations_are_recomputed_for_every_day_of_an_updated_organization(
        client, staff, event, known, make_event, make_program, make_participation, monkeypatch):
    first, _second = known
    other_day = make_event(make_program(staff.office), title="Cloud day")
    make_participation(other_day, first)
    make_participation(event, first)
    asked = []
    monkeypatch.setattr(recommendations, "schedule_recompute", lambda ids: asked.append(sorted(ids)))
    changed = csv_bytes([["id", "kind", "name", "email", "sectors"], ["KR-1", "company", first.name,
                                                                      "ceo@hanbit.example", "cloud"]])
    upload(client, event, changed, "one.csv")
    client.post(f"/staff/imports/{only_batch().id}/confirm")
    assert asked == [sorted([event.id, other_day.id])]
    db.session.execute(delete(ImportBatch))
    db.session.commit()
    upload(client, event, changed, "again.csv")
    client.post(f"/staff/imports/{only_batch().id}/confirm")
    assert asked[1:] == [[]]  # nothing changed, nobody joined
