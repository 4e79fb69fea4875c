"""Participants from a file: read and checked into a batch that staff preview, then written all at once
(organization, member account, approved participation) and invited by e-mail to choose a password. A row of an
organization that exists already (see `import_matches`) updates its profile instead. What the import says to
the reader (headers, refusals, each row's problems) is `import_messages`; this module decides and writes."""

import base64
import secrets

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from matchmaker.database import utcnow
from matchmaker.domain import profile_rows, profile_texts, profile_updates, text_encodings
from matchmaker.domain.profile_rows import UnreadableFile, Vocabulary, header_key, preferred_locale
from matchmaker.enums import ImportStatus, OrgKind, ParticipationStatus, Role
from matchmaker.extensions import db
from matchmaker.models import Event, ImportBatch, Office, Organization, Participation, User
from matchmaker.services import ServiceError, accounts, audit, import_matches, recommendations
from matchmaker.services.import_messages import COLUMN_LABELS, FILE_ERRORS, file_error
from matchmaker.vocabulary import SECTORS, STAGE_LABELS

PARTNER_ROLE = {OrgKind.COMPANY: Role.COMPANY, OrgKind.INVESTOR: Role.PARTNER, OrgKind.BUYER: Role.PARTNER}


def vocabulary() -> Vocabulary:
    return Vocabulary(
        sectors=frozenset(SECTORS), stages=frozenset(STAGE_LABELS),
        locales=frozenset(current_app.config["LANGUAGES"]),
    )


def header_map() -> dict[str, str]:
    """Every header label in every language the app speaks -> column key."""
    mapping = {}
    for locale in current_app.config["LANGUAGES"]:
        with force_locale(locale):
            for key, label in COLUMN_LABELS.items():
                mapping.setdefault(header_key(str(label)), key)
    return mapping


def office_code_page(office: Office) -> str:
    """The code page a CSV file most likely comes in at this office when it is not UTF-8."""
    return text_encodings.office_code_page(office.timezone, office.locale)


def preview_upload(actor: User, target: Event | Office, filename: str, data: bytes,
                   encoding: str = text_encodings.AUTO) -> ImportBatch:
    """Read and check a file into a batch held for preview; nothing else is written. A CSV file is kept with
    the batch (until it is imported or discarded), so that staff can read it again in another encoding."""
    event = target if isinstance(target, Event) else None
    office = event.program.office if event else target
    table = _read(filename, data, encoding, office)
    batch = ImportBatch(
        office_id=office.id, event_id=event.id if event else None,
        created_by_id=actor.id, filename=profile_rows.CONTROL_CHARACTERS.sub("", filename)[:255],
        status=ImportStatus.PREVIEW,
        summary=_preview_summary(table, encoding, office, data),
    )
    batch.rows = import_matches.current_rows([row.as_dict() for row in table.rows], event.id if event else None)
    db.session.add(batch)
    db.session.flush()
    audit.record(actor, "preview_import", batch, rows=len(batch.rows), problems=batch.problem_count,
                 encoding=table.encoding)
    return batch


