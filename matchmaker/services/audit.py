"""The audit log: who did what to which object, written in the caller's transaction (committed or rolled back with
the change it records). Staff read it on the audit page (`services.audit_log`)."""

from matchmaker.extensions import db
from matchmaker.models import AuditLog, User


def record(actor: User | None, action: str, obj, **details) -> AuditLog:
    """Add an audit entry for `obj` in the current transaction."""
    entry = AuditLog(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        details=details,
    )
    db.session.add(entry)
    return entry
