"""Staff area: programs, days and participants (routes), the schedule board (board) and the recommender
matrix (matrix). Each module adds its views to the one blueprint, `routes.bp`."""

from matchmaker.staff import board, matrix, routes  # noqa: F401
