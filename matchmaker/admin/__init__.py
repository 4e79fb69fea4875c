"""The administrators' area: offices and staff accounts (blueprint `admin`, in routes.py; its forms in forms.py)."""
