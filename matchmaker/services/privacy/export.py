"""Everything held about a person, for their own download from Settings, staff's export on request and `flask privacy
export EMAIL`: profile, organization (membership and profile), participations, requests, meetings, messages,
feedback, consents, sign-ins, the e-mails sent to them, their own actions, and the rows of any other table that point
at them. As a plain dict (JSON) or as an Excel workbook with one sheet per kind. It reads only; `record_export`
audits who exported whose data."""

import io
import json
from datetime import date, datetime
from enum import Enum

from openpyxl import Workbook
from sqlalchemy import inspect, or_, select

from matchmaker.database import utcnow
from matchmaker.extensions import db
from matchmaker.models import AuditLog, Feedback, Meeting, MeetingRequest, Message, OutboxMessage, Participation, User
from matchmaker.services import audit
from matchmaker.services.exports import append_row

# Secrets of the account: never written into a file that is downloaded and kept (whoever holds them signs in).
SECRET_COLUMNS = {"password_hash", "calendar_token", "claim_token", "lease_until", "session_version"}
# Tables read by a kind of their own; any other table with a column that points at users is read generically.
OWN_KINDS = {"users", "audit_log", "meeting_requests", "messages", "feedback", "participations", "outbox_messages",
             "meetings", "meeting_seats", "organizations"}
KINDS = ("profile", "organization", "participations", "requests", "meetings", "messages", "feedback", "consents",
         "sign_ins", "emails", "actions", "other_records")


def plain(value):
    """A value JSON can hold: instants and days as ISO 8601, enumerations as their value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def row_of(obj) -> dict:
    """A model object's columns (secrets left out)."""
    return {c.key: plain(getattr(obj, c.key)) for c in inspect(obj).mapper.column_attrs
            if c.key not in SECRET_COLUMNS}


def collect(user: User) -> dict:
    """Everything held about `user`, by kind (see KINDS)."""
    org = user.organization
    requests = _requests_of(org.id) if org else []
    request_ids = [r.id for r in requests]
    return {
        "exported_at": utcnow().isoformat(),
        "profile": {**row_of(user), "calendar_feed_link": bool(user.calendar_token)},
        "organization": row_of(org) if org else None,
        "participations": [
            {**row_of(p), "event": p.event.title, "event_date": p.event.date.isoformat()}
            for p in (db.session.scalars(select(Participation).where(Participation.organization_id == org.id)
                                         .order_by(Participation.id)) if org else [])
        ],
        "requests": [
            {**row_of(r), "from_organization": r.from_org.name, "to_organization": r.to_org.name,
             "event": r.event.title, "asked_by_you": r.created_by_id == user.id}
            for r in requests
        ],
        "meetings": [
            {**row_of(m), "with": m.request.other_org(org.id).name}
            for m in db.session.scalars(select(Meeting).where(Meeting.request_id.in_(request_ids)).order_by(Meeting.id))
        ],
        "messages": [
            {**row_of(m), "author_organization": m.author_org.name, "written_by_you": m.author_id == user.id}
            for m in db.session.scalars(select(Message).where(or_(
                Message.request_id.in_(request_ids), Message.author_id == user.id)).order_by(Message.id))
        ],
        "feedback": [row_of(f) for f in db.session.scalars(select(Feedback).where(or_(
            Feedback.user_id == user.id, Feedback.organization_id == (org.id if org else -1))).order_by(Feedback.id))],
        "consents": table_rows_of(user, "consents"),
        "sign_ins": [{"at": plain(e.created_dt)} for e in _audit(user, AuditLog.action == "login")],
        "emails": [
            {"kind": m.kind, "subject": m.subject, "status": plain(m.status), "created_dt": plain(m.created_dt),
             "sent_dt": plain(m.sent_dt)}
            for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == user.email)
                                        .order_by(OutboxMessage.id))
        ],
        "actions": [
            {"at": plain(e.created_dt), "action": e.action, "object": e.object_type, "object_id": e.object_id}
            for e in _audit(user, AuditLog.action != "login")
        ],
        "other_records": {name: rows for name, rows in
                          ((t.name, table_rows_of(user, t.name)) for t in db.metadata.sorted_tables
                           if t.name not in OWN_KINDS and t.name != "consents") if rows},
    }


def _requests_of(org_id: int) -> list[MeetingRequest]:
    return list(db.session.scalars(select(MeetingRequest).where(or_(
        MeetingRequest.from_org_id == org_id, MeetingRequest.to_org_id == org_id)).order_by(MeetingRequest.id)))


def _audit(user: User, condition) -> list[AuditLog]:
    """The person's own entries (`condition` picks sign-ins or the rest)."""
    return list(db.session.scalars(select(AuditLog).where(AuditLog.actor_id == user.id, condition)
                                   .order_by(AuditLog.id)))


def user_columns(table) -> list:
    """The columns of `table` that point at a user (its foreign keys to users.id)."""
    return [c for c in table.columns if any(fk.column.table.name == "users" for fk in c.foreign_keys)]


def table_rows_of(user: User, name: str) -> list[dict]:
    """The rows of table `name` that point at `user` (none when the table is not there, or points at no user)."""
    table = db.metadata.tables.get(name)
    columns = user_columns(table) if table is not None else []
    if not columns:
        return []
    rows = db.session.execute(select(table).where(or_(*(c == user.id for c in columns))).order_by(*table.primary_key))
    return [{k: plain(v) for k, v in row.items() if k not in SECRET_COLUMNS} for row in rows.mappings()]


def as_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def as_workbook(data: dict) -> bytes:
    """One sheet per kind: a record's fields down the sheet, a list of records as a table (one row each)."""
    book = Workbook()
    book.remove(book.active)
    sheets = [(kind, data.get(kind)) for kind in KINDS if kind != "other_records"]
    sheets += sorted((data.get("other_records") or {}).items())
    for title, value in sheets:
        sheet = book.create_sheet(title[:31])
        if isinstance(value, dict) or value is None:
            sheet.append(["field", "value"])
            for key, item in (value or {}).items():
                append_row(sheet, [key, _cell(item)])
            continue
        header = list(dict.fromkeys(key for record in value for key in record))
        sheet.append(header)
        for record in value:
            append_row(sheet, [_cell(record.get(key)) for key in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def record_export(actor: User | None, user: User, form: str) -> None:
    """Audit that `actor` (None: the command line) exported `user`'s data as `form` ("json" or "xlsx")."""
    audit.record(actor, "privacy.export", user, format=form, by_self=actor is not None and actor.id == user.id)
