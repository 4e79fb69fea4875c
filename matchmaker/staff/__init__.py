"""Staff area: programs, days and participants (routes), the schedule board (board), the recommender
matrix (matrix), participant imports and exports (imports), the day's operations (dayops), outcome
reports (reports), meeting languages and interpreters (languages) and the outbox (outbox). Each module adds
its views to the one blueprint, `routes.bp`."""

from matchmaker.staff import board, dayops, imports, languages, matrix, outbox, reports, routes  # noqa: F401
