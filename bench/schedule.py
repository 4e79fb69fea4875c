"""Scheduler benchmark: every instance of the B2B data folder, crafted forums of known optimum, two-sided days
across time zones, then generated hybrid events.

    .venv/bin/python bench/schedule.py                       # all four sections
    .venv/bin/python bench/schedule.py --only data --time-limit 60 --workers 2
    .venv/bin/python bench/schedule.py --only crafted --seeds 1,2,3      # scheduling/crafted.py FAMILIES
    .venv/bin/python bench/schedule.py --only crafted --crafted-sizes 60x18,80x22,100x24
    .venv/bin/python bench/schedule.py --only crafted --families zero-skewed,one-skewed-prec
    .venv/bin/python bench/schedule.py --only zones --big-time-limit 60  # scheduling/zones.py days
    .venv/bin/python bench/schedule.py --only generated --sizes 50,300,1000 --big-time-limit 60

Each instance goes through the real command line (`python -m matchmaker.scheduling`) in a subprocess, so the
seconds include start-up; its output is checked with `validate`. For the data files the published optimum is
shown and the gap is breaks - optimum; crafted forums have their optimum by construction (0 or 1 break), and a
line per family sums them up (proved / worst gap / seconds); for two-sided days the weight placed is compared
with two upper bounds: every meeting with a possible slot (the bound reported so far) and the congestion bound
of `capacity.py` (tables, interpreters, shared hours); for generated events the gap is breaks - bound.
Instances run one after the other: the machine has two cores and the solver uses them.

Last figures (December 2026, 2 cores, 60 s, 2 workers): data 20/20 at the published optimum, 44.8 s solving
(53.3 s wall) in total; crafted (default: six families x 60x18, 80x22 x 3 seeds) 36/36 proved, slowest 31.9 s;
at 100x24 the even families 11/12 (one-fixed seed 1: 117 breaks after 60 s), the skewed ones 6/6 (slowest
11.7 s); two-sided days, gap to the congestion bound: Seoul-Pacific 0.0%, ballroom 240/90 0.2%, hybrid 240/90
0.2%, hybrid 600/300 0.9% (before the LNS: 2.7%, 1.2%, 2.2%, 2.8%).
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matchmaker.scheduling import load_instance, parse_instance, validate  # noqa: E402
from matchmaker.scheduling.capacity import congestion_weight_bound, naive_weight_bound  # noqa: E402
from matchmaker.scheduling.cpsat import integer_weights  # noqa: E402
from matchmaker.scheduling.crafted import FAMILIES, family_instances  # noqa: E402
from matchmaker.scheduling.generator import generate_event  # noqa: E402
from matchmaker.scheduling.json_format import instance_to_dict  # noqa: E402
from matchmaker.scheduling.zones import zone_day  # noqa: E402

# Bofill et al., JAIR 74 (2022): total breaks; None = proven infeasible.
PUBLISHED = {
    "tic-12": (0, None, 1, 0),
    "tic-13": (0, None, 2, 0),
    "forumt-14": (5, 0, 7, 5),
    "forum-13": (0, 0, 20, 0),
    "forum-14": (2, 0, 20, 2),
}
VARIANTS = ("original", "forb0003", "fixed020-Forb", "prec15")
ZONE_DAYS = [("seoul-pacific", 120, 60), ("ballroom", 240, 90), ("hybrid", 240, 90), ("hybrid", 600, 300)]


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
    ap.add_argument("--only", choices=["data", "crafted", "zones", "generated"])
    ap.add_argument("--time-limit", type=float, default=60.0, help="per data instance (default 60)")
    ap.add_argument("--big-time-limit", type=float, default=60.0, help="per generated event (default 60)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sizes", default="50,300,1000", help="participants of the generated events")
    ap.add_argument("--seed", type=int, default=1, help="generator seed")
    ap.add_argument("--seeds", default="1,2,3", help="seeds of each crafted family")
    ap.add_argument("--crafted-sizes", default="60x18,80x22", help="participants x slots of the crafted forums")
    ap.add_argument("--families", default=",".join(FAMILIES), help="crafted families to run (default: all)")
    args = ap.parse_args(argv)
    failures = 0

    if args.only in (None, "data"):
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
            solve_s = sum(float(r[5].split("/")[0]) for r in rows if "/" in r[5])
            wall_s = sum(float(r[5].split("/")[-1]) for r in rows)
            ok = sum(r[-1] == "ok" for r in rows)
            print(f"total: {ok}/{len(rows)} at the published optimum, {solve_s:.1f} s solving, {wall_s:.1f} s wall")

    if args.only in (None, "crafted"):
        failures += crafted(args)
    if args.only in (None, "zones"):
        failures += zones(args)
    if args.only in (None, "generated"):
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


def run_instance(inst, tmp: str, time_limit: float, workers: int):
    """(instance as the CLI reads it, its output, wall seconds, error) of one generated instance."""
    path = Path(tmp) / f"{inst.name}.json"
    path.write_text(json.dumps(instance_to_dict(inst)))
    inst = parse_instance(json.loads(path.read_text()))
    out, wall, err = run_cli(path, time_limit, workers)
    return inst, out, wall, err


def crafted(args) -> int:
    """Each crafted family: its instances (optimum by construction), then one summary line per family."""
    seeds = [int(s) for s in args.seeds.split(",") if s]
    sizes = [tuple(int(v) for v in size.split("x")) for size in args.crafted_sizes.split(",") if size]
    rows, summary, failures = [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        chosen = [(family, FAMILIES[family]) for family in args.families.split(",") if family]
        for (n_participants, n_slots), (family, spec) in itertools.product(sizes, chosen):
            proved, gaps, seconds, worst = 0, [], 0.0, 0.0
            for inst in family_instances(family, seeds, n_participants, n_slots):
                inst, out, wall, err = run_instance(inst, tmp, args.time_limit, args.workers)
                r = row(inst.name, inst, out, wall, err, spec["breaks"], True)
                proved += r[-1] == "ok"
                gaps.append(r[4] if r[4] != "" else "-")
                seconds += wall
                worst = max(worst, wall)
                failures += r[-1] != "ok"
                rows.append(r)
                print(f"  {' '.join(map(str, r))}", file=sys.stderr, flush=True)
            gap = max((g for g in gaps if g != "-"), default="-")
            summary.append([f"{family} {n_participants}x{n_slots}", f"{proved}/{len(seeds)} proved", spec["breaks"],
                            f"worst gap {gap}", f"{seconds:.1f} s total", f"{seconds / max(1, len(seeds)):.1f} s mean",
                            f"{worst:.1f} s worst"])
    print_table(f"Crafted forums of known optimum ({args.time_limit:g} s, {args.workers} workers)", rows)
    head = ["family", "proved", "optimum", "gap", "time", "per instance", "slowest"]
    widths = [max(len(str(r[k])) for r in summary + [head]) for k in range(len(head))]
    print("\nCrafted families")
    for r in [head] + summary:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)), flush=True)
    return failures


def gap_pct(placed: int, bound: int | None) -> str:
    return "-" if not bound else f"{100 * (bound - placed) / bound:.1f}%"


def zones(args) -> int:
    """Two-sided days across time zones: weight placed against the naive and the congestion bound."""
    rows, failures = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for kind, companies, partners in ZONE_DAYS:
            inst = zone_day(kind, companies, partners, seed=args.seed)
            naive = naive_weight_bound(inst)
            t = time.monotonic()
            bound = congestion_weight_bound(inst, time_limit=60)
            lp_seconds = time.monotonic() - t
            inst, out, wall, err = run_instance(inst, tmp, args.big_time_limit, args.workers)
            if out is None or validate(inst, out):
                failures += 1
                rows.append([inst.name, "ERROR" if out is None else "INVALID", "", "", "", f"{wall:.1f}", err[:40]])
                continue
            weights = integer_weights(inst)
            index = inst.meeting_index
            placed = sum(weights[index[a["meeting"]]] for a in out["assignments"])
            rows.append([
                f"{inst.name} ({len(inst.participants)} people, {len(inst.meetings)} meetings)",
                f"{placed}", f"{naive} ({gap_pct(placed, naive)})",
                f"{bound} ({gap_pct(placed, bound)}, LP {lp_seconds:.0f} s)",
                out["status"], f"{out['solve_seconds']:.1f}/{wall:.1f}",
                f"{out['objective']['scheduled']}/{len(inst.meetings)} placed",
            ])
            print(f"  {' '.join(map(str, rows[-1]))}", file=sys.stderr, flush=True)
    head = ["day", "weight", "naive bound (gap)", "congestion bound (gap)", "status", "solve/wall s", "note"]
    widths = [max(len(str(r[k])) for r in rows + [head]) for k in range(len(head))]
    print(f"\nTwo-sided days across time zones ({args.big_time_limit:g} s, {args.workers} workers)")
    for r in [head, ["-" * w for w in widths]] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)), flush=True)
    return failures


if __name__ == "__main__":
    sys.exit(main())
