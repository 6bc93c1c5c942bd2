"""A period's 调度 summary as the workbook the province office files: every report of the period the user may
see, and the counts by task (core.spreadsheets: text stays text, the official layout)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl.styles import Alignment, Font

from zjtx.accounts.models import User
from zjtx.core import clock
from zjtx.core.spreadsheets import BOX, official_sheet, text_row
from zjtx.duties import selectors
from zjtx.duties.models import Period

REPORT_COLUMNS = [("序号", 6), ("任务", 26), ("条款", 9), ("责任单位", 20), ("分工", 6), ("状态", 12),
                  ("推进情况", 10), ("报送日期", 12), ("逾期", 10), ("工作进展", 50), ("主要数据", 30),
                  ("存在问题", 30), ("下步打算", 30), ("退回原因", 24)]
TASK_COLUMNS = [("任务", 30), ("条款", 9), ("应报", 8), ("已报送", 8), ("已审核", 8), ("已退回", 8),
                ("逾期未报", 10), ("逾期报送", 10), ("滞后", 8)]


def _lateness(report: Any) -> str:
    if report.overdue:
        return "逾期未报"
    return "逾期报送" if report.submitted_late else ""


def period_workbook(user: User, period: Period) -> bytes:
    rows = selectors.grid(user, period)
    note = (f"报送截止 {period.due_on}（期末后 {period.due_days} 个{period.basis_label}）  导出日期：{clock.today()}")
    book, sheet = official_sheet("调度报告", f"{period.label}专精特新倍增行动任务调度汇总表", note, REPORT_COLUMNS)
    n = 0
    for row in rows:
        for r in row.reports:
            n += 1
            _line(sheet, [n, row.task.label, row.task.clause, r.department_name, r.role_label,
                          r.get_status_display(), r.get_progress_status_display() or "", r.submitted_on,
                          _lateness(r), r.progress, r.figures, r.problems, r.next_steps, r.return_reason])
    summary = book.create_sheet("按任务统计")
    _line(summary, [label for label, _ in TASK_COLUMNS])
    for cell in summary[1]:
        cell.font = Font(bold=True)
    for col, (_, width) in zip("ABCDEFGHI", TASK_COLUMNS, strict=True):
        summary.column_dimensions[col].width = width
    summary.freeze_panes = "A2"
    for row in rows:
        c = row.counts
        _line(summary, [row.task.label, row.task.clause, c.expected, c.submitted, c.accepted, c.returned,
                        c.overdue, c.late, c.behind])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _line(sheet: Any, values: list[Any]) -> None:
    sheet.append(text_row(sheet, values))
    for cell in sheet[sheet.max_row]:
        cell.border = BOX
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        if hasattr(cell.value, "isoformat"):
            cell.number_format = "yyyy-mm-dd"
