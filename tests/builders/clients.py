"""The test client and the one way a test signs in. Used by conftest's fixtures (`client`, `auth`), by tests that
build apps of their own, and by tests that sign in from threads or from given network addresses.

A browser page signs in through the form instead (the `sign_in` fixture of tests/browser/conftest.py)."""

import contextvars

from flask.testing import FlaskClient

PASSWORD = "correct-horse-battery"  # every user made by the `make_user` fixture has it unless told otherwise
# Every consent box of the registration form ticked (a box not asked, as transfer abroad with no office abroad, is
# ignored).
AGREED = {"consent_collection": "y", "consent_provision": "y", "consent_transfer_abroad": "y"}


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in production: its own app context, `g` and database
    session. (Flask would otherwise reuse the test's app context, and Flask-Login's user cached in `g`
    would leak from one request to the next.)"""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def sign_in(client, user_or_email, password: str = PASSWORD, *, address: str | None = None):
    """Post the sign-in form as a user (or an e-mail address) and return the answer; `address` is the network
    address the request comes from (REMOTE_ADDR), the test client's own when not given."""
    email = getattr(user_or_email, "email", user_or_email)
    options = {} if address is None else {"environ_base": {"REMOTE_ADDR": address}}
    return client.post("/login", data={"email": email, "password": password}, **options)


def switch_user(client, user_or_email, password: str = PASSWORD):
    """Sign out whoever is signed in on `client`, then sign in as another user; return the sign-in's answer."""
    client.post("/logout")
    return sign_in(client, user_or_email, password)


class AuthActions:
    """The `auth` fixture (as in Flask's tutorial): `auth.login(user)`, `auth.logout()` on the test's client."""

    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = PASSWORD):
        return sign_in(self._client, user_or_email, password)

    def logout(self):
        return self._client.post("/logout")
