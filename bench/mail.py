"""Mail delivery speed through the real path: queued messages, one RQ job, one worker, a local SMTP server.

    .venv/bin/python bench/mail.py [--messages 1000] [--database-url postgresql://...] [--redis-url redis://...]

It migrates a throwaway database (an SQLite file in a temporary folder unless --database-url is given), writes
N queued messages as N requests would, and asks for delivery once per message, as every request that queues
mail does (the requests coalesce into one job). Then one worker (`matchmaker.worker.Worker`, burst mode)
delivers them to an aiosmtpd server on a free local port. Printed: jobs queued, messages/s from the worker's
start to its end (building its app once included) and without that start, SMTP connections used, and that
each Message-ID arrived once.
Redis database 13 is emptied before and after (the default --redis-url).

Target: at least 50 messages/s (issue 12; one fork and one app per message gave about 0.5/s).
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Inbox:
    def __init__(self):
        self.message_ids: list[str] = []
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        for line in envelope.content.splitlines():
            if line.lower().startswith(b"message-id:"):
                self.message_ids.append(line.split(b":", 1)[1].strip().decode())
                break
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller
    from redis import Redis
    from rq import Queue
    from sqlalchemy import func, insert, select

    folder = tempfile.mkdtemp(prefix="matchmaker-bench-mail-")
    port = _free_port()
    os.environ.update(
        DATABASE_URL=args.database_url or f"sqlite:///{folder}/bench.db", SECRET_KEY="bench-mail-secret",
        BASE_URL="http://matchmaker.bench", MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port),
        REDIS_URL=args.redis_url, JOBS_MODE="rq", MAIL_OUTBOX_DIR=folder,
    )
    # The app's modules load once the environment above is set, as in a worker process started with it.
    from flask_migrate import upgrade

    from matchmaker import create_app
    from matchmaker.database import utcnow
    from matchmaker.domain.email import new_message_id
    from matchmaker.enums import OutboxStatus
    from matchmaker.extensions import db
    from matchmaker.jobs import QUEUES, enqueue
    from matchmaker.models import OutboxMessage
    from matchmaker.tasks.mail import deliver_due
    from matchmaker.worker import Worker, close_worker_app, worker_app

    connection = Redis.from_url(args.redis_url)
    connection.flushdb()
    queues = [Queue(name, connection=connection) for name in QUEUES]
    app = create_app()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    try:
        with app.app_context():
            upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
            db.session.execute(OutboxMessage.__table__.delete())
            now = utcnow() - timedelta(seconds=1)
            db.session.execute(insert(OutboxMessage), [
                dict(kind="bench", to_address=f"person{n}@bench.example", subject=f"Meeting request {n}",
                     body_text="Hello,\n\nsomeone would like to meet you.\n" * 5, body_html="<p>Hello</p>" * 5,
                     locale="en", message_id=new_message_id(), status=OutboxStatus.QUEUED, attempts=0,
                     created_dt=now, next_attempt_dt=now)
                for n in range(args.messages)
            ])
            db.session.commit()
            for _ in range(args.messages):  # each request that queued one asks for delivery
                enqueue(deliver_due, coalesce="mail")
            jobs = sum(queue.count for queue in queues)

        controller.start()
        started, cpu = time.perf_counter(), time.process_time()
        worker_app()  # what the worker does when it starts
        built = time.perf_counter()
        Worker(queues, connection=connection).work(burst=True, logging_level="WARNING")
        elapsed = time.perf_counter() - started
        delivering = time.perf_counter() - built
        cpu = time.process_time() - cpu

        with app.app_context():
            sent = db.session.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.SENT))
        copies = Counter(inbox.message_ids)
        print(f"messages: {args.messages}; jobs queued for them: {jobs}; database: {db_name(os.environ)}")
        print(f"delivered: {sent} marked sent, {len(copies)} distinct Message-IDs received, "
              f"{sum(n - 1 for n in copies.values())} duplicates; SMTP connections: {inbox.connections}")
        print(f"worker time: {elapsed:.2f} s with its start ({built - started:.2f} s to build its app once) -> "
              f"{args.messages / elapsed:.1f} messages/s; delivering alone: {delivering:.2f} s -> "
              f"{args.messages / delivering:.1f} messages/s (target >= 50)")
        print(f"processor time (this process: worker and SMTP server): {cpu:.2f} s -> "
              f"{args.messages / cpu:.1f} messages per processor second; load average {os.getloadavg()[0]:.1f}")
    finally:
        controller.stop()
        close_worker_app()
        with app.app_context():
            db.engine.dispose()
        connection.flushdb()


def db_name(env) -> str:
    return env["DATABASE_URL"].split(":", 1)[0]


if __name__ == "__main__":
    main()
