"""A pushed list as the workbook a bank files: the enterprises' public fields needed for credit, nothing more."""

from __future__ import annotations

import io

from zjtx.accounts.models import User
from zjtx.core.spreadsheets import BOX, official_sheet, text_row
from zjtx.finance import access
from zjtx.finance.models import PushedList

LIST_COLUMNS = [("序号", 6), ("统一社会信用代码", 22), ("企业名称", 36), ("所在市", 10), ("梯度层级", 28),
                ("联系人", 12), ("联系电话", 16)]


def list_workbook(user: User, pushed: PushedList) -> bytes:
    banks = "、".join(access.recipients_shown(user, pushed))
    note = f"筛选条件：{pushed.criteria}  推送至：{banks}  推送日期：{pushed.pushed_on}"
    book, sheet = official_sheet("企业名单", pushed.title, note, LIST_COLUMNS)
    enterprises = access.list_enterprises(user, pushed).order_by("city_code", "name", "id")
    for n, e in enumerate(enterprises.iterator(), start=1):
        sheet.append(text_row(sheet, [n, e.credit_code, e.name, e.city_name, e.get_tier_display(), e.contact_name,
                                      e.contact_phone]))
        for cell in sheet[sheet.max_row]:
            cell.border = BOX
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
