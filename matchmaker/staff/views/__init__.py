"""The staff area's views, one module per topic; importing this package adds them all to the one blueprint
(`matchmaker.staff.blueprint.bp`)."""

from matchmaker.staff.views import (  # noqa: F401
    audit,
    board_moves,
    change_asks,
    confirmations,
    dayops,
    events,
    exports,
    imports,
    languages,
    live_board,
    matrix,
    messages,
    organizations,
    outbox,
    pair_rules,
    people,
    printouts,
    privacy,
    programs,
    registrations,
    reports,
    schedule_board,
    schedule_run,
    walkins,
)
