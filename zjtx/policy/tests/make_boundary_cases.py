"""Write ``cases/boundaries.yaml``: every threshold and band edge just under, at and just over.

Run ``python -m zjtx.policy.tests.make_boundary_cases`` after changing a threshold table below.
The numbers here are typed from the criteria (reference/criteria.md), not read from the parameter
files, so the generated cases check the parameters as well as the code.  One case per tier and
criteria set; each threshold contributes three enterprises named ``<条件>-下 / -等 / -上``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from zjtx.policy.tests.caserunner import CASES_DIR

STEP_MONEY = Decimal("0.01")
STEP_PERCENT_OF = Decimal("10000")  # denominators used for ratio boundaries (万元)

Case = dict[str, Any]
Variant = tuple[dict[str, Any], dict[int, dict[str, Any]]]
WHOLE_COLUMNS = {"rd_staff", "employees"}


class Builder:
    def __init__(self, name: str, as_of: str, data_year: int) -> None:
        self.case: Case = {
            "name": name,
            "as_of": dt.date.fromisoformat(as_of),
            "enterprises": [],
            "indicators": [],
            "expect": {"conditions": [], "points": []},
        }
        self.year = data_year

    def _add(self, code: str, enterprise: dict[str, Any], years: dict[int, dict[str, Any]]) -> None:
        self.case["enterprises"].append({"credit_code": code, **enterprise})
        for back, values in years.items():
            self.case["indicators"].append({"credit_code": code, "year": self.year - back, **values})

    def triple(
        self,
        tier: str,
        name: str,
        variants: list[tuple[dict[str, Any], dict[int, dict[str, Any]]]],
        expected: list[Any],
        kind: str = "condition",
        condition: str | None = None,
    ) -> None:
        for suffix, (enterprise, years), want in zip(("下", "等", "上"), variants, expected, strict=True):
            code = f"{tier}.{name}-{suffix}"
            self._add(code, enterprise, years)
            if kind == "condition":
                self.case["expect"]["conditions"].append(
                    {"credit_code": code, "tier": tier, "condition": condition or name, "value": want}
                )
            else:
                self.case["expect"]["points"].append(
                    {"credit_code": code, "tier": tier, "item": kind, "points": want}
                )

    # --- shapes of threshold -------------------------------------------------------------

    def money(
        self,
        tier: str,
        name: str,
        column: str,
        threshold: Any,
        *,
        back: int = 0,
        at_least: bool = True,
        enterprise_column: bool = False,
        extra: dict[int, dict[str, Any]] | None = None,
    ) -> None:
        values = _around(Decimal(str(threshold)), STEP_MONEY)
        variants: list[Variant] = []
        for value in values:
            if enterprise_column:
                variants.append(({column: float(value)}, dict(extra or {})))
            else:
                years = {k: dict(v) for k, v in (extra or {}).items()}
                years.setdefault(back, {})[column] = float(value)
                variants.append(({}, years))
        self.triple(tier, name, variants, _expect(at_least))

    def count(
        self,
        tier: str,
        name: str,
        column: str,
        threshold: int,
        *,
        yearly: bool = False,
        at_least: bool = True,
        kind: str = "condition",
        points: list[Any] | None = None,
        enterprise: dict[str, Any] | None = None,
        condition: str | None = None,
    ) -> None:
        """Whole numbers (years, counts, ranks); for ranks pass the last rank that passes, at_least=False."""
        variants: list[Variant] = []
        for value in (threshold - 1, threshold, threshold + 1):
            if yearly:
                variants.append((dict(enterprise or {}), {0: {column: value}}))
            else:
                variants.append(({**(enterprise or {}), column: value}, {}))
        self.triple(tier, name, variants, points or _expect(at_least), kind, condition)

    def share(
        self,
        tier: str,
        name: str,
        column: str,
        threshold: float,
        *,
        at_least: bool = True,
        yearly: bool = True,
    ) -> None:
        variants: list[Variant] = []
        for value in (threshold - 0.01, threshold, threshold + 0.01):
            variants.append(
                ({}, {0: {column: round(value, 2)}}) if yearly else ({column: round(value, 2)}, {})
            )
        self.triple(tier, name, variants, _expect(at_least))

    def ratio(
        self,
        tier: str,
        name: str,
        numerator: str,
        denominator: str,
        percent: Any,
        *,
        back: int = 0,
        at_least: bool = True,
        kind: str = "condition",
        points: list[Any] | None = None,
        extra: dict[int, dict[str, Any]] | None = None,
    ) -> None:
        exact = STEP_PERCENT_OF * Decimal(str(percent)) / 100
        whole = numerator in WHOLE_COLUMNS  # head counts move by one person, money by one 分 of 万元
        variants: list[Variant] = []
        for value in _around(exact, Decimal(1) if whole else STEP_MONEY):
            years = {k: dict(v) for k, v in (extra or {}).items()}
            pair = (
                {numerator: int(value), denominator: int(STEP_PERCENT_OF)}
                if whole
                else {numerator: float(value), denominator: float(STEP_PERCENT_OF)}
            )
            years.setdefault(back, {}).update(pair)
            variants.append(({}, years))
        self.triple(tier, name, variants, points or _expect(at_least), kind)

    def growth(
        self,
        tier: str,
        name: str,
        percent: Any,
        *,
        average: bool = False,
        kind: str = "condition",
        points: list[Any] | None = None,
    ) -> None:
        """Main-revenue growth (or the mean of two yearly growths, the earlier one being 0%)."""
        base = STEP_PERCENT_OF
        factor = Decimal(2) if average else Decimal(1)
        exact = base * (1 + factor * Decimal(str(percent)) / 100)
        variants: list[Variant] = []
        for value in _around(exact, STEP_MONEY):
            years = {0: {"main_revenue": float(value)}, 1: {"main_revenue": float(base)}}
            if average:
                years[2] = {"main_revenue": float(base)}
            variants.append(({}, years))
        self.triple(tier, name, variants, points or _expect(True), kind)

    def band(
        self, tier: str, item: str, shape: str, cuts: list[Any], points: list[int], **kwargs: Any
    ) -> None:
        """Every cut of a band table: just under gets the lower band, at and over the upper."""
        for index, cut in enumerate(cuts):
            expected = [points[index], points[index + 1], points[index + 1]]
            name = f"{item}@{cut}"
            if shape == "ratio":
                self.ratio(
                    tier, name, kwargs["numerator"], kwargs["denominator"], cut, kind=item, points=expected
                )
            elif shape == "growth":
                self.growth(tier, name, cut, average=kwargs.get("average", False), kind=item, points=expected)
            elif shape == "money":
                variants: list[Variant] = [
                    ({}, {0: {kwargs["column"]: float(v)}}) for v in _around(Decimal(str(cut)), STEP_MONEY)
                ]
                self.triple(tier, name, variants, expected, item)
            else:
                whole = [int(cut) - 1, int(cut), int(cut) + 1]
                self.count(
                    tier,
                    name,
                    kwargs["column"],
                    int(cut),
                    kind=item,
                    points=[_lookup(cuts, points, v) for v in whole],
                )


def _lookup(cuts: list[Any], points: list[int], value: int) -> int:
    """Points of a whole-number value: one band up for every cut it reaches."""
    return points[sum(1 for cut in cuts if value >= cut)]


def _around(value: Decimal, step: Decimal) -> list[Decimal]:
    return [value - step, value, value + step]


def _expect(at_least: bool) -> list[bool]:
    return [False, True, True] if at_least else [True, True, False]


# ---------------------------------------------------------------- the thresholds


def innovative() -> Case:
    b = Builder("边界：创新型中小企业评分各档（标准3.1）", "2024-06-01", 2023)
    b.band(
        "innovative",
        "rd_ratio",
        "ratio",
        [1, 2, 3, 5],
        [0, 5, 10, 15, 20],
        numerator="rd_expense",
        denominator="revenue",
    )
    b.band("innovative", "main_growth", "growth", [0, 5, 10, 15], [0, 5, 10, 15, 20])
    b.band(
        "innovative",
        "liability",
        "ratio",
        [55, 75],
        [10, 5, 0],
        numerator="total_liabilities",
        denominator="total_assets",
    )
    b.band(
        "innovative",
        "main_share",
        "ratio",
        [50, 55, 60, 70],
        [0, 5, 10, 15, 20],
        numerator="main_revenue",
        denominator="revenue",
    )
    b.money("innovative", "equity_3y", "equity_financing_3y", 500, enterprise_column=True)
    return b.case


def srdi_2022() -> Case:
    t = "srdi"
    b = Builder("边界：专精特新中小企业2022版条件与13项指标各档（标准3.2）", "2024-06-01", 2023)
    b.count(t, "niche_years", "niche_years", 2)
    b.money(t, "rd_expense", "rd_expense", 100)
    b.ratio(t, "rd_ratio", "rd_expense", "revenue", 3)
    b.money(t, "revenue", "revenue", 1000)
    b.money(t, "equity_2y", "equity_financing_2y", 2000, enterprise_column=True)
    b.money(t, "equity_2y_direct", "equity_financing_2y", 6000, enterprise_column=True)
    b.money(t, "rd_avg_2y", "rd_expense", 1000, extra={1: {"rd_expense": 1000}})
    b.band(
        t, "main_share", "ratio", [60, 70, 80], [0, 1, 3, 5], numerator="main_revenue", denominator="revenue"
    )
    b.band(t, "main_growth_avg", "growth", [0, 4, 6, 8, 10], [0, 2, 4, 6, 8, 10], average=True)
    b.band(t, "niche_years", "count", [2, 4, 6, 8, 10], [0, 1, 2, 3, 4, 5], column="niche_years")
    b.band(t, "digital", "count", [2, 3], [0, 3, 5], column="digital_level")
    b.band(t, "quality", "count", [1, 2], [0, 3, 5], column="quality_items")  # 每项3分，最高5分
    b.band(
        t,
        "net_margin",
        "ratio",
        [2, 4, 6, 8, 10],
        [0, 2, 4, 6, 8, 10],
        numerator="net_profit",
        denominator="revenue",
    )
    b.band(
        t,
        "liability",
        "ratio",
        [50, 60, 70],
        [5, 3, 1, 0],
        numerator="total_liabilities",
        denominator="total_assets",
    )
    b.band(t, "local", "count", [15], [14, 15], column="local_feature_score")
    b.band(t, "rd_staff", "ratio", [5, 10, 20], [0, 1, 3, 5], numerator="rd_staff", denominator="employees")
    return b.case


def srdi_2026() -> Case:
    t = "srdi"
    b = Builder("边界：专精特新中小企业2026版各项条件（标准3.6）", "2026-06-01", 2025)
    b.count(t, "niche_years", "niche_years", 3)
    b.money(t, "revenue", "revenue", 1500)
    b.money(t, "equity_2y", "equity_financing_2y", 2000, enterprise_column=True)
    b.ratio(t, "main_share", "main_revenue", "revenue", 80)
    b.ratio(t, "liability", "total_liabilities", "total_assets", 80, at_least=False)
    b.money(t, "rd_expense_y0", "rd_expense", 100)
    b.money(t, "rd_expense_y1", "rd_expense", 100, back=1)
    b.ratio(t, "rd_ratio_y0", "rd_expense", "revenue", 3)
    b.ratio(t, "rd_ratio_y1", "rd_expense", "revenue", 3, back=1)
    b.count(t, "ip_i", "ip_i_count", 1, yearly=True)
    b.share(t, "dev_score", "dev_eval_score", 50.0, yearly=False)
    return b.case


def little_giant_2022() -> Case:
    t = "little_giant"
    b = Builder('边界：“小巨人”2022版各项条件（标准3.3）', "2024-06-01", 2023)
    b.count(t, "niche_years", "niche_years", 3)
    b.ratio(t, "main_share", "main_revenue", "revenue", 70)
    b.growth(t, "main_growth_avg", 5, average=True)
    b.ratio(t, "liability", "total_liabilities", "total_assets", 70, at_least=False)
    b.share(t, "market_share", "market_share", 10.0)
    b.count(t, "ip_i", "ip_i_count", 2, yearly=True)
    b.count(
        t,
        "award_top",
        "st_award_national_rank",
        3,
        at_least=False,
        enterprise={"st_award_provincial_rank": 0},
    )
    b.count(t, "maker_china", "maker_china_rank", 50, at_least=False)
    # 营业收入1亿元分档：刚好1亿元起按3%，不足1亿元按6%（研发占比5%时前者满足、后者不满足）。
    for suffix, revenue, large, mid in (
        ("下", 9999.99, True, False),
        ("等", 10000, True, True),
        ("上", 10000.01, True, True),
    ):
        code = f"{t}.revenue_band-{suffix}"
        years: dict[int, dict[str, Any]] = {
            0: {"revenue": revenue, "rd_expense": revenue * 0.05},
            1: {"revenue": 1000, "rd_expense": 50},
        }
        b._add(code, {}, years)
        b.case["expect"]["conditions"] += [
            {"credit_code": code, "tier": t, "condition": "rd_ratio_large", "value": large},
            {"credit_code": code, "tier": t, "condition": "rd_ratio_mid", "value": mid},
        ]
    return b.case


def little_giant_2026() -> Case:
    t = "little_giant"
    b = Builder('边界：“小巨人”2026版各项条件（标准3.6）', "2026-06-01", 2025)
    b.count(t, "niche_years", "niche_years", 3)
    b.money(t, "revenue", "revenue", 5000)
    b.ratio(t, "main_share", "main_revenue", "revenue", 90)
    b.ratio(t, "liability", "total_liabilities", "total_assets", 75, at_least=False)
    b.money(t, "rd_total_2y", "rd_expense", 1200, extra={1: {"rd_expense": 0}})
    b.ratio(t, "rd_ratio_y0", "rd_expense", "revenue", 3)
    b.count(t, "ip_i", "ip_i_count", 4, yearly=True)
    b.count(t, "national_award", "st_award_national_rank", 3, at_least=False)
    b.share(t, "market_share", "market_share", 10.0)
    b.count(t, "national_rank", "national_market_rank", 3, at_least=False)
    b.share(t, "dev_score", "dev_eval_score", 60.0, yearly=False)
    b.money(t, "revenue_cagr", "revenue", Decimal("11025"), extra={2: {"revenue": 10000}})
    return b.case


def champions() -> Case:
    b = Builder("边界：单项冠军与省专精特新冠军条件", "2024-06-01", 2023)
    b.count("single_champion", "field_years", "niche_years", 10, enterprise={"main_product_is_new": False})
    b.count(
        "single_champion",
        "field_years_new",
        "niche_years",
        5,
        enterprise={"main_product_is_new": True},
        condition="field_years",
    )
    b.count("single_champion", "global_rank", "global_market_rank", 3, at_least=False)
    b.money(
        "single_champion",
        "revenue",
        "main_revenue",
        40000,
        extra={1: {"main_revenue": 40000}, 2: {"main_revenue": 40000}},
    )
    b.count("provincial_champion", "niche_years", "niche_years", 3)
    b.money("provincial_champion", "revenue", "revenue", 5000)
    b.ratio("provincial_champion", "main_revenue_share", "main_revenue", "revenue", 70)
    b.ratio("provincial_champion", "rd_ratio", "rd_expense", "revenue", 3)
    b.count("provincial_champion", "ip_i_count", "ip_i_count", 2, yearly=True)
    return b.case


def main() -> None:
    cases = [innovative(), srdi_2022(), srdi_2026(), little_giant_2022(), little_giant_2026(), champions()]
    header = "# 自动生成（zjtx/policy/tests/make_boundary_cases.py），请改生成脚本而不是本文件。\n"
    text = yaml.safe_dump(cases, allow_unicode=True, sort_keys=False, width=110)
    Path(CASES_DIR / "boundaries.yaml").write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main()
