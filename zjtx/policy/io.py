"""Read engine input frames from csv, parquet or json files (management command and API share this)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from zjtx.core.errors import ApplicationError
from zjtx.policy.engine.schema import DTYPES, Column


def read_frame(path: Path, columns: tuple[Column, ...]) -> pl.DataFrame:
    if not path.is_file():
        raise ApplicationError(f"文件不存在：{path}", field=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pl.read_parquet(path)
        if suffix == ".json":
            return records_frame(json.loads(path.read_text(encoding="utf-8")), columns)
        if suffix == ".csv":
            return pl.read_csv(path, schema_overrides=_csv_types(path, columns))
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise ApplicationError(f"无法读取 {path.name}：{str(exc).splitlines()[0][:150]}", field=str(path)) from exc
    raise ApplicationError(f"{path.name}：只支持 .csv、.parquet 或 .json 文件", field=str(path))


def _csv_types(path: Path, columns: tuple[Column, ...]) -> dict[str, pl.DataType]:
    header = pl.read_csv(path, n_rows=0).columns
    money = {c.name for c in columns if c.kind == "money"}
    return {c.name: (pl.Float64() if c.name in money else DTYPES[c.kind]) for c in columns if c.name in header}


def records_frame(records: Any, columns: tuple[Column, ...]) -> pl.DataFrame:
    """A list of JSON objects → frame with the contract's types (money as float, dates parsed)."""
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ApplicationError("应为对象数组（每个元素一个 JSON 对象）")
    known = {c.name: c for c in columns}
    present = [name for name in known if any(name in r for r in records)]
    data = {name: [r.get(name) for r in records] for name in present}
    schema = {name: (pl.Float64() if known[name].kind == "money" else
                     pl.String() if known[name].kind == "date" else DTYPES[known[name].kind]) for name in present}
    try:
        frame = pl.DataFrame(data, schema=schema, strict=False)
    except (pl.exceptions.PolarsError, TypeError, ValueError) as exc:
        raise ApplicationError(f"数据类型不符合约定：{str(exc).splitlines()[0][:150]}") from exc
    dates = [n for n in present if known[n].kind == "date"]
    return frame.with_columns([pl.col(n).str.to_date(strict=False) for n in dates])
