"""Running steps at the same instant, for the PostgreSQL concurrency tests of every app (awards, services)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection

from zjtx.core.errors import ApplicationError


def require_postgres() -> None:
    """Row locks are what these tests check: SQLite has none, so a run there is a failure, not a pass."""
    if connection.vendor != "postgresql":
        pytest.fail("the concurrency test needs PostgreSQL (DATABASE_URL)")


def run_together(work: list[Callable[[], Any]], *, success: str = "done") -> Counter[str]:
    """Start every callable at the same instant, each in its own thread with its own connection; count the
    outcomes: `success`, the code of the ApplicationError refusing it, or the name of a database error."""
    barrier = threading.Barrier(len(work))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def worker(job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            job()
            result = success
        except ApplicationError as exc:
            result = exc.code
        except DatabaseError as exc:  # e.g. a deadlock the database broke (OperationalError): counted, not lost
            result = type(exc).__name__
        finally:
            connection.close()
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=worker, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
