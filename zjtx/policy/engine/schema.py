"""The input contract of the engine: which frames, which columns, which types.

Four Polars frames go in:

* ``enterprises``: one row per enterprise (the registry and the facts the registry may hold);
* ``indicators``: one row per enterprise and year (yearly financial and staff figures);
* ``events``: facts that trigger awards (a recognition, an assessment grade, a project …);
* ``prior``: entitlements already granted or paid, so a new evaluation does not grant them again.

Required columns must be present; every optional column may be absent or null.  A null input
is *unknown*, never zero: rules that need it report 数据不足 and name it.  Money is in 万元
(Decimal or float accepted); ratios entered by people (market share) are in percent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import polars as pl

Kind = Literal["str", "int", "float", "bool", "date", "money"]

DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
    "date": pl.Date(),
    "money": pl.Int64(),  # fixed point: 分 (0.000001 万元); converted on the way in
}

MONEY_SCALE = 1_000_000  # units per 万元: one unit is one 分
MONEY_LIMIT_WAN = 100_000_000  # 1万亿元: larger amounts are input errors (and would overflow)
MONEY_LIMIT = MONEY_LIMIT_WAN * MONEY_SCALE  # the same in 分


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    label: str
    required: bool = False
    allowed: tuple[str, ...] = ()
    # Text of a few allowed values that the rules compare: it also gets an integer code (its position
    # in ``allowed``, null when null or not allowed), computed once with the allowed-value check, so
    # that the rules compare small integers instead of strings (``expr.equals``).
    coded: bool = False
    # A code of decimal digits of one of these lengths (e.g. GB/T 4754: 2 or 4 digits).
    digits: tuple[int, ...] = ()


TIERS: tuple[str, ...] = (
    "innovative",
    "srdi",
    "provincial_champion",
    "little_giant",
    "single_champion",
)
TIER_LABELS: dict[str, str] = {
    "none": "无",
    "innovative": "创新型中小企业",
    "srdi": "专精特新中小企业",
    "provincial_champion": "省专精特新冠军企业",
    "little_giant": '国家级专精特新“小巨人”企业',
    "single_champion": "国家级制造业单项冠军企业",
}
# Ladder order of the plan 二(一)2: 创新型 → 省专精特新 → 省冠军 → 小巨人 → 单项冠军.
TIER_RANK: dict[str, int] = {"none": 0, **{tier: i + 1 for i, tier in enumerate(TIERS)}}

INSTITUTION_LEVELS = ("national", "provincial", "city", "county", "none")
KEY_CHAIN_CLASSES = ("key_chain", "supporting", "none")
# How people read the coded text inputs (explanations, forms).
VALUE_LABELS: dict[str, dict[str, str]] = {
    "rd_institution_level": {
        "national": "国家级", "provincial": "省级", "city": "市级", "county": "县级", "none": "无",
    },
    "key_chain_field": {"key_chain": "重点产业链关键领域", "supporting": "产业链配套领域", "none": "其他领域"},
}


def coded(name: str) -> str:
    """The name of the integer code column of a ``coded`` input."""
    return f"{name}#"

ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "str", "统一社会信用代码", required=True),
    Column("city_code", "str", "所在市（6位行政区划代码）", required=True),
    Column("county_code", "str", "所在县区（6位行政区划代码）", required=True),
    Column("industry_code", "str", "国民经济行业代码（GB/T 4754 两位大类或四位小类）", required=True, digits=(2, 4)),
    Column("emerging_industry", "str", "所属十大新兴产业（可省略，不参与认定规则）"),
    Column("founded_on", "date", "成立日期", required=True),
    Column("current_tier", "str", "现有梯度称号", required=True, allowed=("none", *TIERS)),
    Column("is_tech_sme", "bool", "有效的科技型中小企业"),
    Column("niche_years", "int", "从事特定细分市场年限（年）"),
    Column("ip_i_high_value", "int", "与主导产品相关的高价值I类知识产权数"),
    Column("ip_i_own", "int", "自主研发的I类知识产权数"),
    Column("ip_ii_count", "int", "II类知识产权数"),
    Column("rd_institution_level", "str", "自建研发机构级别", allowed=INSTITUTION_LEVELS, coded=True),
    Column("digital_level", "int", "数字化水平等级"),
    Column("quality_items", "int", "满足的质量管理条目数"),
    Column("strategic_emerging_field", "bool", "主导产品属于战略性新兴产业"),
    Column("key_chain_field", "str", "主导产品所属领域类别", allowed=KEY_CHAIN_CLASSES, coded=True),
    Column("local_feature_score", "int", "特色化指标得分（省定）"),
    Column("equity_financing_2y", "money", "近2年新增股权融资（合格机构投资者实缴，万元）"),
    Column("equity_financing_3y", "money", "近3年新增股权融资（合格机构投资者实缴，万元）"),
    Column("st_award_national_rank", "int", "近3年国家级科技奖励获奖单位排名（0＝无）"),
    Column("st_award_provincial_rank", "int", "近3年省级科技奖励获奖单位排名（0＝无）"),
    Column("maker_china_rank", "int", '近3年“创客中国”全国名次（0＝无）'),
    Column("has_honour", "bool", "有效的高新技术企业等荣誉"),
    Column("has_info_system", "bool", "核心业务采用信息系统支撑"),
    Column("has_certification", "bool", "取得管理体系或产品认证"),
    Column("has_brand", "bool", "拥有自主品牌"),
    Column("chain_role_ok", "bool", "产业链配套作用（链，省评）"),
    Column("key_field_ok", "bool", "主导产品所属领域（品，省评）"),
    Column("niche_share_leading", "bool", "细分市场占有率国内或国际领先"),
    Column("national_market_rank", "int", "主导产品全国细分市场排名"),
    Column("global_market_rank", "int", "单项产品市场占有率全球排名"),
    Column("main_product_is_new", "bool", "主导产品属新产品"),
    Column("profit_above_industry", "bool", "盈利能力高于行业平均"),
    Column("standard_setting", "bool", "主导或参与制定标准"),
    Column("compliance_ok", "bool", "近3年无重大违法违规、未列入经营异常或严重失信"),
    Column("is_production_service", "bool", "属于生产性服务业"),
    Column("dev_eval_score", "float", "本年度专精特新发展评价得分"),
    Column("dev_eval_score_prev", "float", "上一年度专精特新发展评价得分"),
)

INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "str", "统一社会信用代码", required=True),
    Column("year", "int", "年度", required=True),
    Column("revenue", "money", "营业收入（万元）"),
    Column("main_revenue", "money", "主营业务收入（万元）"),
    Column("rd_expense", "money", "研发费用（万元）"),
    Column("employees", "int", "员工人数"),
    Column("rd_staff", "int", "研发人员"),
    Column("net_profit", "money", "净利润（万元）"),
    Column("total_assets", "money", "资产总额（万元）"),
    Column("total_liabilities", "money", "负债总额（万元）"),
    Column("ip_i_count", "int", "与主导产品相关的I类知识产权数"),
    Column("market_share", "float", "主导产品国内细分市场占有率（%）"),
    Column("financing", "money", "融资额（万元）"),
    Column("export", "money", "出口额（万元）"),
)

EVENT_KINDS: tuple[str, ...] = (
    "recognized_provincial_champion",
    "recognized_little_giant",
    "recognized_single_champion",
    "relocated_little_giant",
    "relocated_single_champion",
    "industrial_internet_platform",
    "cloud_service_provider",
    "digital_assessment",
    "network_security_project",
    "four_transformations_project",
    "srdi_board_listing",
    "publicity",
    "public_service_platform_national",
)
GRADES: tuple[str, ...] = ("3A", "4A", "5A")

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "str", "统一社会信用代码", required=True),
    Column("kind", "str", "事件类型", required=True, allowed=EVENT_KINDS, coded=True),
    Column("date", "date", "事件日期", required=True),
    Column("grade", "str", "评估等级", allowed=GRADES),
    Column("amount", "money", "金额（投资额、设备购置额或费用，万元）"),
    Column("rank", "int", "择优名次"),
)

# The coded inputs and their allowed values (names are distinct across the two frames).
CODED: dict[str, tuple[str, ...]] = {c.name: c.allowed for c in (*ENTERPRISE_COLUMNS, *EVENT_COLUMNS) if c.coded}
# Money that may be negative (down to −1万亿元); every other money column and every count (but the year)
# is checked to be ≥ 0.
SIGNED_MONEY = frozenset({"net_profit"})
NONNEGATIVE = frozenset(
    c.name
    for c in (*ENTERPRISE_COLUMNS, *INDICATOR_COLUMNS, *EVENT_COLUMNS)
    if (c.kind == "money" and c.name not in SIGNED_MONEY) or (c.kind == "int" and c.name != "year")
)

PRIOR_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "str", "统一社会信用代码", required=True),
    Column("award", "str", "奖补项目", required=True),
)

# Accepted for other modules (融资额, 出口额) but read by no rule yet, so not carried or converted.
UNUSED_INDICATORS = ("financing", "export")
# Per-year indicator columns carried into the per-enterprise frame (y0 = 上年度, y1, y2 earlier).
YEARLY = tuple(c for c in INDICATOR_COLUMNS if c.name not in ("credit_code", "year", *UNUSED_INDICATORS))
YEARS_BACK = 3


def rule_years(data_year: int) -> list[int]:
    """The years of indicators the rules read, oldest first, ending with the data year."""
    return list(range(data_year - YEARS_BACK + 1, data_year + 1))

LABELS: dict[str, str] = {c.name: c.label for c in ENTERPRISE_COLUMNS + INDICATOR_COLUMNS}


class InputError(ValueError):
    """The input frames break the contract (missing required column, bad value …).

    ``problems`` lists one Chinese message per problem, naming the frame, row and field;
    ``credit_codes`` the credit codes of the rows named, where the frame has them (row numbers mean
    little when the frames come from the registry rather than a file).
    """

    def __init__(self, problems: list[str], credit_codes: list[str] | None = None) -> None:
        super().__init__("；".join(problems[:20]))
        self.problems = problems
        self.credit_codes = list(dict.fromkeys(credit_codes or []))


def column_map(columns: tuple[Column, ...]) -> Mapping[str, Column]:
    return {c.name: c for c in columns}


def empty_frame(columns: tuple[Column, ...]) -> pl.DataFrame:
    return pl.DataFrame(schema={c.name: DTYPES[c.kind] for c in columns})


def input_label(name: str, data_year: int | None = None) -> str:
    """Chinese name of a per-enterprise input column, e.g. ``revenue_y0`` → 营业收入（万元）（2023年）."""
    for back in range(YEARS_BACK):
        suffix = f"_y{back}"
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            when = (
                f"{data_year - back}年" if data_year is not None else ("上年度", "前一年度", "前两年度")[back]
            )
            return f"{LABELS.get(base, base)}（{when}）"
    return LABELS.get(name, name)


def zero_label(name: str, data_year: int | None = None) -> str:
    """What a 数据不足 lists for a ratio's base of 0, e.g. 营业收入（万元）（2025年）为0，无法计算比值."""
    return f"{input_label(name, data_year)}为0，无法计算比值"
