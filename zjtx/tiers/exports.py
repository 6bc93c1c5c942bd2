"""The 认定名单 and a batch's 申报汇总表 as the workbooks officials file: title, date, header, lines, count,
signature lines (the layout of the 拨付清单, awards/exports.py)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zjtx.core.spreadsheets import BOX, official_sheet, text_cell
from zjtx.tiers.models import Application, Recognition

TEXT_COLUMNS = {"统一社会信用代码", "证书编号", "联系电话"}  # kept as typed (no 1.2E+17, no lost zero)

RECOGNITION_COLUMNS = [("序号", 6), ("证书编号", 30), ("统一社会信用代码", 22), ("企业名称", 34), ("所在市", 10),
                       ("所在县（区）", 12), ("层级", 22), ("来源", 18), ("认定日期", 12), ("有效期至", 12),
                       ("状态", 8), ("批次", 34)]


def recognitions_xlsx(recognitions: Iterable[Recognition], *, title: str, today: dt.date) -> bytes:
    rows = ([r.certificate_no, r.enterprise.credit_code, r.enterprise.name, r.enterprise.city_name,
             r.enterprise.county_name, r.get_tier_display(), r.get_source_display(), r.start_date, r.expires_on,
             r.status_label(today), r.batch.title if r.batch else "—"] for r in recognitions)
    return _workbook("认定名单", title, RECOGNITION_COLUMNS, rows, unit="项认定")


def applications_xlsx(applications: Sequence[Application], *, title: str, panel_score: bool) -> bytes:
    """One line per application; the experts' aggregate only for whoever sees it on the page (the province)."""
    columns = [("序号", 6), ("统一社会信用代码", 22), ("企业名称", 34), ("所在市", 10), ("所在县（区）", 12),
               ("联系人", 10), ("联系电话", 16), ("提交时间", 17), ("引擎自评", 10), ("自评得分", 9),
               ("引擎标记", 12), *([("专家汇总得分", 12)] if panel_score else []), ("状态", 12), ("公示期", 24)]
    rows = ([a.enterprise.credit_code, a.enterprise.name, a.enterprise.city_name, a.enterprise.county_name,
             a.contact_name, a.contact_phone, timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M"),
             a.assessment.get("status") or "—", a.assessment.get("score"), "明显不符合" if a.flagged else "",
             *([a.expert_score] if panel_score else []), a.get_status_display(),
             f"{a.notice_start} 至 {a.notice_end}" if a.notice_end else ""] for a in applications)
    return _workbook("申报汇总", title, columns, rows, unit="份申报")


def _workbook(name: str, title: str, columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[Any]],
              *, unit: str) -> bytes:
    wb, ws = official_sheet(name, title, f"导出日期：{timezone.localdate():%Y-%m-%d}", columns)
    count = _lines(ws, columns, rows)
    row = 4 + count
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(columns))
    ws.cell(row=row, column=1, value=f"合计：{count} {unit}").font = Font(bold=True)
    row += 2
    for label_col, label in ((1, "制表人："), (4, "审核人："), (7, "单位（盖章）：")):
        ws.cell(row=row, column=min(label_col, len(columns)), value=label)
    ws.auto_filter.ref = f"A3:{get_column_letter(len(columns))}{3 + count}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _lines(ws: Worksheet, columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[Any]]) -> int:
    text = {i for i, (label, _) in enumerate(columns, start=1) if label in TEXT_COLUMNS}
    count = 0
    for count, values in enumerate(rows, start=1):
        for col, value in enumerate([count, *values], start=1):
            cell = text_cell(ws.cell(row=3 + count, column=col, value=value))  # a name "=…" is no formula
            cell.border = BOX
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif col in text:
                cell.number_format = "@"
    return count
