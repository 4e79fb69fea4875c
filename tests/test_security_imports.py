"""Adversarial checks of the participant import: another office's batches, files built to exhaust the server
(a workbook declaring a million rows, a zip bomb, too many lines), bytes that are not text, lines that are not
objects, control characters, a batch confirmed twice at the same moment, and CSRF on every form."""

import io
import json
import re
import threading
import zipfile

import pytest
from builders import import_desk
from builders.import_desk import upload
from builders.workbooks import csv_bytes, jsonl_bytes, xlsx_bytes
from sqlalchemy import func, select

from matchmaker.domain.profile_files import MAX_ROWS
from matchmaker.enums import ImportStatus, OrgKind, ParticipationStatus, Role
from matchmaker.extensions import db
from matchmaker.models import ImportBatch, Organization, OutboxMessage, Participation, User
from matchmaker.services import ServiceError
from matchmaker.services import imports as import_service

HEADER = ["id", "kind", "name", "email", "contact_name", "locale", "languages", "sectors", "timezone", "country"]
GOOD = [
    HEADER,
    ["KR-1", "company", "Hanbit Robotics", "ceo@hanbit.example", "Kim", "", "ko; en", "robotics", "Asia/Seoul", "KR"],
    ["US-7", "investor", "Sand Hill Partners", "gp@sandhill.example", "Pat Lee", "en", "en", "ai",
     "America/Los_Angeles", "US"],
]
TOO_LARGE = "This file is too large for one import"


office, staff, event = import_desk.office, import_desk.staff, import_desk.event  # the shared fixtures


def counts() -> dict:
    db.session.expire_all()
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Organization, User, Participation, OutboxMessage, ImportBatch)}


def batches() -> list[ImportBatch]:
    db.session.expire_all()
    return db.session.scalars(select(ImportBatch).order_by(ImportBatch.id)).all()


def preview(client, event, rows=GOOD) -> ImportBatch:
    assert upload(client, event, csv_bytes(rows), "good.csv").status_code == 302
    return batches()[-1]


# --- another office's batches ------------------------------------------------------------------------

@pytest.mark.parametrize("with_event", [True, False])
def test_staff_of_another_office_cannot_open_confirm_or_discard_a_batch(client, auth, staff, event, office,
                                                                         make_user, make_office, with_event):
    batch = preview(client, event)
    if not with_event:  # a batch of the office itself, for no particular day
        batch.event_id = None
        db.session.commit()
    outsider = make_user(Role.STAFF, office_id=make_office().id)
    auth.logout()
    auth.login(outsider)
    before = counts()

    statuses = [client.get(f"/staff/imports/{batch.id}").status_code,
                client.post(f"/staff/imports/{batch.id}/confirm").status_code,
                client.post(f"/staff/imports/{batch.id}/discard").status_code]

    assert statuses == [403, 403, 403]
    assert counts() == before
    assert batches()[0].status == ImportStatus.PREVIEW


def test_staff_of_another_office_cannot_upload_to_or_export_a_day(client, auth, staff, event, make_user,
                                                                   make_office):
    auth.logout()
    auth.login(make_user(Role.STAFF, office_id=make_office().id))
    before = counts()

    assert upload(client, event, csv_bytes(GOOD), "good.csv").status_code == 403
    for what in ("participants", "requests", "schedule"):
        assert client.get(f"/staff/events/{event.id}/export/{what}.xlsx").status_code == 403
    assert client.get(f"/staff/events/{event.id}/import/template.xlsx").status_code == 403
    assert counts() == before


def test_members_cannot_reach_any_import_page(client, auth, staff, event, make_user):
    batch = preview(client, event)
    auth.logout()
    auth.login(make_user(Role.COMPANY))

    assert client.get(f"/staff/imports/{batch.id}").status_code == 403
    assert client.post(f"/staff/imports/{batch.id}/confirm").status_code == 403
    assert upload(client, event, csv_bytes(GOOD), "good.csv").status_code == 403
    assert batches()[0].status == ImportStatus.PREVIEW


# --- confirming twice ---------------------------------------------------------------------------------

def test_confirming_twice_imports_once(client, staff, event):
    batch = preview(client, event)

    client.post(f"/staff/imports/{batch.id}/confirm")
    after_first = counts()
    second = client.post(f"/staff/imports/{batch.id}/confirm", follow_redirects=True)

    assert "This import is already done or discarded." in second.get_data(as_text=True)
    assert counts() == after_first
    assert after_first["Organization"] == 2 and after_first["User"] == 3  # the staff member too
    assert client.post(f"/staff/imports/{batch.id}/discard").status_code == 302
    assert batches()[0].status == ImportStatus.IMPORTED  # an import done cannot be discarded after


