"""Progress of a solve as it runs, and stopping it early: the report handed to the caller's `progress(report)` at
each improving schedule CP-SAT finds and at each phase change, and the caller's `should_stop()` polled (in the
solution callback, by a timer thread while CP-SAT searches, and between phases).

Stopping keeps the best schedule found so far: a search is only stopped once a schedule is in hand. The caller's
functions are called from CP-SAT's threads and from the timer thread: they must be thread-safe and quick (the
web worker throttles its writes).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

POLL_SECONDS = 0.25  # how often the timer thread asks should_stop() while CP-SAT searches


@dataclass(frozen=True)
class Progress:
    """The best schedule so far. `weight_bound`: the most meeting weight any schedule can place (None while
    unknown); `breaks_bound`: the fewest breaks a schedule with this weight can have (0 while unknown)."""

    # "greedy" (the start), "weight", "moves", "breaks", "single" (big days: all in one) or "lns" (big days:
    # windows and clusters re-solved)
    phase: str
    placed: int
    weight: int
    breaks: int
    weight_bound: int | None
    breaks_bound: int
    elapsed: float

    def as_dict(self) -> dict:
        return {
            "phase": self.phase, "placed": self.placed, "weight": self.weight, "breaks": self.breaks,
            "weight_bound": self.weight_bound, "breaks_bound": self.breaks_bound,
            "elapsed": round(self.elapsed, 1),
        }


class Watch:
    """The caller's `progress` and `should_stop` for one solve, and the bounds known so far."""

    def __init__(
        self,
        progress: Callable[[Progress], None] | None,
        should_stop: Callable[[], bool] | None,
        started: float,
    ):
        self.progress = progress
        self.should_stop = should_stop
        self.started = started
        self.weight_bound: int | None = None
        self.breaks_bound = 0
        self.holding = False  # a schedule is in hand: stopping now keeps it
        self._stopped = False
        self._lock = threading.Lock()

    def report(self, phase: str, placed: int, weight: int, breaks: int) -> None:
        self.holding = True
        if self.progress is not None:
            self.progress(Progress(phase, placed, weight, breaks, self.weight_bound, self.breaks_bound,
                                   time.monotonic() - self.started))

    def bound(self, *, weight: int | None = None, breaks: int | None = None) -> None:
        """Tighten the known bounds (never loosen them)."""
        if weight is not None:
            self.weight_bound = weight if self.weight_bound is None else min(self.weight_bound, weight)
        if breaks is not None:
            self.breaks_bound = max(self.breaks_bound, breaks)

    def stopped(self) -> bool:
        """Whether the caller asked to stop (asked once more unless already so; it stays so)."""
        if not self._stopped and self.should_stop is not None:
            with self._lock:  # one caller question at a time, whichever thread asks
                self._stopped = self._stopped or bool(self.should_stop())
        return self._stopped


class Reporter(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution of one phase; stops the search when the caller asks. The counts are
    linear expressions built once, evaluated by CP-SAT itself at each solution."""

    def __init__(self, watch: Watch, phase: str, x_lits, weight_expr, break_expr, bound_of):
        super().__init__()
        self.watch = watch
        self.phase = phase
        self.count_expr = cp_model.LinearExpr.sum(list(x_lits))
        self.weight_expr = weight_expr
        self.break_expr = break_expr
        self.bound_of = bound_of  # CP-SAT's objective bound -> (weight bound or None, breaks bound or None)

    def _value(self, expr) -> int:
        return expr if isinstance(expr, int) else self.Value(expr)

    def on_solution_callback(self) -> None:
        weight_bound, breaks_bound = self.bound_of(self.BestObjectiveBound())
        self.watch.bound(weight=weight_bound, breaks=breaks_bound)
        self.watch.report(self.phase, self._value(self.count_expr), self._value(self.weight_expr),
                          self._value(self.break_expr))
        if self.watch.stopped():
            self.StopSearch()


class StopTimer:
    """While CP-SAT searches, asks `should_stop` every POLL_SECONDS and stops the search once a schedule is in
    hand: long stretches without an improving solution would otherwise never see the request."""

    def __init__(self, watch: Watch, solver: cp_model.CpSolver):
        self.watch = watch
        self.solver = solver
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._poll, name="solve-stop-timer", daemon=True)

    def __enter__(self) -> StopTimer:
        if self.watch.should_stop is not None:
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()

    def _poll(self) -> None:
        while not self.done.wait(POLL_SECONDS):
            if self.watch.holding and self.watch.stopped():
                # Asked again until the solve returns: a request made before CP-SAT started its search is
                # otherwise lost.
                self.solver.StopSearch()


def floor_bound(bound: float) -> int:
    return math.floor(bound + 1e-6)


def ceil_bound(bound: float) -> int:
    return math.ceil(bound - 1e-6)
