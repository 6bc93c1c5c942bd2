from __future__ import annotations

import datetime as dt

from django import forms


class ParameterValueForm(forms.Form):
    start = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.CharField(label="新取值", widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="数字直接填写；结构化取值（如分档表）按 YAML 书写")
    reference = forms.CharField(label="依据文件", max_length=200, help_text="文号或文件名称")
    note = forms.CharField(label="说明", max_length=300, required=False)


class WhatIfForm(forms.Form):
    name = forms.CharField(label="方案名称", max_length=100)
    as_of = forms.DateField(label="测算日期", initial=dt.date.today, widget=forms.DateInput(attrs={"type": "date"}))
    reform_start = forms.DateField(label="调整生效日期", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text="留空表示调整适用于全部日期")

    ROWS = 4

    def __init__(self, *args: object, parameter_choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for i in range(self.ROWS):
            self.fields[f"param_{i}"] = forms.ChoiceField(label=f"参数{i + 1}", required=i == 0,
                                                          choices=[("", "—— 选择参数 ——"), *parameter_choices])
            self.fields[f"value_{i}"] = forms.CharField(label=f"新取值{i + 1}", required=False)

    def reform(self) -> dict[str, str]:
        pairs = ((self.cleaned_data.get(f"param_{i}"), self.cleaned_data.get(f"value_{i}")) for i in range(self.ROWS))
        return {p: v or "" for p, v in pairs if p}

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"param_{i}"], self[f"value_{i}"]) for i in range(self.ROWS)]
