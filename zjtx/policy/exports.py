"""A run as a formatted xlsx: a what-if comparison (province totals, cities, budget, changed enterprises),
or a province run (counts by tier, budget due, counts by city)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from zjtx.core.spreadsheets import text_row
from zjtx.policy.models import PolicyRun
from zjtx.policy.selectors import reform_items

HEAD = PatternFill("solid", fgColor="DDE6F3")
MONEY_FORMAT = "#,##0.00####"


def _titled_book(sheet_title: str, heading: str, facts: str) -> tuple[Workbook, Worksheet]:
    """A workbook whose first sheet opens with the run's heading and its facts (date, count, fingerprint)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([facts])
    return book, sheet


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table(sheet: Worksheet, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    sheet.append([])
    if title:  # untitled: the header follows the blank row
        sheet.append([title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = Font(bold=True), HEAD
    for row in rows:  # names and labels as text: an enterprise named "=…" is no formula
        sheet.append(text_row(sheet, row))


def whatif_xlsx(run: PolicyRun, tables: dict[str, Any]) -> bytes:
    book, sheet = _titled_book("政策模拟", f"政策模拟对比表：{run.name}",
                               f"测算日期 {run.as_of}；调整生效日期 {run.reform_start or '全部日期'}；"
                               f"企业 {run.enterprises:,} 家；参数指纹 {run.fingerprint}")
    sheet.append(["调整的参数：" + "；".join(f"{r['label']}（{r['id']}）→ {r['value']}" for r in reform_items(run))])
    tier_head = ["梯度", "现行（家）", "调整后（家）", "新增符合", "不再符合", "差额"]
    _table(sheet, "一、全省各梯度符合条件企业数", tier_head,
           [[r["tier_label"], r["baseline"], r["reform"], r["gained"], r["lost"], r["difference"]]
            for r in tables["province"]])
    _table(sheet, "二、分市", ["市", *tier_head],
           [[r["city_name"], r["tier_label"], r["baseline"], r["reform"], r["gained"], r["lost"], r["difference"]]
            for r in tables["cities"]])
    budget = tables["budget"]
    keys = ("baseline", "reform", "difference")
    _table(sheet, "三、奖补资金（单位：万元）", ["奖补项目", "资金层级", "现行", "调整后", "差额"],
           [[r.get("label") or r["award"], r["funding_level"], *(Decimal(str(r[k])) for k in keys)] for r in budget])
    first = sheet.max_row - len(budget) + 1
    sheet.append(["合计", "", *(sum((Decimal(str(r[k])) for r in budget), Decimal(0)) for k in keys)])
    for row in sheet.iter_rows(min_row=first, max_row=sheet.max_row, min_col=3, max_col=5):
        for cell in row:  # exact amounts (to the 分), shown with separators and at least two decimals
            cell.number_format = MONEY_FORMAT
    sheet.append([])
    sheet.append(["制表：", "", "审核：", "", "安徽省经济和信息化厅"])
    for column, width in zip("ABCDEFG", (34, 26, 14, 14, 12, 12, 10), strict=True):
        sheet.column_dimensions[column].width = width
    _changes_sheet(book, tables.get("changes") or [])
    return _saved(book)


def evaluation_xlsx(run: PolicyRun, tables: dict[str, Any]) -> bytes:
    """A province run (全省测算) as its page shows it: counts by tier, the 应享 budget with its total,
    and each city's qualifying enterprises per tier."""
    book, sheet = _titled_book("全省测算", f"全省测算结果：{run.name}",
                               f"测算日期 {run.as_of}；数据年度 {run.summary.get('data_year', '')}；"
                               f"企业 {run.enterprises:,} 家；参数指纹 {run.fingerprint}")
    _table(sheet, "一、各梯度企业数（家）", ["梯度", "符合", "不符合", "数据不足"],
           [[r["tier_label"], r["met"], r["unmet"], r["unknown"]] for r in tables["statuses"]])
    budget = tables["budget"]
    _table(sheet, "二、应享奖补（单位：万元）", ["奖补项目", "资金层级", "项数", "金额"],
           [[r.get("label") or r["award"], r["funding_level"], r["count"], Decimal(str(r["amount"]))] for r in budget])
    total = tables["budget_total"]
    sheet.append(["合计", "", total["count"], total["amount"]])
    for row in sheet.iter_rows(min_row=sheet.max_row - len(budget), max_row=sheet.max_row, min_col=4, max_col=4):
        for cell in row:  # exact amounts, with separators and at least two decimals
            cell.number_format = MONEY_FORMAT
    _table(sheet, "三、分市符合条件企业数（家）", ["市", *tables["tiers"]],
           [[c["city_name"], *c["counts"]] for c in tables["cities"]])
    for column, width in zip("ABCDEF", (34, 16, 16, 16, 22, 22), strict=True):
        sheet.column_dimensions[column].width = width
    return _saved(book)


def _changes_sheet(book: Workbook, changes: list[dict[str, Any]]) -> None:
    """Sheet 变化企业: every enterprise that gains or loses a tier under the reform."""
    sheet = book.create_sheet("变化企业")
    sheet.append([f"调整后认定结果发生变化的企业（{len(changes):,} 家次）"])
    sheet["A1"].font = Font(bold=True)
    _table(sheet, "", ["市", "企业名称", "统一社会信用代码", "梯度", "变化"],
           [[r["city_name"], r["name"], r["credit_code"], r["tier_label"], r["change_label"]] for r in changes])
    for column, width in zip("ABCDE", (12, 36, 22, 30, 8), strict=True):
        sheet.column_dimensions[column].width = width
