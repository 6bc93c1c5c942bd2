"""Formatted xlsx exports of the registry and import templates."""

from __future__ import annotations

import io

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zjtx.core.spreadsheets import text_row
from zjtx.enterprises import industries
from zjtx.enterprises.importing.columns import COLUMNS
from zjtx.enterprises.models import Enterprise, SizeClass, Tier

EXPORT_LIMIT = 200_000
# Row 1 is the header and the import's columns carry the import's headers and values (the industry as its
# code, the name beside it), so an exported list can be corrected and imported again; the other columns
# are ignored by the import. The title, time and signature lines go to the print header/footer and to a
# second sheet, where they do not stand in the import's way.
EXPORT_HEADERS = ["统一社会信用代码", "企业名称", "所在市", "所在县（区）", "成立日期", "国民经济行业代码", "行业名称",
                  "十大新兴产业", "注册资本（万元）", "梯度层级", "企业规模", "划型年度", "联系人", "联系电话"]
WIDTHS = [22, 36, 10, 12, 12, 10, 30, 16, 16, 22, 8, 8, 10, 16]
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


def _header_cells(sheet: Worksheet, titles: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F3")
        cell.alignment = Alignment(horizontal="center")
        cells.append(cell)
    return cells


def _formatted(sheet: Worksheet, value: object, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def enterprises_xlsx(qs: QuerySet[Enterprise], *, title: str) -> bytes:
    """The list newest first, as the page shows it; header row frozen and filterable."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名单")
    for i, width in enumerate(WIDTHS):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet, EXPORT_HEADERS))
    tiers, sizes = dict(Tier.choices), dict(SizeClass.choices)
    count = 0
    for e in qs.order_by("-id").iterator(chunk_size=5000):
        sheet.append(text_row(sheet, [  # a name or contact "=…" is text, not a formula
            e.credit_code, e.name, e.city_name, e.county_name, _formatted(sheet, e.founded_on, DATE_FORMAT),
            e.industry_code, _industry_name(e.industry_code), e.emerging_label,
            _formatted(sheet, e.registered_capital, MONEY_FORMAT), tiers.get(e.tier, ""),
            sizes.get(e.size_class, ""), e.size_year, e.contact_name, e.contact_phone]))
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(EXPORT_HEADERS))}{count + 1}"
    exported_at = f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}　金额单位：万元"
    sheet.oddHeader.center.text = title
    sheet.oddFooter.left.text = "制表人：　　　审核人：　　　单位（盖章）："
    sheet.oddFooter.right.text = "第 &P 页，共 &N 页"
    sheet.print_title_rows = "1:1"
    _about_sheet(workbook, [title, exported_at, f"合计：{count} 家企业", "",
                            "“企业名单”表第1行为表头，可修改后按“企业基本信息”重新导入（其中梯度层级、企业规模、划型年度、行业名称列不导入）。",
                            "", "制表人：", "审核人：", "单位（盖章）："])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _industry_name(code: str) -> str:
    """The name of the code's 大类 ("" when the code names none)."""
    return industries.division_name(code[:2]) if industries.is_valid_industry_code(code[:2]) else ""


def _about_sheet(workbook: Workbook, lines: list[str]) -> None:
    about = workbook.create_sheet("导出说明")
    about.column_dimensions["A"].width = 80
    heading = WriteOnlyCell(about, value=lines[0])
    heading.font = Font(bold=True, size=14)
    about.append([heading])
    for line in lines[1:]:
        about.append([line])


def template_xlsx(kind: str) -> bytes:
    """The import template: headers, one example row, and a notes sheet explaining each column."""
    columns = COLUMNS[kind]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "导入数据"
    sheet.append([c.header for c in columns])
    sheet.append([c.example for c in columns])
    for i, col in enumerate(columns):
        cell = sheet.cell(row=1, column=i + 1)
        cell.font = Font(bold=True, color="C00000" if col.required else "000000")
        cell.fill = PatternFill("solid", fgColor="DDE6F3")
        sheet.column_dimensions[cell.column_letter].width = max(14, len(col.header) * 2 + 2)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "是否必填", "说明"])
    for col in columns:
        notes.append([col.header, "必填" if col.required else "选填", _explain(col.kind)])
    notes.append([])
    notes.append(["第2行为示例，导入前请删除或替换（原样保留的示例行会被拒绝）。金额单位均为万元；红色表头为必填列。"])
    notes.append([BLANK_NOTES[kind]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BLANK_NOTES = {
    "enterprises": "已在企业库中的企业：选填列留空表示保留原有内容，不会清空；需要清空请在企业信息编辑页修改。",
    "indicators": "已有的年度指标按文件整行写入：留空的指标项将被清空。",
}


def _explain(kind: str) -> str:
    return {
        "code": "18位统一社会信用代码，系统校验第18位校验码",
        "city": "安徽省16个设区市之一，如“合肥市”或行政区划代码“340100”",
        "county": "所在市下辖的县（市、区）名称（可省略“区”“县”“市”）或代码",
        "date": "格式 YYYY-MM-DD，也可填 2016年3月5日",
        "industry": "GB/T 4754-2017 国民经济行业分类的2位大类或4位小类代码",
        "emerging": "十大新兴产业名称之一，不属于则留空",
        "money": "数字，单位万元，不能为负",
        "signed_money": "数字，单位万元，亏损填负数",
        "int": "非负整数",
        "percent": "0到100之间的数字",
        "year": "四位年份，如 2024",
        "phone": "电话号码，只能包含数字和“-”，如 0551-62345678",
    }.get(kind, "文本")
