"""What the registry benchmarks share: Django set-up on the throwaway PostgreSQL, timing, the report file.

Run a benchmark through scripts/with_postgres.sh, which starts a cluster and sets DATABASE_URL.
"""

from __future__ import annotations

import os
import platform
import shlex
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks-registry.md"


def setup_django(*, debug: bool = False) -> None:
    """Django on the DATABASE_URL cluster, migrated. Benchmarks run with DEBUG off, as production does."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("请通过 scripts/with_postgres.sh 运行本基准测试（需要 DATABASE_URL 指向 PostgreSQL）")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "1" if debug else "0"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


class Clock:
    """Seconds since the clock was made, and the time of each named lap."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> float:
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now
        return self.laps[name]

    @property
    def total(self) -> float:
        return self.last - self.start


@contextmanager
def timed() -> Iterator[list[float]]:
    """`with timed() as t: ...` then t[0] is the elapsed seconds."""
    box: list[float] = []
    start = time.perf_counter()
    yield box
    box.append(time.perf_counter() - start)


def template_csv(frame: Any, path: Path) -> None:
    """Generated enterprises (demo_data's frame) as an official fills the import template: Chinese headers,
    city, county and 十大新兴产业 by name."""
    import polars as pl

    from zjtx.core import reference, regions
    from zjtx.enterprises.importing.columns import ENTERPRISE_COLUMNS

    counties = {code: name for code, name, _ in regions.all_counties()}
    shown = frame.select(
        "credit_code", "name", pl.col("city_code").replace_strict(dict(regions.CITIES)).alias("city_code"),
        pl.col("county_code").replace_strict(counties).alias("county_code"),
        pl.col("founded_on").cast(pl.String), "industry_code",
        pl.col("emerging_industry").replace_strict(dict(reference.EMERGING_INDUSTRIES), default=""),
        "registered_capital", "contact_name", "contact_phone",
    )
    shown.rename({c.field: c.header for c in ENTERPRISE_COLUMNS}).write_csv(path)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0–100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def machine() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        (pg_version,) = cur.fetchone()
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal:"))
    import polars

    return {
        "date": datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M %Z"),
        "cpus (nproc)": str(os.cpu_count()),
        "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "PostgreSQL": str(pg_version),
        "Python / Polars": f"{platform.python_version()} / {polars.__version__}",
        "command": "bash scripts/with_postgres.sh " + shlex.join([Path(sys.executable).name, *sys.argv]),
    }


def append_report(title: str, body: list[str]) -> None:
    """Add one run's section to docs/benchmarks-registry.md (newest last), with the machine it ran on."""
    facts = machine()
    lines = [f"## {title} — {facts['date']}", "", "| machine | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in facts.items()]
    lines += ["", *body, ""]
    if not REPORT.exists():
        REPORT.write_text("# Registry benchmarks (enterprises: generator, import, list)\n\n"
                          "Appended by bench/import.py and bench/list.py; each section is one run.\n\n",
                          encoding="utf-8")
    with REPORT.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print("\n".join(lines))
