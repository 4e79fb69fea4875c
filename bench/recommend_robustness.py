"""Robustness suite (issue 18): the model and the baseline on the shared splits and on perturbed copies of them
(bench/recommend_perturb.py: free-text sector labels, unknown stages, thin portfolios, one-sentence descriptions,
all combined), with an ablation: the model with each block switched off, to see which parts help or hurt.

Rounds of the three splits (A, B, C of recommend_eval.py) are pooled per variant; the interval is the 95% one
of the paired recall@10 gain over the baseline, from resampling the rounds. Seeded and deterministic.

    .venv/bin/python bench/recommend_robustness.py [--csv PATH] [--seed 0] [--no-ablation]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from recommend_eval import (  # noqa: E402
    DEFAULT_CSV,
    SPLITS,
    baseline_orders,
    event,
    load,
    metrics,
    model_orders,
    paired_gain,
    partners_until,
    rounds_of,
)
from recommend_perturb import VARIANTS, perturb_profiles, perturb_rows  # noqa: E402

from matchmaker.matching import BLOCKS, FeatureParams, Model  # noqa: E402


def run_variant(rows, variant: str, seed: int, ablation: bool) -> dict[str, np.ndarray]:
    """Per method, the (recall@10, MRR, nDCG@10) of every round of the three splits, pooled."""
    rows = perturb_rows(rows, variant, seed)
    rounds = rounds_of(rows)
    models = {"model": Model(), **({f"  without {name}": Model().with_weights(**{name: 0.0})
                                    for name in BLOCKS} if ablation else {})}
    if ablation:
        models["  without baseline term"] = Model(params=FeatureParams(baseline_weight=0.0))
    out: dict[str, list] = defaultdict(list)
    for _, _, cutoff, years in SPLITS:
        partners = perturb_profiles(partners_until(rows, cutoff), variant, seed)
        names = [p.name for p in partners]
        for year in years:
            companies, truth = event(rows, rounds, year)
            orders = {label: model_orders(companies, partners, model) for label, model in models.items()}
            orders["baseline"] = baseline_orders(companies, partners)
            for label, found in orders.items():
                out[label].extend(metrics(o, names, t) for o, t in zip(found, truth, strict=True))
    return {label: np.array(v) for label, v in out.items()}


def report(results: dict[str, dict[str, np.ndarray]], seed: int) -> str:
    head = f"{'variant':<14} {'rounds':>6}  {'model R@10 / MRR / nDCG':>24}  {'baseline R@10 / MRR / nDCG':>27}  " \
           f"{'gain R@10 [95%]':>22} {'MRR':>6} {'nDCG':>6}"
    lines = ["Robustness: model vs baseline on the shared splits (A+B+C pooled) and perturbed copies", head,
             "-" * len(head)]
    for variant, res in results.items():
        model, base = res["model"], res["baseline"]
        (g, lo, hi), (gm, _, _), (gn, _, _) = paired_gain(model, base, np.random.default_rng(seed + 1))
        m, b = model.mean(axis=0), base.mean(axis=0)
        lines.append(f"{variant:<14} {len(model):>6}  {m[0]:>8.3f} {m[1]:>7.3f} {m[2]:>7.3f}  "
                     f"{b[0]:>11.3f} {b[1]:>7.3f} {b[2]:>7.3f}  {100 * g:>+7.1f}% [{100 * lo:+.1f}, {100 * hi:+.1f}] "
                     f"{100 * gm:>+5.1f}% {100 * gn:>+5.1f}%")
    ablated = [label for label in next(iter(results.values())) if label.startswith("  without")]
    if ablated:
        lines += ["", "Ablation: recall@10 change when one block is switched off (negative: the block helps)",
                  f"{'block':<22}" + "".join(f" {v:>12}" for v in results)]
        for label in ablated:
            cells = [res[label][:, 0].mean() - res["model"][:, 0].mean() for res in results.values()]
            lines.append(f"{label:<22}" + "".join(f" {c:>+12.3f}" for c in cells))
    return "\n".join(lines)


def suite(rows, seed: int = 0, ablation: bool = True, variants=VARIANTS) -> str:
    return report({v: run_variant(rows, v, seed, ablation) for v in variants}, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-ablation", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    print(suite(load(args.csv), args.seed, not args.no_ablation))
    print(f"\n({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
