"""`python -m matchmaker.scheduling INSTANCE.json [--time-limit S] [--workers N] [--previous SCHEDULE.json]`

Writes the schedule as JSON on standard output. Exit 0 whenever a schedule was written, whatever its status;
2 with one line on standard error when the instance (or the previous schedule) is not valid.
"""

from __future__ import annotations

import argparse
import json
import sys

from matchmaker.scheduling.instance import InvalidInstance
from matchmaker.scheduling.json_format import load_instance
from matchmaker.scheduling.solver import solve


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own usage errors also exit 2, but on one line
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv=None) -> int:
    parser = _Parser(prog="python -m matchmaker.scheduling", description="Solve a schedule instance.")
    parser.add_argument("instance", help="instance JSON (matchmaker.schedule-instance.v1)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--workers", type=int, default=2, help="solver threads (default 2)")
    parser.add_argument(
        "--previous", help="published schedule JSON to re-schedule from: its meetings move only if needed"
    )
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--log", action="store_true", help="print the solver's progress on standard error")
    args = parser.parse_args(argv)
    if args.time_limit <= 0 or args.workers < 1:
        parser.error("--time-limit must be positive and --workers at least 1")
    try:
        inst = load_instance(args.instance)
        previous = None
        if args.previous:
            try:
                with open(args.previous, encoding="utf-8") as f:
                    previous = json.load(f)
            except (OSError, ValueError) as e:
                raise InvalidInstance(f"cannot read previous schedule {args.previous}: {e}") from None
            if not isinstance(previous, dict) or not isinstance(previous.get("assignments"), list):
                raise InvalidInstance("previous schedule has no assignments list")
    except InvalidInstance as e:
        print(f"invalid instance: {e}".replace("\n", " "), file=sys.stderr)
        return 2
    schedule = solve(
        inst, time_limit=args.time_limit, workers=args.workers, previous=previous, seed=args.seed, log=args.log
    )
    json.dump(schedule.to_dict(), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
