"""Accounts: sign-in, registration, e-mail confirmation, passwords and sign-out (blueprint `auth`, in routes.py;
its forms in forms.py)."""
