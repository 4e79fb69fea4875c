"""The front page, the language menu and the signed-in dashboard (blueprint `main`, in routes.py); the installable
app's manifest, service worker and favicon (app_shell.py)."""

from matchmaker.main import app_shell, routes  # noqa: F401
