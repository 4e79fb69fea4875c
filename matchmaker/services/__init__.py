"""The service layer: verbs that change state. They take the acting user as an argument,
write the audit log and queue mail in the caller's transaction, and leave committing to the caller."""


class ServiceError(Exception):
    """A refusal a person can act on; the message is already translated."""
