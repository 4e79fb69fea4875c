"""A signed-in person's settings and a member's organization profile (blueprint `profiles`, in routes.py; its forms
in forms.py)."""
