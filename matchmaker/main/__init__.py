"""The front page, the language menu and the signed-in dashboard (blueprint `main`, in routes.py)."""
