from __future__ import annotations

from typing import Any, cast

from django import forms

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.targets import access, plan
from zjtx.targets.models import ReportedFigure

REQUIRED = {"required": "不能为空"}


class ReportForm(forms.Form):
    """One figure: a target's 完成数 for a year and place, or (province) a city's 分解目标. The service
    checks every value and names the field it refuses."""

    target = forms.ChoiceField(label="目标", error_messages=REQUIRED)
    year = forms.CharField(label="年度", max_length=4, error_messages=REQUIRED)
    city_code = forms.ChoiceField(label="地区", required=False)
    kind = forms.ChoiceField(label="类型", choices=ReportedFigure.Kind.choices, error_messages=REQUIRED)
    value = forms.CharField(label="数值", max_length=24, error_messages=REQUIRED)
    note = forms.CharField(label="说明（数据来源、口径）", required=False, max_length=300,
                           widget=forms.TextInput(attrs={"size": 40}))

    def __init__(self, *args: Any, user: User, targets: list[plan.Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = [(t.id, f"{t.clause} {t.label}（{t.unit}）") for t in targets]
        _choice(self, "target").choices = [("", "请选择"), *labels]
        _choice(self, "city_code").choices = access.reportable_places(user)
        if user.role != Role.PROVINCE:  # a city reports its 完成数; the shares are the province's
            _choice(self, "kind").choices = [(ReportedFigure.Kind.ACTUAL, ReportedFigure.Kind.ACTUAL.label)]


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class ImportForm(forms.Form):
    file = forms.FileField(label="文件（.xlsx 或 .csv）", error_messages={
        "required": "请选择要上传的 .xlsx 或 .csv 文件", "empty": "上传的文件是空的，请检查后重新选择",
        "invalid": "没有收到文件，请重新选择后上传", "missing": "没有收到文件，请重新选择后上传"})
