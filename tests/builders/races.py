"""Real threads released at the same instant, for the concurrency tests.

Each action runs in its own thread and must use its own database session: a test client (every request
gets its own app context and session) or `with app.app_context():` inside the action. The races need
PostgreSQL: SQLite lets one writer in at a time, so the interleavings under test cannot happen there.
"""

import os
import threading

import pytest

POSTGRES = (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql")

needs_postgres = pytest.mark.skipif(
    not POSTGRES, reason="races need concurrent writers (PostgreSQL); SQLite lets one writer in at a time"
)


def race(*actions, timeout: float = 60):
    """Run the actions in threads lined up on a barrier; return each one's result, or the exception it
    raised (a view that raises is what a user would see as a 500)."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout)
            results[index] = action()
        except BaseException as error:  # noqa: BLE001 - reported to the test, which fails on it
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a racing thread did not finish"
    return results


def server_errors(results) -> list:
    """The outcomes a user would see as a server error: an exception out of the view, or a 5xx answer."""
    return [r for r in results if isinstance(r, BaseException) or getattr(r, "status_code", 200) >= 500]


def page(result) -> str:
    return result.get_data(as_text=True) if hasattr(result, "get_data") else ""
