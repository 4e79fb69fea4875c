"""Browser fixtures: the session app served from a thread on a free local port, headless Chromium, and `sign_in`,
which signs a page in through the login form (a test client signs in with `builders.clients.sign_in` instead).

Debian's /usr/bin/chromium is driven by Playwright; Playwright's own browser download is never used.
Without Chromium the tests are skipped, except on CI (CI=true), where that is a failure.
"""

import os
from pathlib import Path

import pytest
from builders.clients import PASSWORD
from builders.served import serving

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # the machine refuses outside connections; don't keep trying
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Werkzeug's development server skips closing a static file's response when the browser drops the
# connection mid-transfer (navigating on before a script has loaded); the file object is then collected later
# and warns. That is the test server's behaviour, not ours: only that warning is let through, for static files.
STATIC_FILE_LEFT_OPEN = (
    r"ignore:Exception ignored in. <_io\.(FileIO|BufferedReader) name='[^']*/static/"
    ":pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.filterwarnings(STATIC_FILE_LEFT_OPEN))


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI requires the browser tests to run")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app, monkeypatch):
    """The base URL of the session app, served from a thread; CSRF is on, as for real browsers."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    with serving(app) as base_url:
        yield base_url


@pytest.fixture
def page(browser, live_server):
    # The browser's own zone differs from the one the tests choose, so a preselected zone can't pass.
    context = browser.new_context(base_url=live_server, locale="en-US", timezone_id="America/Los_Angeles")
    context.set_default_timeout(5000)
    page = context.new_page()
    # Chromium reports what the Content-Security-Policy blocks on the console: no page may need any of it.
    blocked = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert blocked == [], "the Content-Security-Policy blocked something a page uses"


@pytest.fixture
def sign_in():
    """Sign a Playwright page in through the login form, as a user made by `make_user` (their PASSWORD)."""

    def sign_in(page, email: str) -> None:
        page.goto("/login")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("#submit")
        page.wait_for_url("**/*")

    return sign_in
