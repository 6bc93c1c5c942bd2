"""The enterprise list right after a large import (more than listing.INLINE_LIMIT rows).

    bash scripts/with_postgres.sh .venv/bin/python bench/list_after_import.py [--base 3000] [--rows 200000]

1. A small registry as a city starts with: `generate_demo --enterprises BASE` (statistics gathered).
2. The province imports ROWS new enterprises from the template (import_from_path, as the page's task does);
   the registry commits and the follow-up task that writes their list entries runs as the worker runs it
   (refresh_list_task, outside a transaction).
3. The list page is then measured as bench/list.py measures it (province and 合肥), and the plans of its
   statements are printed. Appended to docs/benchmarks-registry.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import random

from _common import append_report, percentile, setup_django, template_csv, timed

SEED = 2031


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=int, default=3000)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    import list as list_bench  # bench/list.py: the same cases and measurement
    from django.core.management import call_command

    from zjtx.enterprises import demo_data, services
    from zjtx.enterprises.models import Enterprise
    from zjtx.enterprises.tasks import refresh_list_task

    if not Enterprise.objects.exists():
        call_command("generate_demo", enterprises=args.base, seed=SEED)
    with tempfile.TemporaryDirectory(prefix="zjtx-bench-list-import-") as folder:
        path = Path(folder) / "enterprises.csv"
        template_csv(demo_data.generate(SEED, args.rows, years=1, first_row=args.base).enterprises, path)
        with timed() as took:
            job = services.import_from_path(user=None, kind="enterprises", mode="all", path=path)
    assert job.status == "done", job.message
    with timed() as refreshed:
        refresh_list_task.call(job.pk)  # as db_worker runs it
    print(f"import {took[0]:.1f} s ({job.message}); list entries {refreshed[0]:.1f} s")
    users = list_bench.demo_users()
    cases = list_bench.build_cases(random.Random(SEED))
    results = [list_bench.measure(case, user, args.requests) for case in cases for user in users]
    slowest = max(results, key=lambda r: percentile(r.request_ms, 95))
    plan = list_bench.explain_slowest(next(c for c in cases if c.label == slowest.case),
                                      next(u for u in users if u.username == slowest.user))
    print("\n".join(plan))
    report(args, took[0], refreshed[0], results, slowest, plan)


def report(args: argparse.Namespace, import_s: float, refresh_s: float, results: list, slowest, plan) -> None:
    missed = [r for r in results if percentile(r.request_ms, 95) >= list_bench_goal()]
    body = [
        f"Registry of {args.base:,} (generator), then an import of {args.rows:,} new enterprises as the province "
        f"({import_s:.0f} s) and its follow-up task, the list entries ({refresh_s:.0f} s), as the worker runs it.",
        "",
        "| filter | user | matches | selector p50 | selector p95 | request p50 | request p95 |",
        "|---|---|---:|---:|---:|---:|---:|",
        *[f"| {r.case} | {r.user} | {r.rows} | {percentile(r.selector_ms, 50):.1f} | "
          f"{percentile(r.selector_ms, 95):.1f} | {percentile(r.request_ms, 50):.1f} | "
          f"{percentile(r.request_ms, 95):.1f} |" for r in results],
        "",
        "Goal p95 < 100 ms: " + ("met by every row." if not missed else
                                 "missed by " + "; ".join(f"{r.case} ({r.user})" for r in missed) + "."),
        "",
        f"Slowest: {slowest.case} as {slowest.user}. Its slowest statement, EXPLAIN (ANALYZE, BUFFERS):",
        "",
        "```",
        *plan[:40],
        "```",
    ]
    append_report(f"Enterprise list after an import of {args.rows:,} rows", body)


def list_bench_goal() -> float:
    import list as list_bench

    return list_bench.GOAL_MS


if __name__ == "__main__":
    main()
