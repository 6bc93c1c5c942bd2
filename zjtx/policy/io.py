"""Engine input frames from requests and files, checked before the engine sees them (command and API share this).

Untrusted rows (the API's JSON, a file) are checked value by value against the input contract
(``schemas.ROW_MODELS``) and for their references (valid credit codes, known cities and counties,
indicators and events of enterprises in the request); each refusal names table, row and column.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from zjtx.core import creditcode, regions, spreadsheets
from zjtx.core.errors import ApplicationError
from zjtx.core.schemas import MAX_PROBLEMS, errors_message
from zjtx.policy.engine import to_json, write
from zjtx.policy.engine.schema import DTYPES, Column
from zjtx.policy.engine.serialize import FRAMES, flat, metadata
from zjtx.policy.schemas import ROW_MODELS, TABLES, table_label


def read_frame(path: Path, table: str) -> pl.DataFrame:
    """A csv, parquet or json file of one input table (``enterprises``, ``indicators``, ``events``)."""
    if not path.is_file():
        raise ApplicationError(f"文件不存在：{path}", field=str(path))
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".json"):
        raise ApplicationError(f"{path.name}：只支持 .csv、.parquet 或 .json 文件", field=str(path))
    try:
        if suffix == ".json":
            return table_frame(parse_rows(json.loads(path.read_text(encoding="utf-8")), table), table)
        if suffix == ".csv":
            return typed_csv(pl.read_csv(path, infer_schema=False), table, path.name)  # checks the columns
        frame = pl.read_parquet(path)
    except (pl.exceptions.PolarsError, UnicodeDecodeError, json.JSONDecodeError, OSError) as exc:
        raise ApplicationError(f"无法读取 {path.name}：不是有效的 {suffix[1:]} 文件（CSV、JSON 须为 UTF-8 编码）",
                               field=str(path)) from exc
    _require_columns(frame.columns, table)
    return frame


def _require_columns(present: Sequence[str], table: str) -> None:
    label, columns = TABLES[table]
    missing = [c.name for c in columns if c.required and c.name not in present]
    if missing:
        raise ApplicationError(f"{label}缺少必需列：{', '.join(missing)}", field=table)


def typed_csv(frame: pl.DataFrame, table: str, name: str) -> pl.DataFrame:
    """CSV text → the contract's types, naming each cell that is not of its column's type."""
    label, columns = TABLES[table]
    _require_columns(frame.columns, table)
    known = {c.name: c for c in columns}
    unknown = [n for n in frame.columns if n not in known]
    if unknown:
        raise ApplicationError(f"{name}：不认识的列 {', '.join(unknown)}（{label}可用的列见 docs/policy.md）",
                               field=unknown[0])
    typed = frame.select([_cast_text(pl.col(n), known[n]).alias(n) for n in frame.columns])
    problems = []
    for column in frame.columns:
        bad = frame[column].is_not_null() & (frame[column].str.strip_chars() != "") & typed[column].is_null()
        rows = bad.arg_true().head(5).to_list()
        if rows:
            where, value = ", ".join(str(r + 1) for r in rows), frame[column][rows[0]]
            problems.append(f"{name} {label}第 {where} 行：{column}（{known[column].label}）"
                            f"{_KIND_WORDS[known[column].kind]}，收到 {value!r}")
    if problems:
        raise ApplicationError("；".join(problems), field=table)
    return typed


_KIND_WORDS = {"int": "应为整数", "float": "应为数字", "money": "应为数字（万元）", "bool": "应为 true 或 false",
               "date": "应为有效日期（YYYY-MM-DD）", "str": "应为文本"}
_TRUE, _FALSE = ("true", "1", "是"), ("false", "0", "否")


def _cast_text(text: pl.Expr, column: Column) -> pl.Expr:
    text = text.str.strip_chars()
    if column.kind == "int":
        return text.cast(pl.Int64, strict=False)
    if column.kind in ("float", "money"):
        return text.cast(pl.Float64, strict=False)
    if column.kind == "bool":
        lowered = text.str.to_lowercase()
        return pl.when(lowered.is_in(_TRUE)).then(True).when(lowered.is_in(_FALSE)).then(False).otherwise(None)
    if column.kind == "date":
        return text.str.to_date("%Y-%m-%d", strict=False)
    return pl.when(text == "").then(None).otherwise(text)


def parse_rows(records: Any, table: str) -> list[BaseModel]:
    """JSON rows → checked rows of ``table``; refused naming table, row and column."""
    if not isinstance(records, list):
        raise ApplicationError(f"{TABLES[table][0]}应为对象数组（每行一个 JSON 对象）", field=table)
    model, rows, errors = ROW_MODELS[table], [], []
    for index, record in enumerate(records):
        try:
            rows.append(model.model_validate(record))
        except PydanticError as exc:
            errors += [{**e, "loc": (index, *e["loc"])} for e in exc.errors(include_url=False)]
    if errors:
        raise validation_failure(errors, prefix=(table,))
    return rows


def validation_failure(errors: Sequence[Mapping[str, Any]], prefix: tuple[Any, ...] = ()) -> ApplicationError:
    field, message = errors_message([{**e, "loc": (*prefix, *e["loc"])} for e in errors], table_label)
    return ApplicationError(message, field=field)


def table_frame(rows: Sequence[BaseModel], table: str) -> pl.DataFrame:
    """Checked rows → frame in the contract's types (money as exact decimals); absent columns left out."""
    _, columns = TABLES[table]
    dicts = [row.model_dump(exclude_unset=True) for row in rows]
    present = [c for c in columns if any(c.name in d for d in dicts)]
    schema = {c.name: pl.Decimal(38, 6) if c.kind == "money" else DTYPES[c.kind] for c in present}
    data = {c.name: [d.get(c.name) for d in dicts] for c in present}
    return pl.DataFrame(data, schema=schema, strict=True)


