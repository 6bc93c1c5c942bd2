"""The columns of the two import templates. Headers are what officials see in Excel; fields are ours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Kind = Literal["code", "text", "city", "county", "date", "industry", "emerging", "money", "signed_money", "int",
               "percent", "year", "phone"]


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: Kind
    required: bool = False
    max_len: int = 0
    example: str = ""


ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", "code", True, 18, "91340100MA2N0T1K34"),
    Column("name", "企业名称", "text", True, 100, "合肥示例科技有限公司"),
    Column("city_code", "所在市", "city", True, 0, "合肥市"),
    Column("county_code", "所在县（区）", "county", False, 0, "蜀山区"),
    Column("founded_on", "成立日期", "date", False, 0, "2015-06-18"),
    Column("industry_code", "国民经济行业代码", "industry", True, 4, "3562"),
    Column("emerging_industry", "十大新兴产业", "emerging", False, 0, "高端装备制造"),
    Column("registered_capital", "注册资本（万元）", "money", False, 0, "5000"),
    Column("contact_name", "联系人", "text", False, 30, "张三"),
    Column("contact_phone", "联系电话", "phone", False, 20, "0551-62345678"),
)

INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", "code", True, 18, "91340100MA2N0T1K34"),
    Column("year", "年度", "year", True, 0, "2024"),
    Column("revenue", "营业收入（万元）", "money", False, 0, "12800.50"),
    Column("main_revenue", "主营业务收入（万元）", "money", False, 0, "11900"),
    Column("rd_expense", "研发费用（万元）", "money", False, 0, "820"),
    Column("employees", "员工人数", "int", False, 0, "260"),
    Column("rd_staff", "研发人员", "int", False, 0, "48"),
    Column("net_profit", "净利润（万元）", "signed_money", False, 0, "1050"),
    Column("total_assets", "资产总额（万元）", "money", False, 0, "21000"),
    Column("total_liabilities", "负债总额（万元）", "money", False, 0, "9800"),
    Column("ip_i_count", "发明专利/I类知识产权（件）", "int", False, 0, "6"),
    Column("main_product", "主导产品", "text", False, 100, "高精密减速器"),
    Column("market_share", "主导产品市场占有率（%）", "percent", False, 0, "12.5"),
    Column("financing", "融资额（万元）", "money", False, 0, "3000"),
    Column("export", "出口额（万元）", "money", False, 0, "1500"),
)

COLUMNS = {"enterprises": ENTERPRISE_COLUMNS, "indicators": INDICATOR_COLUMNS}

# Largest amount accepted in any money column: 1万亿元 expressed in 万元. Larger figures are typos.
MAX_MONEY = 100_000_000
MAX_COUNT = 10_000_000
# Earliest date accepted (成立日期), by the import and the edit page alike. Earlier ones are typos.
EARLIEST_DATE = date(1900, 1, 1)


def header_aliases(columns: tuple[Column, ...]) -> dict[str, str]:
    """Header text (Chinese, with or without the unit, or our field name) → field."""
    aliases: dict[str, str] = {}
    for col in columns:
        aliases[col.header] = col.field
        aliases[col.field] = col.field
        aliases[col.header.split("（")[0]] = col.field
    return aliases
