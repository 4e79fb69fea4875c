"""Placeholder: views are added here."""

from matchmaker.meetings.routes import bp  # noqa: F401
