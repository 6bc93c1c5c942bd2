"""A small province for the finance tests: two cities, their officials, the 省地方金融监管局, two partner banks
(and a bank account naming none), enterprises in each city. The clock is pinned (settings.ZJTX_TODAY)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.enterprises.models import Enterprise
from zjtx.finance import services
from zjtx.finance.models import PushedList, Receivable

TODAY = dt.date(2026, 6, 1)  # a Monday
HUISHANG, ICBC = "徽商银行", "中国工商银行安徽省分行"


@pytest.fixture(autouse=True)
def _pinned_clock(settings: Any) -> None:
    settings.ZJTX_TODAY = TODAY


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    a = make_enterprise("340100", name="甲精工有限公司", county_code="340104", tier="provincial",
                        contact_name="张敏", contact_phone="0551-63550001", registered_capital=8642)
    b = make_enterprise("340200", name="乙科技有限公司", tier="little_giant", contact_name="王磊")
    c = make_enterprise("340100", name="丙创新有限公司", county_code="340111", tier="innovative")
    return {
        "A": a, "B": b, "C": c,
        "province": make_user(Role.PROVINCE, "province", full_name="省经信厅 王处长"),
        "city": make_user(Role.CITY, "hefei", city_code="340100", full_name="合肥市 李科长"),
        "county": make_user(Role.CITY, "shushan", city_code="340100", county_code="340104"),
        "other_city": make_user(Role.CITY, "wuhu", city_code="340200"),
        "jinrong": make_user(Role.DEPARTMENT, "jinrong", department="local_finance", full_name="省地方金融监管局"),
        "keji": make_user(Role.DEPARTMENT, "keji", department="sci_tech"),
        "bank": make_user(Role.BANK, "bank", organisation=HUISHANG, full_name="徽商银行 普惠金融部"),
        "bank2": make_user(Role.BANK, "bank2", organisation=ICBC),
        "bank_none": make_user(Role.BANK, "bank_none"),
        "qiye": make_user(Role.ENTERPRISE, "qiye", credit_code=a.credit_code, full_name="企业填报员 刘洋"),
        "qiye_b": make_user(Role.ENTERPRISE, "qiye_b", credit_code=b.credit_code),
        "officer": make_user(Role.OFFICER, "officer"),
        "expert": make_user(Role.EXPERT, "expert"),
    }


def pushed(world: dict[str, Any], banks: list[str], *enterprises: str, by: str = "province",
           title: str = "专精特新企业名单") -> PushedList:
    chosen = Enterprise.objects.filter(pk__in=[world[e].pk for e in enterprises])
    return services.list_push(user=world[by], title=title, banks=banks, enterprises=chosen, criteria="测试")


def filed(world: dict[str, Any], who: str = "qiye", amount: str = "120.5") -> Receivable:
    return services.receivable_file(user=world[who], debtor="合肥市轨道交通集团有限公司", debtor_kind="large",
                                    amount=amount, document_no="HT-2026-001", arose_on=dt.date(2026, 3, 1))