def test_confirming_at_the_same_moment_imports_once(app, client, staff, event, monkeypatch):
    """Two confirmations that both pass the checks before either writes: the second waits for the first and
    then finds the batch done, whatever the rows hold."""
    batch_id, staff_id = preview(client, event).id, staff.id
    both_checked = threading.Barrier(2, timeout=20)
    checked = import_service.current_rows

    def current_rows_then_wait(batch):
        fresh = checked(batch)
        both_checked.wait()
        return fresh

    monkeypatch.setattr(import_service, "current_rows", current_rows_then_wait)
    outcomes = []

    def confirm():
        with app.app_context():
            try:
                import_service.confirm_import(db.session.get(User, staff_id), db.session.get(ImportBatch, batch_id))
                db.session.commit()
                outcomes.append("imported")
            except ServiceError as error:
                db.session.rollback()
                outcomes.append(str(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes) == sorted(["imported", "This import is already done or discarded."])
    assert counts()["Organization"] == 2
    assert batches()[0].status == ImportStatus.IMPORTED


# --- files built to exhaust the server ----------------------------------------------------------------

def _declared_huge_sheet() -> bytes:
    """A workbook of a few kilobytes whose sheet declares A1:XFD1048576 and writes its last cell: read as the
    sheet describes itself, it is a million rows of 16,384 cells."""
    plain = io.BytesIO(xlsx_bytes(GOOD))
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = re.sub(r'<dimension ref="[^"]+"\s*/>', '<dimension ref="A1:XFD1048576"/>', text)
                assert "XFD1048576" in text
                text = text.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                                                    "<is><t>x</t></is></c></row></sheetData>")
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def _zip_bomb() -> bytes:
    """A valid workbook plus a part that inflates from a few hundred kilobytes to 200 MB."""
    out = io.BytesIO(xlsx_bytes(GOOD))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/padding.xml", "w") as part:
        chunk = b"<x/>" * (256 * 1024)
        for _ in range(200):
            part.write(chunk)
    return out.getvalue()


def _many_rows(kind: str, n: int) -> bytes:
    rows = [HEADER] + [[f"X-{i}", "company", f"Co {i}", f"c{i}@x.example", "", "", "", "ai", "", "KR"]
                       for i in range(n)]
    if kind == "xlsx":
        return xlsx_bytes(rows)
    if kind == "csv":
        return csv_bytes(rows)
    return jsonl_bytes(rows)


@pytest.mark.parametrize(("filename", "build"), [
    ("huge.xlsx", _declared_huge_sheet),
    ("bomb.xlsx", _zip_bomb),
    ("many.xlsx", lambda: _many_rows("xlsx", MAX_ROWS + 1)),
    ("many.csv", lambda: _many_rows("csv", MAX_ROWS + 1)),
    ("many.jsonl", lambda: _many_rows("jsonl", MAX_ROWS + 1)),
    ("lines.csv", lambda: b"kind,name,email\n" + b"a\n" * 2_000_000),
    ("wide.csv", lambda: b"kind,name,email" + b",x" * 5000 + b"\ncompany,A,a@x.example\n"),
])
def test_files_too_large_to_hold_are_refused(client, staff, event, filename, build):
    data = build()
    assert len(data) < 5 * 1024 * 1024  # each passes the upload's own size limit
    before = counts()

    response = upload(client, event, data, filename)

    assert response.status_code == 200
    assert TOO_LARGE in response.get_data(as_text=True)
    assert counts() == before


def _wide_rows(n: int, width: int) -> list[list]:
    """A header of the known columns then filler, and n rows as wide: the million-cell workbook, made small."""
    header = HEADER + [f"extra {i}" for i in range(width - len(HEADER))]
    return [header] + [[f"X-{i}", "company", f"Co {i}", f"c{i}@x.example"] + ["x"] * (width - 4) for i in range(n)]


