"""The matchmaking days as everyone sees them, and a member's application to one (blueprint `events`, in
routes.py)."""
