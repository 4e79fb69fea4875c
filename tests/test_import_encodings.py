"""CSV files in the code pages the offices receive: Korean (CP949), Thai (Windows-874 / TIS-620) and Vietnamese
(Windows-1258) Excel, and UTF-8. Automatic reading picks the code page whose text reads as its own script (the
office's usual one on a tie); staff may choose one on upload, and read a previewed file again in another one
without uploading it again."""

import unicodedata

import pytest
from builders import import_desk
from builders.import_desk import upload
from builders.workbooks import csv_bytes
from sqlalchemy import select

from matchmaker.domain.text_encodings import DecodeError, decode, office_code_page
from matchmaker.enums import ImportStatus, Role
from matchmaker.extensions import db
from matchmaker.models import AuditLog, ImportBatch, Organization

HEADER = ["kind", "name", "email", "contact_name", "sectors", "country"]
THAI = [HEADER, ["company", "บริษัท สยาม โซลูชั่น", "info@siam.example", "สุดา วงศ์", "ai", "TH"],
        ["buyer", "ประเสริฐ ผล", "buy@prasert.example", "ใจดี", "e-commerce", "TH"]]
KOREAN = [HEADER, ["company", "㈜한빛 로보틱스", "ceo@hanbit.example", "김민준", "robotics", "KR"],
          ["company", "주식회사 에이아이", "ai@ai.example", "박지훈", "ai", "KR"]]
VIETNAMESE = [HEADER, ["company", "Công ty Cổ phần Công nghệ Sài Gòn", "info@saigon.example", "Nguyễn Thị Hương",
                       "ai", "VN"],
              ["buyer", "Tập đoàn Bán lẻ Đồng Khởi", "buy@dongkhoi.example", "Trần Văn Đức", "e-commerce", "VN"]]
TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Text as Vietnamese Windows writes it: letters with circumflex, breve or horn are one byte, tone marks
    follow as combining characters (Python's encoder takes only what is precomposed in the code page)."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out += (base + "".join(c for c in parts if c in TONES)).encode("cp1258")
    return out


def vietnamese_csv(rows) -> bytes:
    return cp1258(csv_bytes(rows).decode())


def names(rows) -> list[str]:
    return [row[1] for row in rows[1:]]


# --- the rule, without the web -----------------------------------------------------------------------

def test_the_thai_file_reads_as_cp949_without_an_error_which_is_the_trap():
    data = csv_bytes(THAI, encoding="cp874")
    garbled = data.decode("cp949")  # no UnicodeDecodeError: the old rule (UTF-8, else CP949) took this

    assert names(THAI)[0] not in garbled


@pytest.mark.parametrize("office", ["cp949", "cp874", "cp1258"])
@pytest.mark.parametrize(("rows", "data", "expected"), [
    (THAI, csv_bytes(THAI, encoding="cp874"), "cp874"),
    (KOREAN, csv_bytes(KOREAN, encoding="cp949"), "cp949"),
    (VIETNAMESE, vietnamese_csv(VIETNAMESE), "cp1258"),
    (THAI, csv_bytes(THAI), "utf-8"),
    (VIETNAMESE, "\ufeff".encode() + csv_bytes(VIETNAMESE), "utf-8"),
], ids=["thai-cp874", "korean-cp949", "vietnamese-cp1258", "thai-utf8", "vietnamese-utf8-bom"])
def test_automatic_reading_finds_each_code_page_at_every_office(rows, data, expected, office):
    text, used = decode(data, "auto", preferred=office)

    assert used == expected
    assert all(name in text for name in names(rows))
    assert all(row[3] in text for row in rows[1:])


def test_ascii_goes_to_utf8_and_bytes_of_no_script_are_refused():
    assert decode(b"kind,name\r\ncompany,Acme\r\n", "auto", "cp874") == ("kind,name\r\ncompany,Acme\r\n", "utf-8")
    with pytest.raises(DecodeError):
        decode(b"name\r\n\x80\xff\x80", "auto", "cp1258")


def test_a_chosen_encoding_is_used_as_chosen_or_refused():
    thai = csv_bytes(THAI, encoding="cp874")

    assert decode(thai, "cp874")[0].count("สุดา วงศ์") == 1
    assert "สุดา" not in decode(thai, "cp1258")[0]  # decodes, into nonsense: the preview shows it
    with pytest.raises(DecodeError) as error:
        decode(thai, "utf-8")
    assert error.value.encoding == "utf-8"


@pytest.mark.parametrize(("zone", "locale", "code_page"), [
    ("Asia/Bangkok", "th", "cp874"), ("Asia/Bangkok", "en", "cp874"), ("Asia/Ho_Chi_Minh", "vi", "cp1258"),
    ("Asia/Jakarta", "id", "cp949"), ("America/Los_Angeles", "en", "cp949"), ("Asia/Seoul", "ko", "cp949"),
])
def test_each_office_has_its_usual_code_page(zone, locale, code_page):
    assert office_code_page(zone, locale) == code_page


# --- upload, preview, read again ---------------------------------------------------------------------------

@pytest.fixture
def office(make_office):
    return make_office(name="Bangkok", city="Bangkok", timezone="Asia/Bangkok", locale="th")


staff, event = import_desk.staff, import_desk.event


def _batch() -> ImportBatch:
    db.session.expire_all()
    return db.session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()


def _upload(client, event, data, encoding="auto"):
    """Post a CSV file with the chosen encoding, as the upload form does."""
    import io

    return client.post(f"/staff/events/{event.id}/import", data={"file": (io.BytesIO(data), "people.csv"),
                                                                "encoding": encoding},
                       content_type="multipart/form-data")


@pytest.mark.parametrize(("rows", "data", "label"), [
    (THAI, csv_bytes(THAI, encoding="cp874"), "Thai (Windows-874 / TIS-620)"),
    (KOREAN, csv_bytes(KOREAN, encoding="cp949"), "Korean (CP949 / EUC-KR)"),
    (VIETNAMESE, vietnamese_csv(VIETNAMESE), "Vietnamese (Windows-1258)"),
])
def test_upload_reads_each_code_page_and_names_it_on_the_preview(client, staff, event, rows, data, label):
    assert upload(client, event, data, "people.csv").status_code == 302
    batch = _batch()

    assert [row["values"]["name"] for row in batch.rows] == names(rows)
    assert [row["values"]["contact_name"] for row in batch.rows] == [row[3] for row in rows[1:]]
    page = client.get(f"/staff/imports/{batch.id}").get_data(as_text=True)
    assert f"Read as {label}, chosen automatically" in page
    assert names(rows)[0] in page


def test_a_wrong_choice_is_read_again_in_another_encoding_without_uploading(client, staff, event):
    data = csv_bytes(THAI, encoding="cp874")
    assert _upload(client, event, data, "cp1258").status_code == 302
    batch = _batch()
    assert names(THAI)[0] not in [row["values"]["name"] for row in batch.rows]
    assert "Read as Vietnamese (Windows-1258), as you chose." in client.get(
        f"/staff/imports/{batch.id}").get_data(as_text=True)

    response = client.post(f"/staff/imports/{batch.id}/encoding", data={"encoding": "cp874"})

    assert response.status_code == 302
    batch = _batch()
    assert [row["values"]["name"] for row in batch.rows] == names(THAI)
    assert batch.summary["encoding"] == "cp874" and batch.summary["chosen_encoding"] == "cp874"
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "reread_import")).one()
    client.post(f"/staff/imports/{batch.id}/confirm")
    assert sorted(db.session.scalars(select(Organization.name))) == sorted(names(THAI))
    assert "source" not in _batch().summary  # the kept copy goes once the file is imported


