"""Payment lists as the formatted workbooks officials file: title, units, header, lines, total, signatures."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl.styles import Font

from zjtx.awards.selectors import PaymentList
from zjtx.core.spreadsheets import BOX, official_sheet, text_cell

COLUMNS = [("序号", 6), ("统一社会信用代码", 22), ("企业名称", 30), ("所在市", 10), ("奖补项目", 36),
           ("方案条款", 10), ("资金层级", 9), ("预算年度", 9), ("预算科目", 30), ("类型", 9), ("金额", 14),
           ("收款户名", 30), ("开户银行", 20), ("银行账号", 24), ("记账时间", 18)]
AMOUNT_FORMAT = "#,##0.00####"


def _local(at: dt.datetime) -> str:
    """Booking time as the pages show it (Asia/Shanghai), not the stored UTC."""
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def payment_list_xlsx(data: PaymentList) -> bytes:
    wb, ws = official_sheet("拨付清单", data.title, "单位：万元", COLUMNS)
    width = len(COLUMNS)
    row = 4
    for n, r in enumerate(data.rows, start=1):
        values = [n, r["credit_code"], r["enterprise"], r["city"], r["award"], r["clause"], r["funding_level"],
                  r["budget_year"], r["budget_line"], r["kind"], r["amount"], r["account_name"], r["bank_name"],
                  r["account_no"], _local(r["at"])]
        for col, value in enumerate(values, start=1):
            cell = text_cell(ws.cell(row=row, column=col, value=value))  # a bank name "=HYPERLINK(…)" stays text
            cell.border = BOX
        ws.cell(row=row, column=11).number_format = AMOUNT_FORMAT
        ws.cell(row=row, column=2).number_format = "@"
        ws.cell(row=row, column=14).number_format = "@"
        row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=10)
    ws.cell(row=row, column=1, value=f"合计（{data.enterprises} 家企业，{len(data.rows)} 笔）").font = Font(bold=True)
    total = ws.cell(row=row, column=11, value=data.total)
    total.font, total.number_format = Font(bold=True), AMOUNT_FORMAT
    for col in range(1, width + 1):
        ws.cell(row=row, column=col).border = BOX
    for level, amount in data.by_level.items():
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=10)
        ws.cell(row=row, column=1, value=f"其中：{level}资金")
        ws.cell(row=row, column=11, value=amount).number_format = AMOUNT_FORMAT
        for col in range(1, width + 1):
            ws.cell(row=row, column=col).border = BOX
    row += 3
    for label_col, label in ((1, "经办人："), (5, "复核人："), (9, "负责人（签字）：")):
        ws.cell(row=row, column=label_col, value=label)
    ws.cell(row=row + 2, column=9, value="（单位盖章）")
    ws.cell(row=row + 3, column=9, value="日期：      年    月    日")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
