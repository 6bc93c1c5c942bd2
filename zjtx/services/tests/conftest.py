"""A small province for the services tests: two cities, their people, a 专精特新 enterprise in each with its
officer. The clock is pinned (settings.ZJTX_TODAY), so deadlines are reproducible."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.services import services
from zjtx.services.models import ServiceRequest

TODAY = dt.date(2026, 6, 1)  # a Monday


@pytest.fixture(autouse=True)
def _pinned_clock(settings: Any) -> None:
    settings.ZJTX_TODAY = TODAY


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    officer = make_user(Role.OFFICER, "officer", full_name="服务专员 孙明", city_code="340100",
                        organisation="合肥市中小企业服务中心")
    other_officer = make_user(Role.OFFICER, "officer2", full_name="服务专员 赵亮", city_code="340200")
    a = make_enterprise("340100", name="甲精工有限公司", county_code="340104", tier="provincial",
                        service_officer=officer)
    b = make_enterprise("340200", name="乙科技有限公司", tier="little_giant", service_officer=other_officer)
    return {
        "A": a, "B": b, "officer": officer, "other_officer": other_officer,
        "province": make_user(Role.PROVINCE, "province", full_name="省经信厅 王处长"),
        "city": make_user(Role.CITY, "hefei", city_code="340100", full_name="合肥市 李科长"),
        "county": make_user(Role.CITY, "shushan", city_code="340100", county_code="340104"),
        "other_county": make_user(Role.CITY, "baohe", city_code="340100", county_code="340111"),
        "other_city": make_user(Role.CITY, "wuhu", city_code="340200"),
        "keji": make_user(Role.DEPARTMENT, "keji", department="sci_tech", full_name="省科技厅 陈处长"),
        "caizheng": make_user(Role.DEPARTMENT, "caizheng", department="finance"),
        "qiye": make_user(Role.ENTERPRISE, "qiye", credit_code=a.credit_code, full_name="企业填报员 刘洋"),
        "qiye_b": make_user(Role.ENTERPRISE, "qiye_b", credit_code=b.credit_code),
        "bank": make_user(Role.BANK, "bank"),
        "expert": make_user(Role.EXPERT, "expert"),
    }


def filed(world: dict[str, Any], enterprise: str = "A") -> ServiceRequest:
    user = world["qiye"] if enterprise == "A" else world["qiye_b"]
    return services.request_file(user=user, enterprise=world[enterprise], category="technology",
                                 title="申报省级企业技术中心", content="希望了解申报条件和时间")


def routed(world: dict[str, Any], enterprise: str = "A", department: str = "sci_tech") -> ServiceRequest:
    return services.request_route(user=world["province"], request=filed(world, enterprise), department=department)
