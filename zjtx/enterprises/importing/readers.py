"""Turn an uploaded .csv or .xlsx into a frame of trimmed strings, one column per template field.

Every problem with the file as a whole (encoding, empty sheet, missing columns, not a spreadsheet)
becomes an ApplicationError with a Chinese message; row-level problems are left to validation.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import polars as pl
from python_calamine import CalamineError, CalamineWorkbook

from zjtx.core.errors import ApplicationError
from zjtx.enterprises.importing.columns import Column, header_aliases
from zjtx.enterprises.importing.percent_cells import percent_cells

ROW_NO = "行号"
# Rows are numbered as Excel shows them: the header is row 1, the first data row is row 2.
FIRST_DATA_ROW = 2


class ImportFileError(ApplicationError):
    code = "bad_file"


def read_table(path: Path, columns: tuple[Column, ...]) -> pl.DataFrame:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = _read_csv(path.read_bytes())
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        frame = _read_excel(path)
    else:
        raise ImportFileError("只支持 .xlsx 或 .csv 文件", field="file")
    return _to_template(frame, columns)


def _utf8(data: bytes) -> bytes:
    """The file's bytes as UTF-8 (officials' Excel saves CSV as GBK more often than not)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030").encode("utf-8")
    except UnicodeDecodeError:
        pass
    raise ImportFileError("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件", field="file")


def _read_csv(data: bytes) -> pl.DataFrame:
    if not data.strip():
        raise ImportFileError("文件是空的，没有表头和数据", field="file")
    text = _utf8(data)
    if b"\x00" in text:
        raise ImportFileError("文件内容不是文本格式的 CSV（含二进制字符）", field="file")
    try:
        frame = pl.read_csv(io.BytesIO(text), infer_schema=False, truncate_ragged_lines=True)
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise ImportFileError(f"CSV 文件格式错误，无法解析：{str(exc).splitlines()[0][:120]}", field="file") from exc
    # Blank lines come through as rows of nulls, so the index counts lines as a text editor does.
    frame = frame.rename({ROW_NO: f"{ROW_NO}#2"}) if ROW_NO in frame.columns else frame
    return frame.with_row_index(ROW_NO, offset=FIRST_DATA_ROW).with_columns(pl.col(ROW_NO).cast(pl.Int64))


def _read_excel(path: Path) -> pl.DataFrame:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        if not workbook.sheet_names:
            raise ImportFileError("Excel 文件中没有工作表", field="file")
        # With skip_empty_area=False the rows start at A1, so list index + 1 is Excel's row number.
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError) as exc:
        raise ImportFileError("无法读取 Excel 文件，文件可能已损坏或不是 .xlsx 格式", field="file") from exc
    _show_percentages(rows, percent_cells(path))
    # Blank rows (separators, a deleted example row) are skipped, but every row keeps Excel's number.
    numbered = [(i + 1, texts) for i, r in enumerate(rows) if any(texts := [_cell_text(c) for c in r])]
    if not numbered:
        raise ImportFileError("第一个工作表是空的，没有表头和数据", field="file")
    (_, header_cells), body = numbered[0], numbered[1:]
    header = [c or f"列{i + 1}" for i, c in enumerate(header_cells)]
    width = len(header)
    frame = pl.DataFrame([(r + [None] * width)[:width] for _, r in body],
                         schema=[(h, pl.String) for h in _unique([ROW_NO, *header])[1:]], orient="row")
    return frame.with_columns(pl.Series(ROW_NO, [no for no, _ in body], dtype=pl.Int64))


def _show_percentages(rows: list[list[Any]], cells: set[tuple[int, int]]) -> None:
    """A number in a percent-formatted cell becomes the text Excel shows (0.125 → "12.5%")."""
    for row, col in cells:
        if row < len(rows) and col < len(rows[row]) and isinstance(value := rows[row][col], float):
            rows[row][col] = f"{_cell_text(round(value * 100, 9))}%"


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return out


def _cell_text(value: Any) -> str | None:
    """Excel cell → the text a person sees. Whole floats lose their '.0'; dates become YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "#NUM!"
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _to_template(frame: pl.DataFrame, columns: tuple[Column, ...]) -> pl.DataFrame:
    aliases = header_aliases(columns)
    renames = _recognised(frame.columns, aliases)
    missing = [c.header for c in columns if c.required and c.field not in renames.values()]
    if missing:
        _refuse_missing(frame, columns, renames, missing)
    present = [c for c in columns if c.field in renames.values()]
    frame = frame.select([pl.col(ROW_NO), *(pl.col(src).alias(dst) for src, dst in renames.items())])
    frame = frame.with_columns(
        [pl.col(c.field).cast(pl.String).str.strip_chars().replace("", None) for c in present]
    )
    # A row with nothing in the template's columns is a blank line, not a row with every field missing.
    frame = frame.filter(pl.any_horizontal([pl.col(c.field).is_not_null() for c in present]))
    if frame.height == 0:
        raise ImportFileError("文件只有表头，没有数据行", field="file")
    return frame


def _recognised(names: list[str], aliases: dict[str, str]) -> dict[str, str]:
    """Source column → field, for the headers that name a template column (the first of duplicates)."""
    renames: dict[str, str] = {}
    for name in names:
        field = aliases.get(_normal_header(name)) if name != ROW_NO else None
        if field and field not in renames.values():
            renames[name] = field
    return renames


def _normal_header(name: str | None) -> str:
    return (name or "").strip().replace("(", "（").replace(")", "）").replace("*", "")


# How far below row 1 a header is looked for when row 1 is not one (a title, a note, a merged heading).
HEADER_SEARCH_ROWS = 10


def _refuse_missing(frame: pl.DataFrame, columns: tuple[Column, ...], renames: dict[str, str],
                    missing: list[str]) -> None:
    required = {c.field for c in columns if c.required}
    aliases = header_aliases(columns)
    for row in frame.head(HEADER_SEARCH_ROWS).iter_rows(named=True):
        found = {aliases.get(_normal_header(v)) for k, v in row.items() if k != ROW_NO and isinstance(v, str)}
        if required <= found:
            above = "第1行" if row[ROW_NO] == 2 else f"第1至{row[ROW_NO] - 1}行"
            raise ImportFileError(
                f"表头应在第1行：文件的表头在第{row[ROW_NO]}行，上面的{above}是标题或说明。"
                "请删除表头上面的行（含合并的标题行）后再导入", field="file")
    # Field names are accepted as headers too ("name"), so say what was recognised, not just what is missing.
    headers = {c.field: c.header for c in columns}
    found_text = "、".join(f"{headers[field]}（表头“{src}”）" for src, field in renames.items())
    raise ImportFileError(f"缺少必填列：{'、'.join(missing)}。" + (f"已识别的列：{found_text}。" if found_text else "")
                          + "表头应在第1行。请使用页面提供的导入模板", field="file")
