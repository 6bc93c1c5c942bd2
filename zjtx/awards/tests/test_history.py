"""Award records read in the enterprise's change history by what they are, not by codes and ids."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zjtx.awards import services
from zjtx.awards.tests.conftest import paid_reversed_and_reissued
from zjtx.core.audit import describe_change
from zjtx.enterprises.selectors import enterprise_history

pytestmark = pytest.mark.django_db


def test_award_records_read_as_names_money_and_labels(people, ready, enterprise, applicant):
    entry = paid_reversed_and_reissued(people, ready, enterprise, applicant)
    changes = {change for event in enterprise_history(enterprise=enterprise, user=people["province"])
               for change in event.changes}
    assert ("奖补项目", None, ready.award_label) in changes  # not the code little_giant
    assert ("金额（万元）", None, "100.00") in changes  # not 100.000000
    assert ("触发事件", None, ready.event.title) in changes  # not the event's id
    assert ("列支预算", None, "2026年 省级预算") in changes
    assert ("台账分录", None, f"#{entry.pk} 拨付 100.00 万元") in changes
    assert ("账号尾号", "5678", "8888") in changes and ("开户银行", "徽商银行合肥分行", "建设银行") in changes

    page = Client()
    page.force_login(people["province"])
    history = page.get(reverse("enterprises:detail", args=[enterprise.credit_code])).content.decode()
    history = history[history.index('data-testid="history"'):]
    for raw in ("little_giant", "100.000000", "ledger_entry", "account_tail"):
        assert raw not in history


def test_budget_records_read_as_money_and_city(people):
    hefei = services.budget_set(user=people["province"], year=2026, funding_level="市级", city_code="340100",
                                allocated="50")
    assert describe_change("entitlement", "budget", hefei.pk) == ("列支预算", "2026年 合肥市市级预算")
    assert describe_change("budget", "allocated", "5000.000000") == ("下达额度（万元）", "5,000.00")
    assert describe_change("ledgerentry", "amount", "-80.000000") == ("金额（万元）", "-80.00")
    assert describe_change("entitlement", "budget", 999999) == ("列支预算", "预算 #999999")


def test_summaries_and_messages_read_money_as_the_pages(people, ready, enterprise, applicant):
    """办理记录 and error messages: 100.00 and 1,234.50 万元 like the columns beside them, not 100 and 1234.5;
    a city's budget is named by its city."""
    from zjtx.awards.models import Entitlement
    from zjtx.core.errors import ApplicationError
    from zjtx.core.models import AuditEvent

    paid_reversed_and_reissued(people, ready, enterprise, applicant)
    summaries = [e.summary for e in AuditEvent.objects.filter(target_type="entitlement", target_id=str(ready.pk))]
    assert any(s.startswith("拨付 100.00 万元") for s in summaries)
    assert any(s.startswith("冲销台账分录 #") and "（100.00 万元）" in s for s in summaries)
    assert any(s.startswith("更正重拨 100.00 万元") for s in summaries)
    budget = services.budget_set(user=people["province"], year=2026, funding_level="市级", city_code="340100",
                                 allocated="1234.5")
    assert AuditEvent.objects.filter(target_type="budget", target_id=str(budget.pk)).get().summary.startswith(
        "2026年合肥市市级预算（市级中小企业发展专项资金）下达额度 1,234.50 万元")
    city_award = Entitlement.objects.get(pk=ready.pk)
    city_award.funding_level, city_award.amount, city_award.status = "市级", 2000, "province_approval"
    city_award.save()
    over = r"超出预算：2026年合肥市市级预算（.*）剩余 1,234\.50 万元，本笔 2,000\.00 万元"
    with pytest.raises(ApplicationError, match=over):
        services.entitlement_approve(user=people["province"], entitlement=city_award)
