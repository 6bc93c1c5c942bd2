from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from zjtx.core import clock
from zjtx.core.templatetags.money import wan
from zjtx.enterprises.models import Enterprise
from zjtx.policy.engine.schema import GRADES, MONEY_LIMIT_WAN, VALUE_LABELS, Column
from zjtx.policy.frames import FACT_COLUMNS
from zjtx.policy.models import EVENT_KIND_LABELS, ProgrammeEvent

# The facts form edits ``EnterpriseFacts.data``: what the rules read beyond the registry's own fields
# and the yearly indicators.  An empty field is unknown: the rules that need it report 数据不足.
UNKNOWN = ("", "未知（数据不足）")


# The longest parameter value (a table of a few dozen rows) takes a few hundred characters.
VALUE_MAX_LENGTH = 2000


class ParameterValueForm(forms.Form):
    start = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.CharField(label="新取值", widget=forms.Textarea(attrs={"rows": 3}), max_length=VALUE_MAX_LENGTH,
                            help_text="数字直接填写；结构化取值（如分档表）按 YAML 书写")
    reference = forms.CharField(label="依据文件", max_length=200, help_text="文号或文件名称")
    note = forms.CharField(label="说明", max_length=300, required=False)


class ProvinceRunForm(forms.Form):
    as_of = forms.DateField(label="测算日期", initial=clock.today, widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="按当日有效的参数、用上年度数据测算全省企业库")


class WhatIfForm(forms.Form):
    name = forms.CharField(label="方案名称", max_length=100)
    as_of = forms.DateField(label="测算日期", initial=clock.today, widget=forms.DateInput(attrs={"type": "date"}))
    reform_start = forms.DateField(label="调整生效日期", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text="留空表示调整适用于全部日期")

    ROWS = 4

    def __init__(self, *args: object, parameter_choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for i in range(self.ROWS):
            self.fields[f"param_{i}"] = forms.ChoiceField(label=f"参数{i + 1}", required=i == 0,
                                                          choices=[("", "—— 选择参数 ——"), *parameter_choices])
            self.fields[f"value_{i}"] = forms.CharField(label=f"新取值{i + 1}", required=False,
                                                        max_length=VALUE_MAX_LENGTH)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen: set[str] = set()
        for i in range(self.ROWS):
            chosen = cleaned.get(f"param_{i}")
            if chosen and chosen in seen:
                self.add_error(f"param_{i}", "同一参数只能调整一次，请在一行中填写它的新取值")
            elif chosen and not (cleaned.get(f"value_{i}") or "").strip():
                self.add_error(f"value_{i}", "请填写所选参数的新取值")
            elif not chosen and (cleaned.get(f"value_{i}") or "").strip():
                self.add_error(f"param_{i}", f"请选择新取值{i + 1}要调整的参数")
            seen.add(chosen or "")
        return cleaned

    def reform(self) -> dict[str, str]:
        pairs = ((self.cleaned_data.get(f"param_{i}"), self.cleaned_data.get(f"value_{i}")) for i in range(self.ROWS))
        return {p: v or "" for p, v in pairs if p}

    def add_service_error(self, field: str | None, message: str) -> None:
        """A refusal of the service, beside the field it names: the date, or the row of a parameter."""
        if field in ("as_of", "reform_start"):
            self.add_error(field, message)
            return
        rows = [i for i in range(self.ROWS) if self.cleaned_data.get(f"param_{i}") == field]
        self.add_error(f"value_{rows[0]}" if rows else None, message)

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"param_{i}"], self[f"value_{i}"]) for i in range(self.ROWS)]


