"""How an API view runs a service call that may refuse: one transaction (`matchmaker.web.perform`), and a refusal of
the service is a 409 problem with the service's message, in the token owner's language. Nothing else lives here."""

from flask import abort

from matchmaker.web import perform


def done(action):
    """Run a service call as one transaction; its refusal is a 409 problem with the service's message."""
    outcome = perform(action, quiet=True)
    if not outcome:
        abort(409, outcome.error)
    return outcome.value
