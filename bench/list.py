"""The enterprise list at province scale: 2,000,000 enterprises, keyset pages, each filter the page offers.

    bash scripts/with_postgres.sh .venv/bin/python bench/list.py [--enterprises 2000000] [--requests 50]
                                                                 [--sql "CREATE INDEX …" …]

1. Generates the province with the demo generator (timed: the generator's own benchmark, goal < 10 min).
2. For each filter combination, `--requests` calls of selectors.enterprise_page and as many GET /enterprises/
   through Django's test Client (whole request: middleware, session, selector, template), logged in as the
   province user and as the 合肥 city user. Parameters rotate (cities, tiers, 字号 …) so that no call is a repeat.
3. Reports p50/p95 in ms (goal: p95 < 100 ms) and the EXPLAIN ANALYZE of the slowest query of the slowest case,
   appended to docs/benchmarks-registry.md.

--sql runs statements after the generation (e.g. a candidate index) so that a proposal is measured the same way.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import append_report, percentile, setup_django, timed

SEED = 2022
GOAL_MS = 100.0
Params = dict[str, str]


@dataclass
class Case:
    label: str
    params: Callable[[int, Any], Params]  # (request number, user) → GET parameters


@dataclass
class Result:
    case: str
    user: str
    rows: str
    selector_ms: list[float] = field(default_factory=list)
    request_ms: list[float] = field(default_factory=list)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--sql", action="append", default=[], help="statement to run after generating (repeatable)")
    args = parser.parse_args()
    setup_django()
    generate_seconds = generate(args.enterprises)
    run_sql(args.sql)
    users = demo_users()
    cases = build_cases(random.Random(SEED))
    results = [measure(case, user, args.requests) for case in cases for user in users]
    slowest = max(results, key=lambda r: percentile(r.request_ms, 95))
    plan = explain_slowest(next(c for c in cases if c.label == slowest.case),
                           next(u for u in users if u.username == slowest.user))
    report(args.enterprises, generate_seconds, results, slowest, plan, args.sql)


def generate(count: int) -> float:
    from django.core.management import call_command

    from zjtx.enterprises.models import Enterprise

    existing = Enterprise.objects.count()
    if existing >= count:
        print(f"registry already holds {existing:,} enterprises; not generating")
        return float("nan")
    with timed() as took:
        call_command("generate_demo", enterprises=count - existing, seed=SEED, append=bool(existing))
    return took[0]


def run_sql(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for sql in statements:
            start = time.perf_counter()
            cur.execute(sql)
            print(f"{time.perf_counter() - start:.1f} s: {sql}")
        if statements:
            cur.execute("VACUUM ANALYZE enterprises_enterprise")


def demo_users() -> list[Any]:
    from zjtx.accounts.demo import ensure_demo_users

    wanted = ("province", "hefei")
    return sorted((u for u in ensure_demo_users() if u.username in wanted), key=lambda u: wanted.index(u.username))


def build_cases(rnd: random.Random) -> list[Case]:
    from zjtx.core import reference, regions
    from zjtx.enterprises.models import SizeClass, Tier

    cities = [code for code, _ in regions.CITIES]
    tiers = [t for t in Tier.values if t]
    divisions = ["34", "35", "38", "39", "65", "13", "27", "51"]
    sizes = [s for s in SizeClass.values if s]
    emerging = [code for code, _ in reference.EMERGING_INDUSTRIES]
    short_q, long_q = name_terms(rnd)
    deep = deep_cursors(rnd)

    def city(i: int, user: Any) -> str:
        return str(user.city_code or cities[i % len(cities)])

    return [
        Case("无筛选", lambda i, u: {}),
        Case("市", lambda i, u: {"city": city(i, u)}),
        Case("市+层级", lambda i, u: {"city": city(i, u), "tier": tiers[i % len(tiers)]}),
        Case("行业大类", lambda i, u: {"industry": divisions[i % len(divisions)]}),
        Case("企业规模", lambda i, u: {"size": sizes[i % len(sizes)]}),
        Case("十大新兴产业", lambda i, u: {"emerging": emerging[i % len(emerging)]}),
        Case("层级=小巨人", lambda i, u: {"tier": Tier.LITTLE_GIANT}),
        Case("名称搜索（2字字号）", lambda i, u: {"q": short_q[i % len(short_q)]}),
        Case("名称搜索（字号+行业词，4字）", lambda i, u: {"q": long_q[i % len(long_q)]}),
        Case("深翻页（before=靠后的游标）", lambda i, u: {"before": str(deep[i % len(deep)])}),
        Case("深翻页+市+层级", lambda i, u: {"city": city(i, u), "tier": Tier.INNOVATIVE,
                                           "before": str(deep[i % len(deep)])}),
    ]


def name_terms(rnd: random.Random, count: int = 50) -> tuple[list[str], list[str]]:
    """字号 (2 characters) and 字号 + the first two of the industry word, cut out of stored names."""
    from zjtx.core import regions
    from zjtx.enterprises.models import Enterprise

    prefixes = sorted([name.removesuffix("市") for _, name in regions.CITIES] + ["安徽"], key=len, reverse=True)
    top = Enterprise.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rnd.randint(1, top) for _ in range(count)]
    short, long = [], []
    for name in Enterprise.objects.filter(id__in=ids).values_list("name", flat=True):
        rest = name.removeprefix(next(p for p in prefixes if name.startswith(p)))
        short.append(rest[:2])
        long.append(rest[:4])
    return short, long


def deep_cursors(rnd: random.Random, count: int = 50) -> list[int]:
    """Ids among the oldest 2% of the registry: pages tens of thousands deep in a newest-first list."""
    from django.db.models import Max, Min

    from zjtx.enterprises.models import Enterprise

    bounds = Enterprise.objects.aggregate(low=Min("id"), high=Max("id"))
    low, high = int(bounds["low"] or 0), int(bounds["high"] or 0)
    return [rnd.randint(low, low + (high - low) // 50) for _ in range(count)]


def measure(case: Case, user: Any, requests: int) -> Result:
    from django.test import Client

    from zjtx.enterprises import selectors

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.get("/enterprises/")  # warm: templates, session
    result = Result(case.label, user.username, rows="")
    for i in range(requests):
        params = case.params(i, user)
        filters = selectors.Filters.from_params(params)
        before = int(params["before"]) if "before" in params else None
        start = time.perf_counter()
        page = selectors.enterprise_page(user=user, filters=filters, before=before)
        result.selector_ms.append((time.perf_counter() - start) * 1000)
        result.rows = result.rows or (f"{page.count:,}+" if page.capped else f"{page.count:,}")
        start = time.perf_counter()
        response = client.get("/enterprises/", params)
        result.request_ms.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (case.label, params, response.status_code)
    print(f"{case.label:<28} {user.username:<9} rows {result.rows:>8}  selector p95 "
          f"{percentile(result.selector_ms, 95):6.1f} ms  request p95 {percentile(result.request_ms, 95):6.1f} ms")
    return result


def explain_slowest(case: Case, user: Any) -> list[str]:
    """EXPLAIN ANALYZE of the slowest SQL statement one request of the case runs."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    with CaptureQueriesContext(connection) as captured:
        client.get("/enterprises/", case.params(7, user))
    query = max(captured.captured_queries, key=lambda q: float(q["time"]))
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
        plan = [row[0] for row in cur.fetchall()]
    return [f"-- {float(query['time']) * 1000:.1f} ms: {query['sql'][:600]}", *plan]


