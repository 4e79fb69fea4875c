"""Test clients shared by conftest and by tests that build apps of their own (a plain module: `from conftest
import …` is ambiguous once tests/browser/conftest.py is loaded too)."""

import contextvars

from flask.testing import FlaskClient

PASSWORD = "correct-horse-battery"


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in production: its own app context, `g` and database
    session. (Flask would otherwise reuse the test's app context, and Flask-Login's user cached in `g`
    would leak from one request to the next.)"""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")