def check_references(tables: Mapping[str, Sequence[BaseModel]]) -> None:
    """Credit codes valid, city and county known and matching, other tables' codes among the enterprises."""
    problems: list[tuple[str, str]] = []
    enterprises = tables.get("enterprises", ())
    for i, row in enumerate(enterprises):
        problems += _enterprise_problems(i, row)
    codes = {getattr(row, "credit_code", None) for row in enterprises}
    for table in ("indicators", "events", "prior"):
        for i, row in enumerate(tables.get(table, ())):
            if row.credit_code not in codes:  # type: ignore[attr-defined]
                problems.append(_at(table, i, "credit_code", "不在本次请求的企业表中"))
    if problems:
        raise ApplicationError("；".join(m for _, m in problems[:MAX_PROBLEMS]), field=problems[0][0])


def _enterprise_problems(i: int, row: Any) -> list[tuple[str, str]]:
    problems = []
    error = creditcode.credit_code_error(row.credit_code)
    if error:
        problems.append(_at("enterprises", i, "credit_code", error.removeprefix("统一社会信用代码")))
    if not regions.is_city(row.city_code):
        problems.append(_at("enterprises", i, "city_code", f"应为16个设区市的6位代码之一，收到 {row.city_code!r}"))
    elif row.county_code and row.county_code not in regions.county_city_map():
        problems.append(_at("enterprises", i, "county_code", f"不是已知的县（区）代码，收到 {row.county_code!r}"))
    elif row.county_code and regions.county_city_map()[row.county_code] != row.city_code:
        problems.append(_at("enterprises", i, "county_code", f"{row.county_code} 不属于所在市 {row.city_code}"))
    return problems


def _at(table: str, index: int, column: str, problem: str) -> tuple[str, str]:
    return f"{table}[{index}].{column}", f"{table_label([table, index, column])}{problem}"


def records_frame(records: Any, columns: tuple[Column, ...]) -> pl.DataFrame:
    """Rows the caller built itself from stored records (typed values) → frame with the contract's types.

    Not for input from outside: that goes through ``parse_rows`` and ``table_frame``, which refuse a value
    of the wrong type instead of making it null."""
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


def check_output(out: Path) -> None:
    """Refuse an output the command could not write, before it evaluates anything."""
    if out.suffix.lower() in (".csv", ".parquet", ".xlsx"):
        raise ApplicationError(
            f"--out {out}：结果是三张表（recognition、unmet、entitlements），不能写进一个 {out.suffix} 文件；"
            "请给一个目录（加 --format csv 写 CSV），或以 .json 结尾写一个 JSON 文件", field="out")
    if not out.parent.is_dir():
        raise ApplicationError(f"--out {out}：所在目录 {out.parent} 不存在", field="out")
    if out.suffix.lower() == ".json" and out.is_dir():
        raise ApplicationError(f"--out {out}：这是一个目录，不能写成 JSON 文件", field="out")
    if out.suffix.lower() != ".json" and out.exists() and not out.is_dir():
        raise ApplicationError(f"--out {out}：已有同名文件，目录输出需要一个目录名", field="out")


def write_result(result: Any, out: Path, fmt: str) -> str:
    """Write the result to ``out`` (checked by ``check_output``); says what was written."""
    if out.suffix.lower() == ".json":
        out.write_text(to_json(result), encoding="utf-8")
        return f"结果已写入 JSON 文件 {out}"
    if fmt == "parquet":
        write(result, out)
    else:
        _write_csv(result, out)
    return f"结果已写入目录 {out}：recognition、unmet、entitlements（{fmt}）和 metadata.json"


def _write_csv(result: Any, directory: Path) -> None:
    directory.mkdir(exist_ok=True)
    for name in FRAMES:
        spreadsheets.write_csv(flat(getattr(result, name)), directory / f"{name}.csv")
    (directory / "metadata.json").write_text(json.dumps(metadata(result), ensure_ascii=False, indent=2),
                                             encoding="utf-8")
