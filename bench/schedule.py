"""Scheduler benchmark: every instance of the B2B data folder, then generated two-sided events.

    .venv/bin/python bench/schedule.py                       # data (60 s each) + events of 50/300/1000
    .venv/bin/python bench/schedule.py --only data --time-limit 60 --workers 2
    .venv/bin/python bench/schedule.py --only generated --sizes 50,300,1000 --big-time-limit 60

Each instance goes through the real command line (`python -m matchmaker.scheduling`) in a subprocess, so the
seconds include start-up; its output is checked with `validate`. For the data files the published optimum is
shown and the gap is breaks - optimum; for generated events the gap is breaks - bound (the proven lower bound).
Instances run one after the other: the machine has two cores and the solver uses them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matchmaker.scheduling import load_instance, parse_instance, validate  # noqa: E402
from matchmaker.scheduling.generator import generate_event  # noqa: E402
from matchmaker.scheduling.json_format import instance_to_dict  # noqa: E402

# Bofill et al., JAIR 74 (2022): total breaks; None = proven infeasible.
PUBLISHED = {
    "tic-12": (0, None, 1, 0),
    "tic-13": (0, None, 2, 0),
    "forumt-14": (5, 0, 7, 5),
    "forum-13": (0, 0, 20, 0),
    "forum-14": (2, 0, 20, 2),
}
VARIANTS = ("original", "forb0003", "fixed020-Forb", "prec15")


def published(name: str):
    family, _, variant = name.partition(".")
    if family in PUBLISHED and variant in VARIANTS:
        return PUBLISHED[family][VARIANTS.index(variant)], True
    return None, False


def run_cli(path: Path, time_limit: float, workers: int) -> tuple[dict | None, float, str]:
    t = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "matchmaker.scheduling",
            str(path),
            "--time-limit",
            str(time_limit),
            "--workers",
            str(workers),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    wall = time.monotonic() - t
    if proc.returncode != 0:
        return None, wall, proc.stderr.strip()
    return json.loads(proc.stdout), wall, ""


def row(name, inst, out, wall, err, reference, has_reference):
    if out is None:
        return [name, "ERROR", "", "", "", f"{wall:.1f}", err[:40]]
    problems = validate(inst, out)
    status = out["status"]
    total = len(inst.meetings)
    breaks = out["objective"]["breaks"] if status in ("optimal", "feasible") else "-"
    bound = out.get("bound", {}).get("breaks")
    if has_reference:
        ref = "infeasible" if reference is None else reference
        ok = (status == "infeasible") if reference is None else (status == "optimal" and breaks == reference)
        gap = "" if reference is None or breaks == "-" else breaks - reference
        note = "ok" if ok else "MISSED"
    else:
        ref = "-" if bound is None else f"bound {bound}"
        gap = "" if bound is None or breaks == "-" else breaks - bound
        note = f"{out['objective']['scheduled']}/{total} placed, weight {out['objective']['weight']}"
    if problems:
        note = f"INVALID: {problems[0]}"
    return [name, status, breaks, ref, gap, f"{out['solve_seconds']:.1f}/{wall:.1f}", note]


def print_table(title, rows):
    head = ["instance", "status", "breaks", "optimum/bound", "gap", "solve/wall s", "note"]
    widths = [max(len(str(r[k])) for r in rows + [head]) for k in range(len(head))]
    print(f"\n{title}")
    for r in [head, ["-" * w for w in widths]] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)), flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "b2b-jair2022"))
    ap.add_argument("--only", choices=["data", "generated"])
    ap.add_argument("--time-limit", type=float, default=60.0, help="per data instance (default 60)")
    ap.add_argument("--big-time-limit", type=float, default=60.0, help="per generated event (default 60)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sizes", default="50,300,1000", help="participants of the generated events")
    ap.add_argument("--seed", type=int, default=1, help="generator seed")
    args = ap.parse_args(argv)
    failures = 0

    if args.only != "generated":
        files = sorted(Path(args.data).glob("*.json"))
        if not files:
            print(f"no instances in {args.data}", file=sys.stderr)
        rows = []
        for f in files:
            inst = load_instance(f)
            out, wall, err = run_cli(f, args.time_limit, args.workers)
            reference, has_reference = published(f.stem)
            r = row(f.stem, inst, out, wall, err, reference, has_reference)
            failures += r[-1] != "ok" and has_reference
            rows.append(r)
            print(f"  {' '.join(map(str, r))}", file=sys.stderr, flush=True)
        if rows:
            print_table(f"B2B instances ({args.time_limit:g} s, {args.workers} workers)", rows)

    if args.only != "data":
        rows = []
        with tempfile.TemporaryDirectory() as tmp:
            for n in (int(s) for s in args.sizes.split(",") if s):
                inst = generate_event(n, seed=args.seed)
                path = Path(tmp) / f"{inst.name}.json"
                path.write_text(json.dumps(instance_to_dict(inst)))
                inst = parse_instance(json.loads(path.read_text()))
                out, wall, err = run_cli(path, args.big_time_limit, args.workers)
                label = f"{inst.name} ({len(inst.participants)} people, {len(inst.meetings)} meetings)"
                r = row(label, inst, out, wall, err, None, False)
                failures += r[-1].startswith(("INVALID", "ERROR")) or out is None
                rows.append(r)
                print(f"  {' '.join(map(str, r))}", file=sys.stderr, flush=True)
        print_table(f"Generated two-sided events ({args.big_time_limit:g} s, {args.workers} workers)", rows)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
