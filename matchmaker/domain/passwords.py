"""The password rule: how long a password must be. One rule for the forms (a field's validator) and the services
(accounts the CLI or an admin creates), so that neither has to import the other. Plain Python: the messages that
state the rule are each caller's, in the caller's language."""

MIN_PASSWORD_LENGTH = 10


def long_enough(password: str | None) -> bool:
    """Whether `password` has at least MIN_PASSWORD_LENGTH characters (no password has none)."""
    return len(password or "") >= MIN_PASSWORD_LENGTH
