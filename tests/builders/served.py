"""The app served by a real HTTP server (werkzeug, threaded) in a thread of the test, for the browser tests and the
schemathesis run against the live OpenAPI document."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server


@contextmanager
def serving(app) -> Iterator[str]:
    """Yields the base URL (http://127.0.0.1:<free port>); the server stops when the block ends."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
