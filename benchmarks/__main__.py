"""Run every benchmark module and print a table (or JSON with --json); exit 1 when a target is missed."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print a JSON list of result rows")
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument("-k", dest="pattern", default="", help="run only modules whose name contains this")
    args = parser.parse_args(argv)
    folder = Path(__file__).parent
    rows: list[dict] = []
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if not info.name.startswith("bench_") or args.pattern not in info.name:
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        for result in module.cases(args.quick):
            rows.append(result)
            if not args.json:
                verdict = {True: "PASS", False: "FAIL", None: "info"}[result.get("ok")]
                measure = "slope" if result["target"].startswith("log-log") else "ratio"
                print(f"{verdict}  {result['case']:<60} symequi {result['symequi_s']:9.4f} s   "
                      f"{result['baseline']:<38} {result['baseline_s']:9.4f} s   "
                      f"{measure} {result['ratio']:9.4g}   target: {result['target']}", flush=True)
    failed = [r["case"] for r in rows if r.get("ok") is False]
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        print()
    else:
        print(f"\n{len(rows)} rows: {sum(r.get('ok') is True for r in rows)} pass, {len(failed)} fail, "
              f"{sum(r.get('ok') is None for r in rows)} informational")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
