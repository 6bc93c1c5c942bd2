"""The enterprise list right after a large import (more than listing.INLINE_LIMIT rows).

    bash scripts/with_postgres.sh .venv/bin/python bench/list_after_import.py [--base 3000] [--rows 200000]

1. A small registry as a city starts with: `generate_demo --enterprises BASE` (statistics gathered).
2. The province imports ROWS new enterprises from the template (import_from_path, as the page's task does);
   the registry commits and the follow-up task that writes their list entries runs as the worker runs it
   (refresh_list_task, outside a transaction). The import's rows take consecutive ids in credit-code order,
   so each city's (and county's) rows sit together in the ids.
3. Each case of bench/list.py (province and 合肥) is measured twice on the same data, alternating: as the
   list orders its pages (selectors._in_index_order) and ordered by id alone, as it did before. Beside the
   times, the entries PostgreSQL read and filtered out for one first page (EXPLAIN ANALYZE), which the
   machine's load does not change. Appended to docs/benchmarks-registry.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
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

    import_seconds, refresh_seconds = load(args.base, args.rows)
    users = list_bench.demo_users()
    cases = list_bench.build_cases(random.Random(SEED))
    rows = []
    for case in cases:
        for user in users:
            now = list_bench.measure(case, user, args.requests), filtered_out(case, user)
            with ordered_by_id():
                before = list_bench.measure(case, user, args.requests), filtered_out(case, user)
            rows.append((case, user, before, now))
    report(args, import_seconds, refresh_seconds, rows)


def load(base: int, rows: int) -> tuple[float, float]:
    from django.core.management import call_command

    from zjtx.enterprises import demo_data, services
    from zjtx.enterprises.models import Enterprise
    from zjtx.enterprises.tasks import refresh_list_task

    if Enterprise.objects.exists():
        sys.exit("本基准需要空的企业库（scripts/with_postgres.sh 每次新建数据库）")
    call_command("generate_demo", enterprises=base, seed=SEED)
    with tempfile.TemporaryDirectory(prefix="zjtx-bench-list-import-") as folder:
        path = Path(folder) / "enterprises.csv"
        template_csv(demo_data.generate(SEED, rows, years=1, first_row=base).enterprises, path)
        with timed() as took:
            job = services.import_from_path(user=None, kind="enterprises", mode="all", path=path)
    assert job.status == "done" and job.listing_pending, job.message
    with timed() as refreshed:
        refresh_list_task.call(job.pk)  # as db_worker runs it: outside a transaction
    print(f"import {took[0]:.1f} s ({job.message}); list entries {refreshed[0]:.1f} s")
    return took[0], refreshed[0]


@contextmanager
def ordered_by_id() -> Iterator[None]:
    """The list's order before the fix: pages ordered by id alone, whatever the filters."""
    from zjtx.enterprises import selectors

    saved = selectors._in_index_order
    selectors._in_index_order = lambda qs, descending: qs.order_by("-pk" if descending else "pk")  # type: ignore
    try:
        yield
    finally:
        selectors._in_index_order = saved


def filtered_out(case: Any, user: Any) -> tuple[int, int]:
    """(entries read and filtered out, shared buffers) of the page query of one first page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zjtx.enterprises import selectors

    params = case.params(7, user)
    filters = selectors.Filters.from_params(params)
    before = int(params["before"]) if "before" in params else None
    with CaptureQueriesContext(connection) as captured:
        selectors.enterprise_page(user=user, filters=filters, before=before)
    sql = next(q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"])
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        plan = json.dumps(cur.fetchone()[0])
    removed = sum(int(n) for n in re.findall(r'"Rows Removed by Filter": (\d+)', plan))
    return removed, int(json.loads(plan)[0]["Plan"]["Shared Hit Blocks"])


def report(args: argparse.Namespace, import_s: float, refresh_s: float, rows: list[Any]) -> None:
    def ms(result: Any) -> str:
        return f"{percentile(result.selector_ms, 50):.1f} / {percentile(result.selector_ms, 95):.1f}"

    body = [
        f"Registry of {args.base:,} (generator), then an import of {args.rows:,} new enterprises as the province "
        f"({import_s:.0f} s) and its follow-up task, the list entries ({refresh_s:.0f} s), as the worker runs it. "
        f"Each row: {args.requests} calls of selectors.enterprise_page, parameters rotating, ordered by id alone "
        "(before) and as the list now orders its pages (after), alternating on the same data; then, for one first "
        "page, the entries the page query read and filtered out and the buffers it touched (EXPLAIN ANALYZE).",
        "",
        "| filter | user | matches | ms p50 / p95 before | ms p50 / p95 after | filtered out before | after "
        "| buffers before | after |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        *[f"| {case.label} | {user.username} | {now[0].rows} | {ms(before[0])} | {ms(now[0])} | "
          f"{before[1][0]:,} | {now[1][0]:,} | {before[1][1]:,} | {now[1][1]:,} |"
          for case, user, before, now in rows],
    ]
    append_report(f"Enterprise list after an import of {args.rows:,} rows, before and after", body)


if __name__ == "__main__":
    main()
