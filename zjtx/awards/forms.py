from __future__ import annotations

from typing import Any

from django import forms

from zjtx.awards.models import FundingLevel
from zjtx.core import regions


class BudgetForm(forms.Form):
    year = forms.IntegerField(label="预算年度", min_value=2000, max_value=2100)
    funding_level = forms.ChoiceField(label="资金层级", choices=FundingLevel.choices)
    city_code = forms.ChoiceField(label="所属市（市级资金）", required=False, choices=[("", "—"), *regions.CITIES])
    line = forms.CharField(label="预算科目（留空用默认科目）", required=False, max_length=100)
    allocated = forms.CharField(label="下达额度（万元）", max_length=24)


REQUIRED = {"required": "不能为空"}
# The note each account action asks for: (label, required); 免申即享 asks for none.
ACCOUNT_NOTES: dict[str, tuple[str, bool] | None] = {
    "confirm_account": None,
    "apply": ("申请说明", False),
    "correct_account": ("更正原因", True),
}


class AccountForm(forms.Form):
    """Where the money goes, for one of ACCOUNT_NOTES' actions (the errors show at their field)."""

    account_name = forms.CharField(label="收款户名", max_length=100, error_messages=REQUIRED)
    bank_name = forms.CharField(label="开户银行", max_length=100, error_messages=REQUIRED)
    # Longer than the stored 32 digits: the number may be typed in groups (the service removes the separators).
    account_no = forms.CharField(label="银行账号", max_length=60, error_messages=REQUIRED)

    def __init__(self, *args: Any, action: str = "confirm_account", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        note = ACCOUNT_NOTES[action]
        if note is not None:
            label, required = note
            self.fields["note"] = forms.CharField(label=label, required=required, max_length=500,
                                                  error_messages=REQUIRED)
