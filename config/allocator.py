"""The memory allocator of Polars (jemalloc), configured before Polars is loaded.

A province-wide evaluation allocates and frees about a gigabyte of column buffers per run.  Polars
sets jemalloc to return freed pages to the kernel after half a second (dirty) and one second (muzzy),
so much of that memory goes back between the stages of one run and is faulted in and zeroed again
by the next: about a tenth of an evaluation's time at 1,000,000 enterprises
(docs/benchmarks-policy.md).  Keeping freed pages 30 s lets the next stage reuse them; memory is
still returned after a quiet half minute.

Polars appends ``_RJEM_MALLOC_CONF`` from the environment to its own setting when it is imported
(later options win), so the entry points (``manage.py``, ``config/wsgi.py``, the benchmarks' child
processes) set it before anything imports Polars.  A value already in the environment wins.
"""

from __future__ import annotations

import os

VARIABLE = "_RJEM_MALLOC_CONF"
SETTING = "dirty_decay_ms:30000,muzzy_decay_ms:30000"


def configure() -> None:
    os.environ.setdefault(VARIABLE, SETTING)
