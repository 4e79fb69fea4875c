"""`python -m matchmaker.matching rank --companies C.jsonl --partners P.jsonl [--top K] > RANKS.jsonl`

One JSON object per company on stdout, in the companies file's order (shared/formats/profile.md). A malformed
profile line exits with status 2 and one line on stderr naming the file and the line.
"""

from __future__ import annotations

import argparse
import json
import sys

from matchmaker.matching.profiles import COMPANY, PARTNER_KINDS, ProfileError, read_jsonl
from matchmaker.matching.ranking import rank


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matchmaker.matching", description=__doc__.split("\n")[0])
    verbs = parser.add_subparsers(dest="verb", required=True)
    r = verbs.add_parser("rank", help="rank partners for every company")
    r.add_argument("--companies", required=True, help="companies, JSON Lines")
    r.add_argument("--partners", required=True, help="investors and buyers, JSON Lines")
    r.add_argument("--top", type=int, default=10, metavar="K", help="partners per company (default 10)")
    r.add_argument("--kinds", default=None, help="comma-separated partner kinds to consider (investor,buyer)")
    r.add_argument("--no-fair", action="store_true", help="plain top-k, without the exposure cap")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.top < 1:
        print("error: --top must be at least 1", file=sys.stderr)
        return 2
    try:
        companies = read_jsonl(args.companies, kinds={COMPANY})
        partners = read_jsonl(args.partners, kinds=PARTNER_KINDS)
    except ProfileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()] if args.kinds else None
    if kinds is not None and not set(kinds) <= PARTNER_KINDS:
        print(f"error: --kinds must be among {', '.join(sorted(PARTNER_KINDS))}", file=sys.stderr)
        return 2
    ranking = rank(companies, partners, top_k=args.top, partner_kinds=kinds, fair=not args.no_fair)
    out = sys.stdout
    for company in companies:
        suggestions = ranking.lists[company.id]
        record = {
            "company": company.id,
            "partners": [
                {"id": s.partner_id, "score": round(s.score, 4), "reasons": s.reasons_text()} for s in suggestions
            ],
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0
