from __future__ import annotations

from typing import Any

from django import forms

from zjtx.tiers.models import BATCH_TIERS, NATIONAL_TIERS


class DateInput(forms.DateInput):
    input_type = "date"


class BatchForm(forms.Form):
    tier = forms.ChoiceField(label="层级", choices=[("", "请选择"), *BATCH_TIERS])
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="批次名称", max_length=100)
    opens_on = forms.DateField(label="申报开始日期", widget=DateInput)
    closes_on = forms.DateField(label="申报截止日期", widget=DateInput)
    city_review_deadline = forms.DateField(label="市级审核截止日期（留空按参数计算）", required=False, widget=DateInput)


class DeadlineForm(forms.Form):
    city_review_deadline = forms.DateField(label="市级审核截止日期", widget=DateInput)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ApplyForm(forms.Form):
    contact_name = forms.CharField(label="联系人", max_length=30)
    contact_phone = forms.CharField(label="联系电话", max_length=20)
    statement = forms.CharField(label="申报说明", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                max_length=2000)
    attachments = MultipleFileField(label="附件（可多选：审计报告、知识产权证明等）", required=False)


class NationalForm(forms.Form):
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18)
    tier = forms.ChoiceField(label="称号", choices=[(t, lbl) for t, lbl in BATCH_TIERS if t in NATIONAL_TIERS])
    certificate_no = forms.CharField(label="证书（文件）编号", max_length=60)
    start_date = forms.DateField(label="认定日期", widget=DateInput)


class HolidayForm(forms.Form):
    date = forms.DateField(label="日期", widget=DateInput)
    until = forms.DateField(label="结束日期（连续多天时填写，如春节 7 天）", required=False, widget=DateInput)
    is_workday = forms.BooleanField(label="调休上班（不勾选为放假）", required=False)
    name = forms.CharField(label="名称", max_length=40)


class ObjectionForm(forms.Form):
    content = forms.CharField(label="异议内容（请写明事实和依据）", max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))


class ConflictForm(forms.Form):
    credit_code = forms.CharField(label="企业统一社会信用代码", max_length=18)
    reason = forms.CharField(label="关联关系", max_length=200)
