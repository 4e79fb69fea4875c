"""What each role of `api_world` gets from an app page (signed in with a session, in a browser of its own), to set
beside what the same person's token gets from the API."""

from builders.api_world import ROLES
from builders.clients import sign_in


def page_statuses(app, world: dict, path: str, roles=ROLES) -> list[int]:
    statuses = []
    for role in roles:
        browser = app.test_client()
        assert sign_in(browser, world["emails"][role]).status_code == 302
        statuses.append(browser.get(path.format(**world)).status_code)
    return statuses
