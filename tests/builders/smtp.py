"""A real SMTP server for mail tests (aiosmtpd on a free local port) that keeps what it accepted."""

import socket
import threading
from contextlib import contextmanager
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Inbox:
    """aiosmtpd handler keeping every accepted message, in arrival order."""

    def __init__(self, reject: set[str] | None = None):
        self.messages = []
        self.reject = reject or set()  # addresses answered with 550, as a server refuses an unknown mailbox
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def message_ids(self) -> list[str]:
        with self._lock:
            return [m["Message-ID"] for _, m in self.messages]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(port: int, reject: set[str] | None = None):
    inbox = Inbox(reject)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
