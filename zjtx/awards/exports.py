"""Payment lists as the formatted workbooks officials file: title, units, header, lines, total, signatures.

A province's list runs to tens of thousands of lines, so the workbook is written in openpyxl's write-only
mode: each row goes to the file as it is made and the lines are read from the database as they are written
(docs/benchmarks.md, 拨付清单)."""

from __future__ import annotations

import datetime as dt
import io
from copy import copy
from typing import Any

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zjtx.awards.selectors import PaymentList
from zjtx.core.spreadsheets import BOX, HEADER_ROW, official_sheet, text_cell

COLUMNS = [("序号", 6), ("统一社会信用代码", 22), ("企业名称", 30), ("所在市", 10), ("奖补项目", 36),
           ("方案条款", 10), ("资金层级", 9), ("预算年度", 9), ("预算科目", 30), ("类型", 9), ("金额", 14),
           ("收款户名", 30), ("开户银行", 20), ("银行账号", 24), ("记账时间", 18)]
AMOUNT_FORMAT = "#,##0.00####"
TEXT_COLUMNS = (2, 14)  # credit code and account number: digits kept as typed, never a number
AMOUNT_COLUMN = 11
LABEL_SPAN = 10  # the 合计 and 其中 labels run over the columns before the amount


def _local(at: dt.datetime) -> str:
    """Booking time as the pages show it (Asia/Shanghai), not the stored UTC."""
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


class _Sheet:
    """The write-only official sheet (core.spreadsheets.official_sheet) of a payment list, making boxed cells
    from one style per column instead of styling each of a long list's cells anew."""

    def __init__(self, title: str) -> None:
        self.book, self.sheet = official_sheet("拨付清单", title, "单位：万元", COLUMNS, write_only=True)
        self.rows = HEADER_ROW
        self._styles = [self._style(col) for col in range(1, len(COLUMNS) + 1)]

    def _style(self, col: int) -> Any:
        cell = WriteOnlyCell(self.sheet)
        cell.border = BOX
        if col == AMOUNT_COLUMN:
            cell.number_format = AMOUNT_FORMAT
        elif col in TEXT_COLUMNS:
            cell.number_format = "@"
        return cell._style

    def cell(self, col: int, value: Any, **style: Any) -> WriteOnlyCell:
        """A boxed cell of column ``col``; a ``str`` stays text (never a formula)."""
        cell = WriteOnlyCell(self.sheet, value=value)
        cell._style = copy(self._styles[col - 1])
        for name, setting in style.items():
            setattr(cell, name, setting)
        return text_cell(cell)

    def append(self, cells: list[Any]) -> None:
        self.sheet.append(cells)
        self.rows += 1

    def merge_to(self, last_col: int) -> None:
        """Merge the row just appended from column A to ``last_col``."""
        self.sheet.merged_cells.add(f"A{self.rows}:{get_column_letter(last_col)}{self.rows}")


def _figure_row(sheet: _Sheet, label: str, amount: Any, font: Font | None = None) -> None:
    """合计 or 其中: the label over the first columns, the amount in the 金额 column, every cell boxed."""
    extra = {"font": font} if font else {}
    cells = [sheet.cell(col, None) for col in range(1, len(COLUMNS) + 1)]
    cells[0] = sheet.cell(1, label, **extra)
    cells[AMOUNT_COLUMN - 1] = sheet.cell(AMOUNT_COLUMN, amount, **extra)
    sheet.append(cells)
    sheet.merge_to(LABEL_SPAN)


def payment_list_xlsx(data: PaymentList) -> bytes:
    """Every line of the list (``data.rows`` may be a stream: it is read once), then 合计 with the count and
    net total, 其中 each funding source's share, and the lines for signatures and the seal."""
    sheet = _Sheet(data.title)
    for n, r in enumerate(data.rows, start=1):
        values = [n, r["credit_code"], r["enterprise"], r["city"], r["award"], r["clause"], r["funding_level"],
                  r["budget_year"], r["budget_line"], r["kind"], r["amount"], r["account_name"], r["bank_name"],
                  r["account_no"], _local(r["at"])]
        sheet.append([sheet.cell(col, value) for col, value in enumerate(values, start=1)])
    bold = Font(bold=True)
    _figure_row(sheet, f"合计（{data.enterprises} 家企业，{data.count} 笔）", data.total, bold)
    for level, amount in data.by_level.items():
        _figure_row(sheet, f"其中：{level}资金", amount)
    for _ in range(2):
        sheet.append([])
    sheet.append(["经办人：", None, None, None, "复核人：", None, None, None, "负责人（签字）："])
    sheet.append([])
    sheet.append([None] * 8 + ["（单位盖章）"])
    sheet.append([None] * 8 + ["日期：      年    月    日"])
    out = io.BytesIO()
    sheet.book.save(out)
    return out.getvalue()
