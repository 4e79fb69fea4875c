"""What a scheduler run's worker tells the board while it solves, and how it hears Stop: the `progress` and
`should_stop` it hands the solver (`matchmaker.scheduling.solve`).

Both talk to the database through the engine in short transactions of their own, never through the job's session:
the run's main transaction is unaffected, and they work from CP-SAT's threads (which have no application
context). Both are throttled: the latest report is written at most once a THROTTLE_SECONDS, the stop request read at
most as often (a report held back is written by a later call of either: the solver's timer asks `should_stop`
every fraction of a second while it searches). A database error here is logged, never raised into the solver: the
run goes on without progress.
"""

import logging
import threading
import time

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from matchmaker.enums import RunStatus
from matchmaker.models import ScheduleRun
from matchmaker.scheduling.progress import Progress

THROTTLE_SECONDS = 1.0

log = logging.getLogger(__name__)


class RunProgress:
    def __init__(self, run_id: int, engine: Engine, throttle: float = THROTTLE_SECONDS, clock=time.monotonic):
        self.run_id = run_id
        self.engine = engine
        self.throttle = throttle
        self.clock = clock
        self.lock = threading.Lock()
        self.written_at = float("-inf")
        self.read_at = float("-inf")
        self.stop = False
        self.pending: Progress | None = None  # the latest report, not yet written

    def report(self, report: Progress) -> None:
        """Write `report` as the run's progress, or hold it back while the last write is less than a throttle ago."""
        with self.lock:
            self.pending = report
            self._write_pending()

    def _write_pending(self) -> None:
        now = self.clock()
        if self.pending is None or now - self.written_at < self.throttle:
            return
        report, self.pending, self.written_at = self.pending, None, now
        try:
            with self.engine.begin() as conn:
                conn.execute(update(ScheduleRun).where(ScheduleRun.id == self.run_id,
                                                       ScheduleRun.status == RunStatus.RUNNING)
                             .values(progress=report.as_dict()))
        except SQLAlchemyError:
            log.warning("scheduler run %s: progress not written", self.run_id, exc_info=True)

    def should_stop(self) -> bool:
        """Whether staff asked the run to stop (read again at most once a throttle)."""
        with self.lock:
            self._write_pending()
            now = self.clock()
            if self.stop or now - self.read_at < self.throttle:
                return self.stop
            self.read_at = now
            try:
                with self.engine.connect() as conn:
                    self.stop = conn.scalar(select(ScheduleRun.stop_requested_dt)
                                            .where(ScheduleRun.id == self.run_id)) is not None
            except SQLAlchemyError:
                log.warning("scheduler run %s: stop request not read", self.run_id, exc_info=True)
            return self.stop