class FactsForm(forms.Form):
    """One field per fact of ``FACT_COLUMNS``, typed by its kind; empty means unknown."""

    # Upper bounds the criteria give a fact: the national 数字化水平评测 has four levels, and four
    # quality-management items are listed (标准3.2 指标5、6); the province's 特色化 score is capped by
    # the parameter of its maximum, which the view passes in (``limits``).
    MAXIMA = {"digital_level": 4, "quality_items": 4}

    def __init__(self, *args: Any, limits: dict[str, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        maxima = {**self.MAXIMA, **(limits or {})}
        for column in FACT_COLUMNS:
            self.fields[column.name] = _fact_field(column, maxima.get(column.name))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        two, three = cleaned.get("equity_financing_2y"), cleaned.get("equity_financing_3y")
        if two is not None and three is not None and three < two:
            self.add_error("equity_financing_3y", "近3年新增股权融资不能少于近2年（近3年包含近2年）")
        return cleaned

    @staticmethod
    def initial_from(data: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for column in FACT_COLUMNS:
            value = data.get(column.name)
            if value is None:
                continue
            initial[column.name] = ("true" if value else "false") if column.kind == "bool" else value
        return initial

    def values(self) -> dict[str, Any]:
        """The facts as JSON values (money and scores as numbers), None where unknown."""
        found: dict[str, Any] = {}
        for column in FACT_COLUMNS:
            value = self.cleaned_data.get(column.name)
            if value in (None, ""):
                found[column.name] = None
            elif column.kind == "bool":
                found[column.name] = value == "true"
            elif isinstance(value, Decimal):
                found[column.name] = float(value)
            else:
                found[column.name] = value
        return found


def _fact_field(column: Column, maximum: int | None = None) -> forms.Field:
    label = column.label
    if column.kind == "bool":
        return forms.ChoiceField(label=label, required=False, choices=[UNKNOWN, ("true", "是"), ("false", "否")])
    if column.allowed:
        names = VALUE_LABELS.get(column.name, {})
        return forms.ChoiceField(label=label, required=False,
                                 choices=[UNKNOWN, *[(v, names.get(v, v)) for v in column.allowed]])
    if column.kind == "int":
        return forms.IntegerField(label=label, required=False, min_value=0, max_value=maximum or 100_000,
                                  help_text=f"0–{maximum}" if maximum else "")
    if column.kind == "money":
        return WanField(label=label, required=False, min_value=Decimal(0), max_value=Decimal(MONEY_LIMIT_WAN),
                        max_digits=16, decimal_places=2, help_text="万元，如 8,000.50")
    return forms.DecimalField(label=label, required=False, min_value=Decimal(0), max_value=Decimal(100),
                              max_digits=5, decimal_places=2, help_text="0–100 分")


class WanField(forms.DecimalField):
    """An amount of 万元 shown as every page shows money (8,000.50, ``wan``) and read back the same way:
    thousands separators (half- or full-width commas) and spaces are dropped before the number is read."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})  # a number box cannot show 8,000.50

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = "".join(value.split()).replace(",", "").replace("，", "")
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        # The stored figure (a number) in the site's format; what was typed (text) stays as typed.
        return wan(value) if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) else value


# What an event of each kind carries besides its date, because its award reads it (parameters
# ``awards.*``): the assessment grade, the provider's merit rank, or the amount a rate applies to.
EVENT_NEEDS = {
    "digital_assessment": "grade",
    "cloud_service_provider": "rank",
    "network_security_project": "amount",
    "four_transformations_project": "amount",
    "publicity": "amount",
}
NEED_LABELS = {"grade": "评估等级", "rank": "择优名次", "amount": "金额（万元）"}


class EventForm(forms.ModelForm):
    """A programme event of one enterprise, checked the way its award will read it."""

    class Meta:
        model = ProgrammeEvent
        fields = ["kind", "date", "grade", "amount", "rank"]
        field_classes = {"amount": WanField}  # shown and read as the site writes money: 5,116.48
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "amount": "网络安全项目填投资额，“四化”改造填设备购置额，宣传推广填费用",
            "rank": "上云上平台服务商的择优名次",
        }

    def __init__(self, *args: Any, enterprise: Enterprise, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enterprise, self.today = enterprise, today
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "—— 选择事件类型 ——"), *EVENT_KIND_LABELS.items()]
        grade = self.fields["grade"]
        assert isinstance(grade, forms.ChoiceField)
        grade.choices = [("", "—— 无 ——"), *[(g, g) for g in GRADES]]
        # Our own messages only (Django's add a second, differently worded one): the engine refuses
        # amounts beyond 1万亿元 (its exact arithmetic in 分 is bounded there) and finer than 分.
        too_much = _at_most(MONEY_LIMIT_WAN, "金额不能超过1万亿元（100000000万元）")
        self.fields["amount"].validators = [_positive, too_much, _cents]
        self.fields["rank"].validators = [_positive, _at_most(MAX_RANK, f"择优名次不能超过 {MAX_RANK}")]

    def clean_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        if date > self.today:
            raise forms.ValidationError("事件日期不能晚于今天")
        if date.year < 2000:
            raise forms.ValidationError("事件日期不能早于2000年")
        return date

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if not kind:
            return data
        needed = EVENT_NEEDS.get(kind)
        for name, label in NEED_LABELS.items():
            given = data.get(name) not in (None, "")
            if name == needed and not given and name not in self.errors:
                self.add_error(name, f"{_quoted(EVENT_KIND_LABELS[kind])}需要填写{label}")
            elif name != needed and given and name not in self.errors:
                self.add_error(name, f"{_quoted(EVENT_KIND_LABELS[kind])}不用填写{label}")
        date = data.get("date")
        recorded = ProgrammeEvent.objects.filter(enterprise=self.enterprise, kind=kind).exclude(pk=self.instance.pk)
        if date is not None and recorded.filter(date=date).exists():
            self.add_error("date", "该企业这一天已录入同类事件，不能重复录入")
        return data


MAX_RANK = 100_000  # a merit rank beyond any list; the database column holds far more


def _positive(value: Any) -> None:
    if value is not None and value <= 0:
        raise forms.ValidationError("应大于0")


def _at_most(limit: int, message: str) -> Any:
    def check(value: Any) -> None:
        if value is not None and value > limit:
            raise forms.ValidationError(message)

    return check


def _cents(value: Any) -> None:
    if isinstance(value, Decimal) and value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise forms.ValidationError("金额最多保留两位小数（到分）")


def _quoted(name: str) -> str:
    """“name”, unless the name carries its own quotes (“精品安徽 皖美智造”宣传推广)."""
    return name if "“" in name else f"“{name}”"
