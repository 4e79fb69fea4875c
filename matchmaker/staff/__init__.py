"""Staff area: programs, days and participants (routes), the schedule board (board), the recommender
matrix (matrix), participant imports and exports (imports), the day's operations (dayops), outcome
reports (reports), meeting languages and interpreters (languages), the outbox (outbox), the organizations
(organizations) and the audit log (audit). Each module adds its views to the one blueprint, `routes.bp`."""

from matchmaker.staff import (  # noqa: F401
    audit,
    board,
    dayops,
    imports,
    languages,
    matrix,
    organizations,
    outbox,
    reports,
    routes,
)
