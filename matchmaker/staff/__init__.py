"""Staff area (pretalx's `orga/`): one blueprint, `bp` (`staff.…` endpoints under /staff), in `blueprint.py` with
its staff-only check; `scope.py` says which office's objects a staff member may touch; `views/<topic>.py` holds
the pages of each topic (programs, events, registrations, pair rules, organizations, outbox, audit, imports,
exports, languages, matrix, schedule board, reports, day of the event, live board, printouts, walk-ins) and
`forms/<topic>.py` their forms; templates mirror it in `templates/staff/<topic>/`. Views are form → service →
flash (`matchmaker.web.perform`); what they change, and what they read beyond one object, is in `services/`.

Importing this package adds every view to `bp`."""

from matchmaker.staff import views  # noqa: F401  (registers every view on the blueprint)
from matchmaker.staff.blueprint import bp

__all__ = ["bp"]
