"""Forms of the reports dashboard: the button that refits the recommender."""

from flask_wtf import FlaskForm


class RefitForm(FlaskForm):
    """Only the CSRF token: the button posts nothing else."""