def report(count: int, generate_seconds: float, results: list[Result], slowest: Result, plan: list[str],
           extra_sql: list[str]) -> None:
    missed = [r for r in results if percentile(r.request_ms, 95) >= GOAL_MS]
    body = [
        f"Generator: `generate_demo --enterprises {count:,}` (3 years of indicators, COPY, indexes rebuilt) took "
        f"{generate_seconds:.0f} s (goal < 600 s).",
        "",
        *([f"Run with candidate schema changes applied after generating: `{'`; `'.join(extra_sql)}`.", ""]
          if extra_sql else []),
        f"List page: {len(results[0].request_ms)} calls per row, parameters rotating; ms of server time "
        "(selector alone, then the whole GET /enterprises/ through Django's test Client).",
        "",
        "| filter | user | matches | selector p50 | selector p95 | request p50 | request p95 |",
        "|---|---|---:|---:|---:|---:|---:|",
        *[f"| {r.case} | {r.user} | {r.rows} | {percentile(r.selector_ms, 50):.1f} | "
          f"{percentile(r.selector_ms, 95):.1f} | {percentile(r.request_ms, 50):.1f} | "
          f"{percentile(r.request_ms, 95):.1f} |" for r in results],
        "",
        f"Goal p95 < {GOAL_MS:.0f} ms: " + ("met by every row." if not missed else
                                            "missed by " + "; ".join(f"{r.case} ({r.user})" for r in missed) + "."),
        "",
        f"Slowest: {slowest.case} as {slowest.user}. Its slowest statement, EXPLAIN (ANALYZE, BUFFERS):",
        "",
        "```",
        *plan[:40],
        "```",
    ]
    append_report(f"Enterprise list, {count:,} enterprises", body)


if __name__ == "__main__":
    main()
