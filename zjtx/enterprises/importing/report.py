"""The row-by-row error report, as a formatted xlsx the user downloads from the import page."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill

from zjtx.core.spreadsheets import text_row
from zjtx.enterprises.importing.readers import ROW_NO
from zjtx.enterprises.models import ImportJob

MAX_REPORT_ROWS = 200_000


def report_path(job: ImportJob) -> Path:
    return Path(job.file_path).with_name(f"{job.pk}-errors.xlsx")


def write_error_report(job: ImportJob, errors: pl.DataFrame) -> Path:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误明细")
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 26
    sheet.column_dimensions["C"].width = 28
    sheet.column_dimensions["D"].width = 60
    sheet.append([f"导入错误报告：{job.file_name}（共 {errors[ROW_NO].n_unique()} 行有错误，{errors.height} 处）"])
    bold = Font(bold=True)
    header = []
    for title in ("行号", "列", "原值", "错误原因"):

        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDE6F3")
        header.append(cell)
    sheet.append(header)
    for row in errors.head(MAX_REPORT_ROWS).iter_rows():
        # 原值 is the file's cell as typed: "=HYPERLINK(…)" there is text here, not a formula.
        sheet.append(text_row(sheet, [ILLEGAL_CHARACTERS_RE.sub("�", v) if isinstance(v, str) else v for v in row]))
    if errors.height > MAX_REPORT_ROWS:
        sheet.append([f"仅列出前 {MAX_REPORT_ROWS} 处错误，请修正后重新导入以查看其余错误。"])
    path = report_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
