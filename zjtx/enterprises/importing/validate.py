"""Row validation on whole columns. Each column yields a parsed value and a reason (null when fine).

Nothing here loops over rows in Python: 1,000,000 rows validate in about two seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import polars as pl

from zjtx.core import creditcode, reference, regions
from zjtx.enterprises import industries
from zjtx.enterprises.importing.columns import EARLIEST_DATE, MAX_COUNT, MAX_MONEY, Column
from zjtx.enterprises.importing.readers import ROW_NO

ERROR_SCHEMA = {ROW_NO: pl.Int64, "列": pl.String, "原值": pl.String, "错误原因": pl.String}


@dataclass
class Context:
    """What validation needs to know beyond the file: the user's city and county, and today's date."""

    city_scope: str = ""
    county_scope: str = ""
    today: date = field(default_factory=date.today)


@dataclass
class Validated:
    frame: pl.DataFrame  # parsed values for every row (invalid cells null)
    errors: pl.DataFrame  # one row per problem: 行号, 列, 原值, 错误原因

    @property
    def error_rows(self) -> set[int]:
        return set(self.errors[ROW_NO].to_list())

    def valid_frame(self) -> pl.DataFrame:
        bad = self.errors.select(ROW_NO).unique()
        return self.frame.join(bad, on=ROW_NO, how="anti")


def validate(raw: pl.DataFrame, columns: tuple[Column, ...], ctx: Context) -> Validated:
    present = [c for c in columns if c.field in raw.columns]
    parsed, reasons = [], []
    for col in present:
        value, reason = PARSERS[col.kind](pl.col(col.field), col, ctx)
        missing = pl.col(col.field).is_null()
        required_reason = pl.when(missing).then(pl.lit("必填项为空")) if col.required else None
        reason = required_reason.otherwise(reason) if required_reason is not None else reason
        parsed.append(value.alias(f"__val_{col.field}"))
        reasons.append(reason.alias(f"__err_{col.field}"))
    # One lazy pass: a parsed value that several reasons test is computed once (common subexpressions).
    checked = raw.lazy().with_columns(*reasons, *parsed).collect()
    checked = checked.drop([c.field for c in present]).rename({f"__val_{c.field}": c.field for c in present})
    checked = _cross_field(checked, present, ctx)
    errors = _collect_errors(raw, checked, present)
    frame = checked.select([ROW_NO] + [c.field for c in present])
    return Validated(frame=frame, errors=_with_duplicates(errors, frame, present))


def _collect_errors(raw: pl.DataFrame, checked: pl.DataFrame, present: list[Column]) -> pl.DataFrame:
    parts = []
    for col in present:
        err = f"__err_{col.field}"
        part = (
            checked.select(ROW_NO, pl.col(err).alias("错误原因"))
            .with_columns(raw[col.field].alias("原值"), pl.lit(col.header).alias("列"))
            .filter(pl.col("错误原因").is_not_null())
        )
        parts.append(part.select(list(ERROR_SCHEMA)))
    return pl.concat(parts) if parts else pl.DataFrame(schema=ERROR_SCHEMA)


def _with_duplicates(errors: pl.DataFrame, frame: pl.DataFrame, present: list[Column]) -> pl.DataFrame:
    keys = [k for k in ("credit_code", "year") if k in frame.columns]
    first = frame.filter(pl.col("credit_code").is_not_null()).group_by(keys).agg(pl.col(ROW_NO).min().alias("__first"))
    dup = (
        frame.join(first, on=keys, how="inner")
        .filter(pl.col(ROW_NO) != pl.col("__first"))
        .select(
            ROW_NO,
            pl.lit(present[0].header).alias("列"),
            pl.col("credit_code").alias("原值"),
            pl.format("文件内重复：与第{}行的{}相同", "__first", pl.lit("年度和信用代码" if "year" in keys
                                                           else "统一社会信用代码")).alias("错误原因"),
        )
    )
    return pl.concat([errors, dup]).sort(ROW_NO, maintain_order=True)


def _cross_field(frame: pl.DataFrame, present: list[Column], ctx: Context) -> pl.DataFrame:
    fields = {c.field for c in present}
    rules = []
    if {"revenue", "main_revenue"} <= fields:
        rules.append(("main_revenue", pl.col("main_revenue") > pl.col("revenue"), "主营业务收入不能大于营业收入"))
    if {"employees", "rd_staff"} <= fields:
        rules.append(("rd_staff", pl.col("rd_staff") > pl.col("employees"), "研发人员不能多于员工人数"))
    if {"revenue", "employees", "total_assets"} <= fields:  # as Indicator.clean; absent columns are not written
        none = pl.col("revenue").is_null() & pl.col("employees").is_null() & pl.col("total_assets").is_null()
        rules.append(("revenue", none, "营业收入、员工人数、资产总额至少填写一项"))
    if {"city_code", "county_code"} <= fields:
        county_city = pl.col("county_code").replace_strict(regions.county_city_map(), default=None)
        rules.append(("county_code", county_city != pl.col("city_code"), "所在县（区）不属于所填的市"))
    if ctx.city_scope and "city_code" in fields:
        name = regions.city_name(ctx.city_scope)
        rules.append(("city_code", pl.col("city_code") != ctx.city_scope, f"不是本市（{name}）企业，无权导入"))
    if ctx.county_scope and "city_code" in fields:  # enterprise rows; indicators are checked against the registry
        rules.append(_county_scope_rule(fields, ctx.county_scope))
    for target, broken, message in rules:
        err = f"__err_{target}"
        frame = frame.with_columns(
            pl.when(pl.col(err).is_null() & broken.fill_null(False)).then(pl.lit(message))
            .otherwise(pl.col(err)).alias(err)
        )
    return frame


def _county_scope_rule(fields: set[str], county: str) -> tuple[str, pl.Expr, str]:
    """A county user's rows must name its county; a row without one would leave its sight."""
    message = f"不是本县（区）（{regions.county_name(county)}）企业，无权导入"
    if "county_code" not in fields:  # the whole column is missing: say so on the required city column
        return "city_code", pl.lit(True), message
    return "county_code", pl.col("county_code").fill_null("") != county, message


