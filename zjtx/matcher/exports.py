"""The 免申即享 / 潜在培育对象 list as the workbook officials file (layout of tiers/exports.py)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils import timezone
from openpyxl.styles import Font

from zjtx.core.spreadsheets import BOX, official_sheet, text_cell
from zjtx.matcher.ladder import tier_label
from zjtx.matcher.models import Candidate
from zjtx.policy.models import EVENT_KIND_LABELS

TIER_COLUMNS = [("序号", 6), ("统一社会信用代码", 22), ("企业名称", 34), ("所在市", 10), ("所在县（区）", 12),
                ("现有梯度", 22), ("下一梯度", 24), ("结论", 10), ("所差条件", 34), ("实际", 24), ("要求", 14),
                ("条款", 12)]
AWARD_COLUMNS = [("序号", 6), ("统一社会信用代码", 22), ("企业名称", 34), ("所在市", 10), ("所在县（区）", 12),
                 ("奖补项目", 34), ("金额（万元）", 14), ("资金层级", 10), ("条款", 12), ("触发事件", 30)]


def candidates_xlsx(lines: Sequence[Candidate], *, title: str, source: str, awards: bool) -> bytes:
    columns = AWARD_COLUMNS if awards else TIER_COLUMNS
    book, sheet = official_sheet("名单", title, f"{source}　导出日期：{timezone.localdate():%Y-%m-%d}", columns)
    for n, line in enumerate(lines, start=1):
        e = line.enterprise
        values = [n, e.credit_code, e.name, e.city_name, e.county_name, *(_award(line) if awards else _tier(line))]
        for col, value in enumerate(values, start=1):
            cell = text_cell(sheet.cell(row=3 + n, column=col, value=value))
            cell.border = BOX
            if col == 2:
                cell.number_format = "@"
            elif awards and col == 7:
                cell.number_format = "#,##0.00####"
    sheet.cell(row=4 + len(lines), column=1, value=f"合计：{len(lines)} 条").font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _tier(line: Candidate) -> list[object]:
    verdict = "符合" if line.gap == 0 else "差一项"
    return [line.enterprise.get_tier_display(), tier_label(line.tier), verdict,
            line.condition, line.actual, line.threshold, line.clause]


def _award(line: Candidate) -> list[object]:
    event = f"{EVENT_KIND_LABELS.get(line.event_kind, line.event_kind)}（{line.event_date}）"
    return [line.award_label, line.amount, line.funding_level, line.clause, event]
