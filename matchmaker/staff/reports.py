"""Placeholder: views are added here."""

from matchmaker.staff.routes import bp  # noqa: F401
