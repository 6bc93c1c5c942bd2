"""Turn a Result into JSON-able dicts or Parquet files (and list columns into text for CSV)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from zjtx.policy.engine.evaluate import Result
from zjtx.policy.engine.parameters import to_jsonable

FRAMES = ("recognition", "unmet", "entitlements")


def metadata(result: Result) -> dict[str, Any]:
    """What is needed to reproduce a run: date, data year, parameter fingerprint and versions."""
    return {
        "as_of": result.as_of.isoformat(),
        "data_year": result.data_year,
        "parameter_fingerprint": result.fingerprint,
        "overlays": to_jsonable(result.overlays),
        "parameter_versions": result.parameter_versions,
    }


def frame_records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [{k: to_jsonable(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]


def to_dict(result: Result, credit_code: str | None = None) -> dict[str, Any]:
    """The result (or one enterprise's part of it) as plain JSON-able data; Decimal → string."""
    payload = metadata(result)
    for name in FRAMES:
        frame: pl.DataFrame = getattr(result, name)
        if credit_code is not None:
            frame = frame.filter(pl.col("credit_code") == credit_code)
        payload[name] = frame_records(frame)
    return payload


def to_json(result: Result, credit_code: str | None = None) -> str:
    return json.dumps(to_dict(result, credit_code), ensure_ascii=False, indent=2)


def write(result: Result, directory: Path | str) -> list[Path]:
    """Write recognition, unmet and entitlements as Parquet plus metadata.json; returns the paths.

    CSV for people is written by ``policy.io.write_result`` (``policy evaluate --format csv``), through the
    site's one CSV writer that keeps text from running as a formula in Excel (``core.spreadsheets``)."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FRAMES:
        frame: pl.DataFrame = getattr(result, name)
        path = target / f"{name}.parquet"
        frame.write_parquet(path)
        written.append(path)
    meta = target / "metadata.json"
    meta.write_text(json.dumps(metadata(result), ensure_ascii=False, indent=2), encoding="utf-8")
    written.append(meta)
    return written


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with each list column as text joined with 、 (for CSV, which has no lists)."""
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns([pl.col(name).cast(pl.List(pl.String)).list.join("、") for name in lists])
