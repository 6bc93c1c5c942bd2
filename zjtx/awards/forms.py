from __future__ import annotations

from django import forms

from zjtx.awards.models import FundingLevel
from zjtx.core import regions


class BudgetForm(forms.Form):
    year = forms.IntegerField(label="预算年度", min_value=2000, max_value=2100)
    funding_level = forms.ChoiceField(label="资金层级", choices=FundingLevel.choices)
    city_code = forms.ChoiceField(label="所属市（市级资金）", required=False, choices=[("", "—"), *regions.CITIES])
    line = forms.CharField(label="预算科目（留空用默认科目）", required=False, max_length=100)
    allocated = forms.CharField(label="下达额度（万元）", max_length=24)


class AccountForm(forms.Form):
    account_name = forms.CharField(label="收款户名", max_length=100)
    bank_name = forms.CharField(label="开户银行", max_length=100)
    account_no = forms.CharField(label="银行账号", max_length=40)
    note = forms.CharField(label="申请说明", required=False, max_length=500)