Parser = Callable[[pl.Expr, Column, Context], tuple[pl.Expr, pl.Expr]]


def _none() -> pl.Expr:
    return pl.lit(None, dtype=pl.String)


def _half_width(col: pl.Expr) -> pl.Expr:
    """Full-width digits, letters and signs (１２３, －, ％) as typed with a Chinese input method → ASCII.
    Only for codes, numbers, dates and phones: NFKC would also change the brackets of a company's name."""
    return col.str.normalize("NFKC")


def _code(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
    value = _half_width(col).str.to_uppercase().str.replace_all(r"\s", "")
    length = value.str.len_chars()
    bad_chars = value.str.contains(f"[^{creditcode.ALPHABET}]")
    reason = (
        # The template's example row, left in the file, would create a fictitious enterprise.
        pl.when(value == spec.example).then(pl.lit("这是导入模板中的示例行，请删除或替换为真实企业后再导入"))
        .when(length != 18).then(pl.format("统一社会信用代码应为18位，实际为{}位", length))
        .when(bad_chars).then(pl.lit("统一社会信用代码含非法字符（不得含 I、O、S、V、Z）"))
        .when(~creditcode.check_expr(value)).then(pl.lit("统一社会信用代码校验位错误"))
        .otherwise(_none())
    )
    return value, reason


def _text(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
    reason = (
        pl.when(col.str.len_chars() > spec.max_len).then(pl.lit(f"{spec.header}不能超过{spec.max_len}个字"))
        .when(col.str.contains(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")).then(pl.lit(f"{spec.header}含有不可见的控制字符"))
        .otherwise(_none())
    )
    return col, reason


def _phone(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
    col = _half_width(col)
    reason = (
        pl.when(col.is_null()).then(_none())
        .when(~col.str.contains(reference.PHONE_PATTERN)).then(pl.lit(reference.PHONE_MESSAGE))
        .when(col.str.len_chars() > spec.max_len).then(pl.lit(f"{spec.header}不能超过{spec.max_len}个字"))
        .otherwise(_none())
    )
    return col, reason


def _lookup(mapping: dict[str, str], message: str) -> Parser:
    def parse(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
        value = col.replace_strict(mapping, default=None, return_dtype=pl.String)
        return value, pl.when(col.is_not_null() & value.is_null()).then(pl.lit(message)).otherwise(_none())

    return parse


def _city(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
    return _lookup(regions.city_lookup(), "所在市不是安徽省16个设区市之一")(col, spec, ctx)


def _county(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
    # County names repeat across cities (e.g. 郊区), so a name is looked up together with the city.
    city = pl.col("city_code").replace_strict(regions.city_lookup(), default=None, return_dtype=pl.String)
    by_name = pl.concat_str([city, col], separator="|").replace_strict(
        county_names(), default=None, return_dtype=pl.String)
    by_code = col.replace_strict(regions.county_city_map(), default=None, return_dtype=pl.String)
    value = pl.when(by_code.is_not_null()).then(col).otherwise(by_name)
    reason = pl.when(col.is_not_null() & value.is_null()).then(pl.lit("所在县（区）名称或代码无法识别"))
    return value, reason.otherwise(_none())


@cache
def county_names() -> dict[str, str]:
    """"city code|name" → county code, the name also without its 区/县/市 (蜀山 for 蜀山区), as a city is
    accepted without 市; a short form that two counties of one city share is left out."""
    lookup = dict(regions.county_lookup())
    short: dict[str, list[str]] = {}
    for code, name, city in regions.all_counties():
        if len(name) > 2 and name[-1] in "区县市":
            short.setdefault(f"{city}|{name[:-1]}", []).append(code)
    lookup.update({key: codes[0] for key, codes in short.items() if len(codes) == 1 and key not in lookup})
    return lookup


def _emerging(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
    return _lookup(reference.emerging_lookup(), "不是十大新兴产业之一")(col, spec, ctx)


def _industry(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
    col = _half_width(col)
    division = col.str.slice(0, 2)
    known = division.is_in(list(industries.division_codes()))
    shape = col.str.contains(r"^\d{2}(\d{2})?$")
    reason = pl.when(col.is_not_null() & ~(shape & known)).then(
        pl.lit("国民经济行业代码应为 GB/T 4754 的2位大类或4位小类代码"))
    return col, reason.otherwise(_none())


def _date(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
    # 2016年3月5日 → 2016-3-5; Excel's own dates arrive as 2016-03-05 (see readers._cell_text).
    cleaned = _half_width(col).str.replace(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$", "${1}-${2}-${3}")
    cleaned = cleaned.str.slice(0, 10)
    value = pl.coalesce([cleaned.str.to_date(fmt, strict=False)
                         for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d")])
    reason = (
        pl.when(col.is_not_null() & value.is_null()).then(pl.lit("日期格式应为 YYYY-MM-DD"))
        .when(value > ctx.today).then(pl.lit("日期不能晚于今天"))
        .when(value < EARLIEST_DATE).then(pl.lit("日期早于1900年，请核对"))
        .otherwise(_none())
    )
    return value, reason


def _number(col: pl.Expr) -> pl.Expr:
    return _half_width(col).str.replace_all(r"[,\s]", "").cast(pl.Float64, strict=False)


def _money(signed: bool) -> Parser:
    def parse(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
        number = _number(col)
        negative = pl.lit(False) if signed else number < 0
        reason = (
            pl.when(col.is_not_null() & number.is_null()).then(pl.lit(f"{spec.header}不是有效数字"))
            .when(negative).then(pl.lit(f"{spec.header}不能为负数"))
            .when(number.abs() >= MAX_MONEY).then(pl.lit(f"{spec.header}数值过大（单位为万元），请核对"))
        )
        in_range = pl.when(number.abs() < MAX_MONEY).then(number.round(2))
        value = in_range.cast(pl.Decimal(16, 2), strict=False)
        return value, reason.otherwise(_none())

    return parse


def _bounded_int(low: int, high: int, unit: str) -> Parser:
    def parse(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
        number = _number(col)
        reason = (
            pl.when(col.is_not_null() & number.is_null()).then(pl.lit(f"{spec.header}不是有效数字"))
            .when(number.is_not_null() & (number != number.floor())).then(pl.lit(f"{spec.header}应为整数"))
            .when(number < low).then(pl.lit(f"{spec.header}不能小于{low}{unit}"))
            .when(number > high).then(pl.lit(f"{spec.header}不能大于{high}{unit}"))
            .otherwise(_none())
        )
        value = pl.when(number.is_between(low, high)).then(number).cast(pl.Int64, strict=False)
        return value, reason

    return parse


def _year(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
    return _bounded_int(1949, ctx.today.year, "年")(col, spec, ctx)


def _percent(col: pl.Expr, spec: Column, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
    number = _number(_half_width(col).str.strip_chars_end("%"))
    reason = (
        pl.when(col.is_not_null() & number.is_null()).then(pl.lit(f"{spec.header}不是有效数字"))
        .when((number < 0) | (number > 100)).then(pl.lit(f"{spec.header}应在0到100之间"))
        .otherwise(_none())
    )
    in_range = pl.when(number.is_between(0, 100)).then(number.round(2))
    return in_range.cast(pl.Decimal(5, 2), strict=False), reason


PARSERS: dict[str, Parser] = {
    "code": _code,
    "text": _text,
    "phone": _phone,
    "city": _city,
    "county": _county,
    "emerging": _emerging,
    "industry": _industry,
    "date": _date,
    "money": _money(signed=False),
    "signed_money": _money(signed=True),
    "int": _bounded_int(0, MAX_COUNT, ""),
    "year": _year,
    "percent": _percent,
}