def reread(actor: User, batch: ImportBatch, encoding: str) -> ImportBatch:
    """Read a previewed CSV file again in another encoding (or automatically), from the copy kept with it."""
    if batch.status != ImportStatus.PREVIEW:
        raise ServiceError(gettext("This import is already done or discarded."))
    source = (batch.summary or {}).get("source")
    if source is None:
        raise ServiceError(gettext("Only a CSV file can be read in another encoding."))
    data = base64.b64decode(source)
    office = db.session.get(Office, batch.office_id)
    table = _read(batch.filename, data, encoding, office)
    rows = import_matches.current_rows([row.as_dict() for row in table.rows], batch.event_id)
    # Only a batch still in preview changes: a confirmation that got there first keeps what it imported.
    changed = db.session.execute(
        update(ImportBatch).where(ImportBatch.id == batch.id, ImportBatch.status == ImportStatus.PREVIEW)
        .values(rows=rows, summary=_preview_summary(table, encoding, office, data))
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise ServiceError(gettext("This import is already done or discarded."))
    db.session.refresh(batch)
    audit.record(actor, "reread_import", batch, rows=len(rows), encoding=table.encoding, chosen=encoding)
    return batch


def _read(filename: str, data: bytes, encoding: str, office: Office | None) -> profile_rows.Table:
    preferred = office_code_page(office) if office else text_encodings.DEFAULT_CODE_PAGE
    try:
        table = profile_rows.read(filename, data, vocabulary(), header_map(), encoding, preferred)
    except UnreadableFile as error:
        raise ServiceError(file_error(error)) from None
    if not table.rows:
        raise ServiceError(str(FILE_ERRORS["empty"]))
    return table


def _preview_summary(table: profile_rows.Table, chosen: str, office: Office | None, data: bytes) -> dict:
    summary = {"unknown_columns": table.unknown_columns}
    if table.encoding is not None:  # a CSV file
        summary.update(encoding=table.encoding, chosen_encoding=chosen, source=base64.b64encode(data).decode(),
                       office_encoding=office_code_page(office) if office else text_encodings.DEFAULT_CODE_PAGE)
    return summary


def recent_batches(event: Event) -> list[ImportBatch]:
    """The day's last ten imports, the latest first."""
    return list(db.session.scalars(
        select(ImportBatch).where(ImportBatch.event_id == event.id).order_by(ImportBatch.id.desc()).limit(10)
    ))


def batch_event(batch: ImportBatch) -> Event | None:
    """The day the batch imports into; None for an office's import (for no particular day)."""
    return db.session.get(Event, batch.event_id) if batch.event_id else None


def current_rows(batch: ImportBatch) -> list[dict]:
    """The batch's rows as of now (see `import_matches.current_rows`)."""
    return import_matches.current_rows(batch.rows, batch.event_id)


def ready(batch: ImportBatch, rows: list[dict]) -> bool:
    return (
        batch.status == ImportStatus.PREVIEW and bool(rows) and not batch.summary.get("unknown_columns")
        and not any(row["problems"] for row in rows)
    )


def confirm_import(actor: User, batch: ImportBatch) -> dict:
    """Write every row in the caller's transaction, or none: new organizations with their accounts, the filled
    cells of the rows of existing ones (their accounts and passwords untouched), approved participations where
    missing (a decided or pending one is left as it is), and one invitation per new account only; fresh
    recommendations for the days it changes once it is committed. Refused while any row has a problem."""
    if batch.status != ImportStatus.PREVIEW:
        raise ServiceError(gettext("This import is already done or discarded."))
    rows = current_rows(batch)
    if not ready(batch, rows):
        raise ServiceError(gettext("Nothing was imported: the file has problems. Fix them and upload it again."))
    # Claim the batch in the database, so that a second confirmation sent at the same moment (a double click,
    # two staff members) waits for this one and then finds it done, whatever the rows hold.
    claimed = db.session.execute(
        update(ImportBatch).where(ImportBatch.id == batch.id, ImportBatch.status == ImportStatus.PREVIEW)
        .values(status=ImportStatus.IMPORTED).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise ServiceError(gettext("This import is already done or discarded."))
    event = db.session.get(Event, batch.event_id) if batch.event_id else None
    users, updated, joined = [], [], 0
    for row in rows:
        if row["status"] == import_matches.NEW:
            organization, user = _member(row["values"])
            db.session.add_all([organization, user])
            users.append(user)
        elif row["status"] == import_matches.UPDATE:
            organization = db.session.get(Organization, row["organization_id"])
            profile_updates.apply(organization, row["changes"])
            if row["changes"]:
                updated.append((organization, row["changes"]))
        else:
            continue
        if event is not None and (row["status"] == import_matches.NEW or row["joins"]):
            db.session.add(Participation(
                event=event, organization=organization, status=ParticipationStatus.APPROVED,
                decided_dt=utcnow(), decided_by_id=actor.id,
            ))
            joined += 1
    try:
        db.session.flush()
    except IntegrityError:
        # Someone took an e-mail or an id between the check above and now. The failed flush has ended the
        # transaction: roll it back (every row of the file goes with it) before anything else reads the database.
        db.session.rollback()
        raise ServiceError(gettext(
            "Nothing was imported: an account or organization in the file was created meanwhile. "
            "Check the preview again."
        )) from None
    for user in users:
        audit.record(actor, "import_member", user, organization_id=user.organization_id, batch_id=batch.id)
        accounts.send_invitation(user, event)
    for organization, changes in updated:
        audit.record(actor, "import_update", organization, batch_id=batch.id,
                     changes={change["field"]: [change["old"], change["new"]] for change in changes})
    statuses = [row["status"] for row in rows]
    batch.status = ImportStatus.IMPORTED
    batch.imported_dt = utcnow()
    batch.rows = rows
    batch.summary = {
        **_without_source(batch.summary), "organizations": len(users), "users": len(users), "participations": joined,
        "invitations": len(users), "new": statuses.count(import_matches.NEW),
        "updated": statuses.count(import_matches.UPDATE), "unchanged": statuses.count(import_matches.UNCHANGED),
    }
    audit.record(actor, "import", batch, **batch.summary)
    recommendations.schedule_recompute(events_to_recompute(batch))  # once the import is committed
    return batch.summary


def events_to_recompute(batch: ImportBatch) -> list[int]:
    """The days whose recommendations an imported batch may change: its own, when anyone joined it, and every
    day in which an updated organization takes part (its profile is what the recommender reads)."""
    events = {batch.event_id} if batch.event_id and batch.summary.get("participations") else set()
    changed = [row["organization_id"] for row in batch.rows
               if row.get("status") == import_matches.UPDATE and row.get("changes")]
    if changed:
        events.update(db.session.scalars(select(Participation.event_id).where(
            Participation.organization_id.in_(changed), Participation.status == ParticipationStatus.APPROVED,
        )))
    return sorted(events)


def _member(values: dict) -> tuple[Organization, User]:
    kind = OrgKind(values["kind"])
    texts = profile_texts.updated(None, None, {}, original=values["description"], by_lang={
        lang: values.get(column) for column, lang in profile_updates.TEXT_COLUMNS.items()
    })
    organization = Organization(
        external_id=values["id"], kind=kind, name=values["name"], name_latin=values["name_latin"],
        country=values["country"], website=values["website"], phone=values["phone"],
        sectors=values["sectors"], stages=values["stages"], description=texts.description,
        description_lang=texts.description_lang, texts=texts.texts,
        markets=values["markets"], languages=values["languages"], timezone=values["timezone"],
        ticket_min_usd=values["ticket_min_usd"], ticket_max_usd=values["ticket_max_usd"],
        existing_investors=values["existing_investors"], portfolio=values["portfolio"],
    )
    user = User(
        email=values["email"], name=(values["contact_name"] or values["name"])[:120], role=PARTNER_ROLE[kind],
        name_latin=values.get("contact_name_latin"),
        locale=preferred_locale(values, current_app.config["LANGUAGES"])
        or current_app.config["BABEL_DEFAULT_LOCALE"],
        timezone=values["timezone"], organization=organization, verified=False,
        # No one knows this password (no "$", so no hash method matches it): the invitation sets a real one.
        password_hash=accounts.UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(24),
    )
    return organization, user


def discard(actor: User, batch: ImportBatch) -> None:
    """Drop a batch held for preview; discarding it twice is no error."""
    if batch.status == ImportStatus.DISCARDED:
        return
    if batch.status != ImportStatus.PREVIEW:
        raise ServiceError(gettext("This file is imported already; it cannot be discarded."))
    batch.status = ImportStatus.DISCARDED
    batch.summary = _without_source(batch.summary)
    audit.record(actor, "discard_import", batch)


def _without_source(summary: dict | None) -> dict:
    """The batch's summary without the kept copy of its file, once nobody can read it again."""
    return {key: value for key, value in (summary or {}).items() if key != "source"}
