from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from zjtx.enterprises.models import Enterprise
from zjtx.services.models import ServiceRequest, Visit

REQUIRED = {"required": "不能为空"}
DATE_ERRORS = {"required": "不能为空", "invalid": "请按 2026-11-30 的格式填写日期"}


class EnterpriseChoiceField(forms.ModelChoiceField[Enterprise]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.credit_code}）"


def _enterprise_field(enterprises: QuerySet[Enterprise]) -> EnterpriseChoiceField:
    return EnterpriseChoiceField(label="企业", queryset=enterprises, empty_label="请选择",
                                 error_messages={"required": "请选择企业", "invalid_choice": "只能选择本人服务的企业"})


class RequestForm(forms.Form):
    category = forms.ChoiceField(label="诉求类别", choices=[("", "请选择"), *ServiceRequest.Category.choices],
                                 error_messages={"required": "请选择诉求类别"})
    title = forms.CharField(label="诉求标题", max_length=60, error_messages=REQUIRED)
    content = forms.CharField(label="诉求内容（困难和问题、希望得到的帮助）", max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 5}), error_messages=REQUIRED)

    def __init__(self, *args: Any, enterprises: QuerySet[Enterprise], choose: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose:  # an officer files for one of its enterprises; an enterprise for itself
            self.fields = {"enterprise": _enterprise_field(enterprises), **self.fields}


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages=DATE_ERRORS)
    way = forms.ChoiceField(label="走访方式", choices=[("", "请选择"), *Visit.Way.choices],
                            error_messages={"required": "请选择走访方式"})
    topics = forms.CharField(label="走访内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages=REQUIRED)
    problems = forms.CharField(label="发现的问题", required=False, max_length=1000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label="后续跟进", required=False, max_length=1000,
                                widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, enterprises: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"enterprise": _enterprise_field(enterprises), **self.fields}
