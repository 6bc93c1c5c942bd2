"""服务覆盖 as the workbook officials file: coverage by city, the uncovered enterprises, the officers' loads."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zjtx.accounts.models import User
from zjtx.core import clock
from zjtx.core.spreadsheets import BOX, official_sheet, text_row
from zjtx.services import selectors

CITY_COLUMNS = [("市", 12), ("专精特新企业数", 16), ("已配备服务专员", 16), ("未配备", 12), ("覆盖率", 12)]
UNCOVERED_COLUMNS = [("序号", 6), ("统一社会信用代码", 22), ("企业名称", 36), ("所在市", 10), ("梯度层级", 30)]
LOAD_COLUMNS = [("服务专员", 20), ("所属单位", 30), ("服务企业数", 12), ("其中专精特新", 14), ("本年走访次数", 14)]


def coverage_workbook(user: User) -> bytes:
    data = selectors.coverage(user)
    title = f"{user.scope_label}专精特新企业服务专员配备情况"
    note = f"每家配备 {data.required} 名服务专员（方案三20）  导出日期：{clock.today()}"
    book, sheet = official_sheet("覆盖情况", title, note, CITY_COLUMNS)
    _lines(sheet, [[r.city_name, r.total, r.covered, r.uncovered, r.percent] for r in [*data.rows, data.total]])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _lines(_sheet(book, "未配备企业", UNCOVERED_COLUMNS),
           [[n, e.credit_code, e.name, e.city_name, e.get_tier_display()]
            for n, e in enumerate(selectors.uncovered(user).iterator(), start=1)])
    _lines(_sheet(book, "服务专员工作量", LOAD_COLUMNS),
           [[x.officer.display_name, x.officer.organisation, x.enterprises, x.srdi, x.visits]
            for x in selectors.officer_loads(user)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: Any, name: str, columns: Sequence[tuple[str, int]]) -> Any:
    """A further sheet: the header in row 1 (bold, boxed, frozen) and each column's width."""
    sheet = book.create_sheet(name)
    _lines(sheet, [[label for label, _ in columns]])
    for col, (_, width) in enumerate(columns, start=1):
        sheet.cell(row=1, column=col).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _lines(sheet: Any, rows: list[list[Any]]) -> None:
    """Append boxed rows, every text kept as text (core.spreadsheets)."""
    for row in rows:
        sheet.append(text_row(sheet, row))
        for cell in sheet[sheet.max_row]:
            cell.border = BOX
