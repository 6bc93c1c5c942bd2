"""目标完成情况 as official workbooks: every target by year for a place, and (province, departments) every
target by city for one year with the ranking."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from zjtx.accounts.models import User
from zjtx.core.spreadsheets import official_sheet, text_row
from zjtx.targets import access, selectors

OVERVIEW_COLUMNS = [("条款", 12), ("目标", 40), ("方案用语", 9), ("口径", 12), ("单位", 7), ("年度", 7),
                    ("目标值", 11), ("完成数", 11), ("来源", 9), ("完成率（%）", 11), ("结论", 12), ("说明", 30)]
CITY_COLUMNS = [("条款", 12), ("目标", 40), ("单位", 7), ("排名", 6), ("市", 10), ("完成数", 11), ("分解目标", 11),
                ("完成率（%）", 11), ("较上年增量", 11), ("来源", 9)]
NOTE = "未填报的目标留空，不计为0；完成率按完成数÷目标值计算"


def overview_workbook(user: User, figures: selectors.Figures, place: str) -> bytes:
    place_name = dict(access.places(user))[place]
    book, sheet = official_sheet("目标完成情况", f"倍增行动方案目标完成情况（{place_name}）",
                                 f"导出日期：{figures.today:%Y-%m-%d}；{NOTE}", OVERVIEW_COLUMNS)
    for row in selectors.overview(user, place, figures):
        t = row.target
        for c in row.cells:
            sheet.append(text_row(sheet, [t.clause, t.label, t.qualifier, t.kind_label, t.unit, c.year, c.target,
                                          c.actual, c.source, c.completion, c.verdict, c.note]))
    return _bytes(book)


def cities_workbook(user: User, figures: selectors.Figures, year: int) -> bytes:
    access.require_all_cities(user)
    book, sheet = official_sheet("各市完成情况", f"{year}年各市目标完成情况及排名",
                                 f"导出日期：{figures.today:%Y-%m-%d}；{NOTE}", CITY_COLUMNS)
    for t in figures.targets():
        if year < t.start_year:
            continue
        for line in figures.city_table(t, year):
            c = line.cell
            sheet.append(text_row(sheet, [t.clause, t.label, t.unit, line.rank, line.city_name, c.actual, c.target,
                                          c.completion, line.growth, c.source]))
    return _bytes(book)


def _bytes(book: Any) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()
