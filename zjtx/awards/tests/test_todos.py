"""The home page's 待办事项: what waits for each role, linked to where it is done."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.awards.tests.conftest import national_entitlement
from zjtx.tiers.tests.conftest import open_batch, submit, through

pytestmark = pytest.mark.django_db


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def test_each_role_sees_what_waits_for_it(people, applicant, enterprise):
    application = through("submitted", people, applicant)
    entitlement = national_entitlement(people, enterprise)  # 小巨人: 待企业确认收款账户
    city = _home(people["city"])
    assert "申报待市级审核</a> <strong class=\"count\">1</strong>" in city
    assert f'href="/tiers/applications/{application.pk}/"' in city
    qiye = _home(applicant)
    assert "奖补待确认收款账户</a> <strong class=\"count\">1</strong>" in qiye
    assert f'href="/awards/?status={entitlement.status}"' in qiye
    assert "申报待市级审核" not in qiye
    assert "暂无待办事项" in _home(make_user(Role.BANK))
    assert "暂无待办事项" in _home(people["other_city"])  # another city's application is not its work


def test_the_province_and_experts_see_their_steps(people, applicant):
    from zjtx.tiers import services

    application = through("experts", people, applicant)
    assert "待评分的申报</a> <strong class=\"count\">1</strong>" in _home(people["experts"][0])
    assert "待省级决定" not in _home(people["province"])  # the experts' turn (tiers/todos.py)
    for expert in people["experts"]:
        services.expert_score(user=expert, application=application, score=80)
    assert "专家评分齐全，待省级决定</a> <strong class=\"count\">1</strong>" in _home(people["province"])


def test_a_returned_application_waits_for_the_enterprise(people, applicant):
    from zjtx.tiers import services

    application = submit(applicant, open_batch(people["province"]))
    services.application_city_review(user=people["city"], application=application, approve=False, reason="补材料")
    assert "申报已退回，待修改后重新提交</a> <strong class=\"count\">1</strong>" in _home(applicant)


def test_a_reversed_payment_waits_for_the_account_check_and_the_reissue(people, ready, applicant):
    """After a reversal (账号有误) nothing on the home page said the award still had to be reissued."""
    from zjtx.awards import services

    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="500")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    services.ledger_reverse(user=people["province"], entry=entry, reason="账号有误")
    assert "奖补已冲销待更正重拨</a> <strong class=\"count\">1</strong>" in _home(people["province"])
    assert "奖补已冲销，请核对或更正收款账户</a> <strong class=\"count\">1</strong>" in _home(applicant)
    services.ledger_reissue(user=people["province"], entitlement=ready, amount="100", reason="更正账号后重拨")
    assert "奖补已冲销" not in _home(people["province"]) and "奖补已冲销" not in _home(applicant)
