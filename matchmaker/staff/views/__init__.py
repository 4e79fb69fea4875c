"""The staff area's views, one module per topic; importing this package adds them all to the one blueprint
(`matchmaker.staff.blueprint.bp`)."""

from matchmaker.staff.views import (  # noqa: F401
    audit,
    events,
    exports,
    imports,
    languages,
    matrix,
    organizations,
    outbox,
    pair_rules,
    programs,
    registrations,
)
