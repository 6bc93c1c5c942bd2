"""Writes of 目标监测: a reported figure (完成数 or 分解目标), checked by field and audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from zjtx.accounts.models import User
from zjtx.core import clock, regions
from zjtx.core.audit import audit_record
from zjtx.core.errors import ApplicationError
from zjtx.core.text import clean_text
from zjtx.policy.engine import ParameterSet
from zjtx.policy.services import parameter_set
from zjtx.targets import access, plan
from zjtx.targets.models import ReportedFigure

NUMBER_TEXT = re.compile(r"^[0-9]+(\.[0-9]+)?$")  # plain decimal digits: no sign, no 1e3, no "NaN"
LIMIT = Decimal("999999999999.99")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Checked:
    """One figure as it will be stored, every value checked."""

    target: plan.Target
    year: int
    city_code: str
    kind: str
    value: Decimal
    note: str


def figure_report(*, user: User, target: str, year: Any, city_code: str, kind: str, value: Any,
                  note: str = "") -> ReportedFigure:
    """Record (or change) one figure; the same target, year, place and kind is one row, changed in place."""
    checked = check(parameter_set(), user=user, target=target, year=year, city_code=city_code, kind=kind,
                    value=value, note=note)
    with transaction.atomic():
        return save_checked(user, checked)


def check(p: ParameterSet, *, user: User, target: str, year: Any, city_code: str, kind: str, value: Any,
          note: str = "") -> Checked:
    """Every value of one figure checked, or an ApplicationError naming the first field refused."""
    t = plan.target(p, target)
    if t is None:
        raise ApplicationError("不是方案中的目标，请按目标总览中的名称填写", field="target")
    if kind not in ReportedFigure.Kind.values:
        raise ApplicationError("请选择填报类型（完成数或分解目标）", field="kind")
    found_year = _year(year, t)
    city_code = _place(city_code, kind)
    access.require_report(user, city_code, kind)
    if t.computed and kind == ReportedFigure.Kind.ACTUAL:
        raise ApplicationError(f"“{t.label}”的完成数由系统按认定记录统计，不能填报", field="target")
    number = _value(value, t)
    note = clean_text(note, "note", "说明", required=False, max_length=300)
    return Checked(t, found_year, city_code, kind, number, note)


def _year(year: Any, t: plan.Target) -> int:
    current = clock.today().year
    try:
        found = int(str(year).strip())
    except ValueError:
        raise ApplicationError("年度应为四位年份", field="year") from None
    if not t.start_year <= found <= current:
        raise ApplicationError(f"年度应在 {t.start_year} 至 {current} 年之间", field="year")
    return found


def _place(city_code: str, kind: str) -> str:
    city_code = (city_code or "").strip()
    if city_code and city_code not in dict(regions.CITIES):
        raise ApplicationError("地区应为全省或16个市之一", field="city_code")
    if kind == ReportedFigure.Kind.ALLOCATION and not city_code:
        raise ApplicationError("分解目标应选择一个市", field="city_code")
    return city_code


def _value(value: Any, t: plan.Target) -> Decimal:
    text = str(value if value is not None else "").strip().replace(",", "")
    if not text:
        raise ApplicationError("数值不能为空", field="value")
    if not NUMBER_TEXT.match(text):
        raise ApplicationError("数值应为不小于0的数字", field="value")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ApplicationError("数值应为不小于0的数字", field="value") from None
    if number > LIMIT:
        raise ApplicationError("数值过大，请核对单位", field="value")
    if t.whole and number != number.to_integral_value():
        raise ApplicationError(f"数值应为整数（单位：{t.unit}）", field="value")
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ApplicationError("数值最多保留两位小数", field="value")
    return number.quantize(CENT)  # as stored, so the audit record's before and after read alike


def save_checked(user: User, c: Checked, source: str = "") -> ReportedFigure:
    """Store one checked figure inside the caller's transaction, with its audit record (unchanged: none)."""
    place = regions.city_name(c.city_code) if c.city_code else "全省"
    figure = (ReportedFigure.objects.select_for_update()
              .filter(target=c.target.id, year=c.year, city_code=c.city_code, kind=c.kind).first())
    before = {"value": figure.value, "note": figure.note} if figure else None
    if figure is None:
        figure = ReportedFigure(target=c.target.id, year=c.year, city_code=c.city_code, kind=c.kind)
    elif figure.value == c.value and figure.note == c.note:
        return figure
    figure.value, figure.note, figure.reported_by = c.value, c.note, user
    figure.save()
    verb = "修改" if before else "填报"
    audit_record(actor=user, action=f"targets.figure_{'change' if before else 'report'}",
                 target_type="reportedfigure", target_id=str(figure.pk),
                 summary=f"{verb}{place}{c.year}年“{c.target.label}”{ReportedFigure.Kind(c.kind).label}："
                         f"{_shown(c.value)}{c.target.unit}{source}",
                 before=before, after={"value": c.value, "note": c.note})
    return figure


def _shown(number: Decimal) -> str:
    return f"{number.normalize():f}" if number == number.to_integral_value() else f"{number:f}"