def test_an_encoding_that_cannot_read_the_file_keeps_the_preview_as_it_was(client, staff, event):
    assert upload(client, event, csv_bytes(THAI, encoding="cp874"), "people.csv").status_code == 302
    before = _batch().rows

    response = client.post(f"/staff/imports/{_batch().id}/encoding", data={"encoding": "utf-8"})

    assert response.status_code == 200
    assert "This file cannot be read as UTF-8 (Unicode): choose another encoding, or Automatic." in response.get_data(
        as_text=True)
    assert _batch().rows == before and _batch().summary["encoding"] == "cp874"


def test_upload_in_an_encoding_that_cannot_read_it_is_a_form_error(client, staff, event):
    response = _upload(client, event, csv_bytes(KOREAN, encoding="cp949"), "utf-8")

    assert response.status_code == 200
    assert "This file cannot be read as UTF-8 (Unicode)" in response.get_data(as_text=True)
    assert _batch() is None


def test_a_file_done_with_cannot_be_read_again(client, staff, event, make_user, auth):
    assert upload(client, event, csv_bytes(KOREAN, encoding="cp949"), "people.csv").status_code == 302
    batch = _batch()
    client.post(f"/staff/imports/{batch.id}/discard")
    assert "source" not in _batch().summary

    response = client.post(f"/staff/imports/{batch.id}/encoding", data={"encoding": "cp874"}, follow_redirects=True)

    assert "This import is already done or discarded." in response.get_data(as_text=True)
    assert _batch().status == ImportStatus.DISCARDED


def test_staff_of_another_office_cannot_read_a_file_again(client, staff, event, make_user, make_office, auth):
    assert upload(client, event, csv_bytes(THAI, encoding="cp874"), "people.csv").status_code == 302
    batch = _batch()
    auth.logout()
    auth.login(make_user(Role.STAFF, office_id=make_office().id))

    assert client.post(f"/staff/imports/{batch.id}/encoding", data={"encoding": "cp949"}).status_code == 403
    assert _batch().summary["encoding"] == "cp874"
