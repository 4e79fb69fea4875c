"""/api/v1: Participant import as JSON: preview, then all or nothing (staff).

The rows sent are read by the import page's own service (`services.imports`) as JSON Lines, the import's format for
objects, so that the preview, its problems and the all-or-nothing confirmation are the page's: `POST
/events/{id}/imports` previews a batch and writes nothing else; `GET /imports/{id}` shows it again as of now (a row
may have met an account created since); `POST /imports/{id}/confirm` imports every row or none (409 while a row has a
problem, or once the batch is imported or discarded); `POST /imports/{id}/discard` drops it. Staff of the day's
office and admins only, as the page (members 403, another office's 403). At most `profile_files.MAX_ROWS` rows a
batch (422 past it; a body past the app's MAX_CONTENT_LENGTH is 413)."""

import json

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint

from matchmaker.api.auth import documented_errors, protect
from matchmaker.api.catalog import staff_only
from matchmaker.api.outcomes import done
from matchmaker.api.schemas_import import ImportBatchSchema, NewImportSchema
from matchmaker.enums import ImportStatus
from matchmaker.models import ImportBatch
from matchmaker.services import import_messages, imports
from matchmaker.services.import_matches import NEW, UNCHANGED, UPDATE
from matchmaker.staff.scope import office_batch, office_event
from matchmaker.web import perform

blp = Blueprint("api_import", __name__,
                description="Participant import as JSON: preview, then all or nothing (staff).")
protect(blp)  # a token on every call, rate limited per token
_errors = documented_errors(blp)

FILENAME = "api.jsonl"  # the batch's name on the import page; `.jsonl` is how the service reads it
IMPORTED = ("organizations", "users", "participations", "invitations")


def _as_json_lines(rows: list[dict]) -> bytes:
    return "\n".join(json.dumps(row, ensure_ascii=False, allow_nan=False) for row in rows).encode()


def _batch(batch_id: int) -> ImportBatch:
    staff_only()
    return office_batch(batch_id)


def _row(row: dict) -> dict:
    return {
        "line": row["line"], "status": row.get("status"), "organization_id": row.get("organization_id"),
        "joins": bool(row.get("joins")), "values": row.get("values") or {},
        "problems": [{**p, "message": import_messages.describe(p)} for p in row.get("problems", [])],
        "changes": [{**c, "message": import_messages.describe_change(c)} for c in row.get("changes", [])],
        "notes": [{**n, "message": import_messages.describe_note(n)} for n in row.get("notes", [])],
    }


def _shown(batch: ImportBatch) -> dict:
    """The batch as the preview page shows it: its rows as of now while in preview, else as they were imported."""
    rows = imports.current_rows(batch) if batch.status == ImportStatus.PREVIEW else batch.rows
    statuses = [row.get("status") for row in rows]
    summary = batch.summary or {}
    return {
        "id": batch.id, "event_id": batch.event_id, "office_id": batch.office_id, "status": batch.status.value,
        "ready": imports.ready(batch, rows), "created_dt": batch.created_dt, "imported_dt": batch.imported_dt,
        "unknown_columns": summary.get("unknown_columns") or [],
        "counts": {"rows": len(rows), "with_problems": sum(1 for row in rows if row.get("problems")),
                   "new": statuses.count(NEW), "updated": statuses.count(UPDATE),
                   "unchanged": statuses.count(UNCHANGED)},
        "imported": {key: summary[key] for key in IMPORTED if key in summary} or None,
        "rows": [_row(row) for row in rows],
    }


@blp.post("/events/<int:event_id>/imports")
@blp.arguments(NewImportSchema)
@blp.response(201, ImportBatchSchema)
@_errors
def preview(body, event_id: int):
    """Check the participants into a batch held for preview (nothing else is written): each row's problems, what
    importing it does (a new organization and account, invited by e-mail; an update; nothing), `ready`."""
    staff_only()
    event = office_event(event_id)
    data = _as_json_lines(body["rows"])
    outcome = perform(lambda: imports.preview_upload(current_user, event, FILENAME, data), quiet=True)
    if not outcome:
        abort(422, outcome.error)
    return _shown(outcome.value)


@blp.get("/imports/<int:batch_id>")
@blp.response(200, ImportBatchSchema)
@_errors
def batch(batch_id: int):
    """The batch as of now: a row may have met, since its preview, an account or organization created meanwhile."""
    return _shown(_batch(batch_id))


@blp.post("/imports/<int:batch_id>/confirm")
@blp.response(200, ImportBatchSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def confirm(batch_id: int):
    """Import every row, or none: new organizations with their accounts (each invited by e-mail), updates, approved
    participations in the day. 409 while a row has a problem, or once the batch is imported or discarded."""
    item = _batch(batch_id)
    done(lambda: imports.confirm_import(current_user, item))
    return _shown(item)


@blp.post("/imports/<int:batch_id>/discard")
@blp.response(200, ImportBatchSchema)
@_errors
@blp.alt_response(409, response="CONFLICT")
def discard(batch_id: int):
    """Drop a batch held for preview (twice is no error; an imported one: 409)."""
    item = _batch(batch_id)
    done(lambda: imports.discard(current_user, item))
    return _shown(item)
