"""A signed-in person's settings and a member's organization profile (blueprint `profiles`, in routes.py; its forms
in forms.py); texts.py the template helper that picks the description a reader sees."""

from matchmaker.profiles import privacy, routes, texts  # noqa: F401