def _wide_xlsx(rows) -> bytes:
    """A workbook written as a stream: it declares no range, so a reader stopping early cannot tell the size."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("filename", "build", "found"), [
    ("many.csv", lambda: _many_rows("csv", 6000), "it has 6,000 participants, and one import takes at most 5,000"),
    ("many.jsonl", lambda: _many_rows("jsonl", 5500), "it has 5,500 participants, and one import takes at most"),
    ("many.xlsx", lambda: _many_rows("xlsx", 5200), "it has 5,200 participants, and one import takes at most"),
    ("wide.xlsx", lambda: xlsx_bytes(_wide_rows(1100, 200)), "it has 220,200 cells, and one import reads at most "
                                                              "200,000"),  # by the sheet's range, A1:GR1101
    ("streamed.xlsx", lambda: _wide_xlsx(_wide_rows(1100, 200)), "it has more than 200,000 cells, and one import "
                                                                 "reads at most 200,000"),  # a sheet without range
    ("wide.csv", lambda: csv_bytes(_wide_rows(1100, 190)), "it has 209,190 cells, and one import reads at most "
                                                          "200,000"),
    ("wide.jsonl", lambda: b"\n".join(json.dumps({f"k{i}": i for i in range(start, start + 1000)}).encode()
                                      for start in range(0, 250_000, 1000)),
     "it has 250,000 cells, and one import reads at most 200,000"),
])
def test_files_past_the_caps_are_refused_naming_the_limit_and_the_count(client, staff, event, filename, build,
                                                                        found):
    before = counts()

    response = upload(client, event, build(), filename)

    assert response.status_code == 200
    assert f"This file is too large for one import: {found}" in response.get_data(as_text=True)
    assert counts() == before


def test_files_at_the_cell_cap_are_read(client, staff, event):
    rows = _wide_rows(999, 200)[:1000]  # 1,000 lines of 200 cells: exactly the cap

    response = upload(client, event, csv_bytes(rows), "wide.csv")

    assert response.status_code == 302
    assert len(batches()[0].rows) == 999


@pytest.mark.parametrize("kind", ["csv", "xlsx", "jsonl"])
def test_files_at_the_row_limit_are_read(client, staff, event, kind):
    data = _many_rows(kind, MAX_ROWS) + (b"\n\n\n" if kind != "xlsx" else b"")

    response = upload(client, event, data, f"many.{kind}")

    assert response.status_code == 302
    assert len(batches()[0].rows) == MAX_ROWS


def test_request_larger_than_any_upload_is_refused_before_it_is_read(client, staff, event):
    before = counts()

    response = upload(client, event, b"x" * (9 * 1024 * 1024), "big.csv")

    assert response.status_code == 413
    assert "The upload is too large" in response.get_data(as_text=True)
    assert counts() == before


# --- bytes and lines that are not what they claim ------------------------------------------------------

@pytest.mark.parametrize(("filename", "data", "message"), [
    ("garbage.csv", bytes(range(128, 256)) * 50, "This file cannot be read"),
    ("garbage.jsonl", b"\xff\xfe\xfd" * 100, "This file cannot be read"),
    ("fake.xlsx", b"PK\x03\x04" + b"\x00" * 200, "This file cannot be read as an Excel workbook."),
    ("fake.xlsx", _many_rows("csv", 3), "This file cannot be read as an Excel workbook."),
    ("field.csv", b"kind,name,email\ncompany," + b"n" * 200_000 + b",a@x.example\n", "This file cannot be read"),
])
def test_unreadable_bytes_are_form_errors(client, staff, event, filename, data, message):
    before = counts()

    response = upload(client, event, data, filename)

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert counts() == before


def test_jsonl_lines_that_are_not_objects_are_row_problems_and_block_the_import(client, staff, event):
    lines = [json.dumps(dict(zip(HEADER, GOOD[1], strict=True))), "[1, 2]", "42", '"text"', "null", "{broken",
             "[" * 50_000, json.dumps({"kind": "company", "name": "N", "email": "n@x.example",
                                       "ticket_usd": ["Infinity", 5], "portfolio": "[" * 5000})]
    response = upload(client, event, "\n".join(lines).encode(), "odd.jsonl")
    assert response.status_code == 302
    batch = batches()[0]
    before = counts()

    page = client.get(f"/staff/imports/{batch.id}").get_data(as_text=True)
    confirm = client.post(f"/staff/imports/{batch.id}/confirm", follow_redirects=True)

    assert page.count("Not a JSON object") == 6
    assert "Not a whole number" in page and "Not a JSON list of deals" in page
    assert "Nothing was imported" in confirm.get_data(as_text=True)
    assert counts() == before


def test_control_characters_are_dropped_so_the_import_and_its_export_work(client, staff, event):
    """A CSV file may hold any byte; a workbook cannot (XML refuses them, so they arrive as a bad workbook)."""
    rows = [HEADER, ["KR-\x009", "company", "Null\x00 Co\x01\x1b", "nul@x.example", "Kim\x0b", "", "", "ai",
                     "Asia/Seoul", "KR"]]
    assert upload(client, event, csv_bytes(rows), "people.csv").status_code == 302
    batch = batches()[0]

    client.post(f"/staff/imports/{batch.id}/confirm")

    db.session.expire_all()
    org = db.session.scalars(select(Organization)).one()
    assert (org.external_id, org.name) == ("KR-9", "Null Co")
    assert db.session.scalars(select(User).where(User.email == "nul@x.example")).one().name == "Kim"
    export = client.get(f"/staff/events/{event.id}/export/participants.xlsx")
    assert export.status_code == 200


@pytest.mark.parametrize("filename", ["../../etc/passwd.csv", "a\x00b.csv", "<script>alert(1)</script>.csv",
                                      "x" * 600 + ".csv"])
def test_hostile_file_names_are_stored_and_shown_harmlessly(client, staff, event, filename):
    response = upload(client, event, csv_bytes(GOOD), filename)

    assert response.status_code in (302, 400)
    if response.status_code == 302:
        batch = batches()[0]
        page = client.get(f"/staff/imports/{batch.id}").get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page
        assert "\x00" not in batch.filename and len(batch.filename) <= 255


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil.example")', "=1+1", "+1+1", "@SUM(A1)", "-2+3"])
def test_names_that_look_like_formulas_import_as_text_and_export_as_text(client, staff, event, value):
    rows = [HEADER, ["KR-1", "company", value, "f@x.example", value, "", "", "ai", "Asia/Seoul", "KR"]]
    assert upload(client, event, csv_bytes(rows), "f.csv").status_code == 302
    client.post(f"/staff/imports/{batches()[0].id}/confirm")

    export = client.get(f"/staff/events/{event.id}/export/participants.xlsx")

    from openpyxl import load_workbook

    cells = [c for row in load_workbook(io.BytesIO(export.data)).active.iter_rows() for c in row if c.value]
    assert [c.value for c in cells if c.data_type == "f"] == []
    assert value in [c.value for c in cells]


# --- NUL characters anywhere -----------------------------------------------------------------------------

def test_nul_in_a_query_string_or_form_is_a_400_not_a_database_error(client, staff, event, make_user, auth):
    assert client.get(f"/staff/events/{event.id}/checkin", query_string={"q": "a\x00"}).status_code == 400
    assert client.get("/staff/organizations", query_string={"q": "\x00"}).status_code == 400
    member = make_user(Role.COMPANY)
    auth.logout()
    auth.login(member)
    name = member.organization.name

    response = client.post("/profile", data={"name": "Evil\x00 Co", "country": "KR"})

    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Organization, member.organization_id).name == name


# --- CSRF on every import and review form ----------------------------------------------------------------

def test_import_and_review_forms_refuse_posts_without_their_csrf_token(app, client, staff, event, make_org,
                                                                      make_participation, monkeypatch):
    batch = preview(client, event)
    applied = make_participation(event, make_org(OrgKind.COMPANY), ParticipationStatus.APPLIED)
    before = counts()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    statuses = [
        upload(client, event, csv_bytes(GOOD), "again.csv").status_code,
        client.post(f"/staff/imports/{batch.id}/confirm").status_code,
        client.post(f"/staff/imports/{batch.id}/discard").status_code,
        client.post(f"/staff/reviews/{applied.id}", data={"approve": "y"}).status_code,
        client.post(f"/staff/participations/{applied.id}/decide", data={"approve": "y"}).status_code,
    ]

    assert statuses == [400] * 5
    assert counts() == before
    assert batches()[0].status == ImportStatus.PREVIEW
    assert db.session.get(Participation, applied.id).status == ParticipationStatus.APPLIED
    page = client.get(f"/staff/imports/{batch.id}").get_data(as_text=True)
    assert page.count('name="csrf_token"') >= page.count('method="post"')


def test_other_staff_never_read_the_invitation_links_of_imported_accounts(client, auth, staff, event, make_user,
                                                                         make_office):
    client.post(f"/staff/imports/{preview(client, event).id}/confirm")
    invitation = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
    link = re.search(r"https?://\S*/reset/(\S+)", invitation.body_text)
    assert link is not None  # the invitation itself carries the link
    auth.logout()
    auth.login(make_user(Role.STAFF, office_id=make_office().id))
    assert client.get(f"/staff/outbox/{invitation.id}").status_code == 404  # another office's mail
    auth.logout()
    auth.login(make_user(Role.STAFF, office_id=None))  # staff of no office see every office's mail

    page = client.get(f"/staff/outbox/{invitation.id}").get_data(as_text=True)

    assert link.group(1) not in page
    assert "[private link hidden]" in page


def test_workbook_with_an_xml_entity_bomb_is_refused_at_once(client, staff, event):
    """A billion laughs in a sheet: openpyxl reads through defusedxml (a dependency), which refuses entities."""
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i else "&lol;") * 10 + '">' for i in range(10)) + "]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(GOOD))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, bomb if item.filename == "xl/worksheets/sheet1.xml" else source.read(item))
    before = counts()

    response = upload(client, event, out.getvalue(), "laughs.xlsx")

    assert "This file cannot be read as an Excel workbook." in response.get_data(as_text=True)
    assert counts() == before
