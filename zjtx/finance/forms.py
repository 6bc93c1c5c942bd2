from __future__ import annotations

from typing import Any, cast

from django import forms

from zjtx.core import reference
from zjtx.enterprises.models import Tier
from zjtx.finance.models import ListingCandidate, Receivable
from zjtx.tiers.models import LADDER

REQUIRED = {"required": "不能为空"}
DATE_ERRORS = {"required": "不能为空", "invalid": "请按 2026-11-30 的格式填写日期"}
TIER_CHOICES = [(t, f"{Tier(t).label}及以上") for t in LADDER]


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERRORS)


class PushForm(forms.Form):
    """名单推送: a filter of the registry (city, lowest tier, 十大新兴产业) or credit codes pasted one a line."""

    title = forms.CharField(label="名单名称", max_length=60, error_messages=REQUIRED)
    banks = forms.MultipleChoiceField(label="推送至合作银行", widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": "请至少选择一家合作银行",
                                                      "invalid_choice": "请从列表中选择合作银行"})
    city = forms.ChoiceField(label="所在市", required=False)
    tier = forms.ChoiceField(label="梯度层级", choices=TIER_CHOICES, initial="provincial",
                             error_messages={"required": "请选择梯度层级"})
    emerging = forms.ChoiceField(label="十大新兴产业", required=False,
                                 choices=[("", "不限"), *reference.EMERGING_INDUSTRIES])
    codes = forms.CharField(label="或按统一社会信用代码（每行一个，填写后不按上面的条件筛选）", required=False,
                            max_length=200_000, widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(label="推送说明", required=False, max_length=300)

    def __init__(self, *args: Any, banks: list[str], cities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["banks"]).choices = [(b, b) for b in banks]
        if cities:
            cast(forms.ChoiceField, self.fields["city"]).choices = [("", "全省"), *cities]
        else:
            del self.fields["city"]  # a city pushes its own enterprises


class LoanForm(forms.Form):
    enterprise = forms.CharField(label="企业统一社会信用代码", max_length=18, error_messages=REQUIRED)
    granted_on = _date_field("放款日期")
    amount = forms.CharField(label="贷款金额（万元）", max_length=20, error_messages=REQUIRED)
    term_months = forms.CharField(label="期限（月）", max_length=5, error_messages=REQUIRED)
    rate = forms.CharField(label="年利率（%，可不填）", max_length=10, required=False)
    special = forms.BooleanField(label="专精特新专项贷款", required=False)


class ReceivableForm(forms.Form):
    debtor = forms.CharField(label="债务人名称", max_length=100, error_messages=REQUIRED)
    debtor_kind = forms.ChoiceField(label="债务人类型", choices=[("", "请选择"), *Receivable.DebtorKind.choices],
                                    error_messages={"required": "请选择债务人类型"})
    amount = forms.CharField(label="应收账款金额（万元）", max_length=20, error_messages=REQUIRED)
    document_no = forms.CharField(label="发票或合同编号", max_length=60, error_messages=REQUIRED)
    arose_on = _date_field("应收账款形成日期")


class CandidateForm(forms.Form):
    enterprise = forms.CharField(label="企业统一社会信用代码", max_length=18, error_messages=REQUIRED)
    board = forms.ChoiceField(label="拟上市板块", choices=[("", "请选择"), *ListingCandidate.Board.choices],
                              error_messages={"required": "请选择拟上市板块"})
    added_on = _date_field("入库日期")
