"""People for the 任务调度 tests, and the third quarter of 2026 opened by the province. The clock is pinned
(settings.ZJTX_TODAY) inside the fourth quarter, so the third's due date (ten working days after 30 September,
across 国庆: 20 October) is reproducible."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.duties import services
from zjtx.duties.models import Period, Report

TODAY = dt.date(2026, 10, 12)  # a Monday of the fourth quarter
Q3 = "2026-3"
WRITTEN = {"progress_status": "on_track", "progress": "召开专题推进会2次，印发年度工作要点。",
           "figures": "新增省级企业技术中心12家", "problems": "", "next_steps": "按月调度，确保按期完成。"}


@pytest.fixture(autouse=True)
def _pinned_clock(settings: Any) -> None:
    settings.ZJTX_TODAY = TODAY


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    return {
        "province": make_user(Role.PROVINCE, "province", full_name="省经信厅 王处长"),
        "city": make_user(Role.CITY, "hefei", city_code="340100"),
        "keji": make_user(Role.DEPARTMENT, "keji", department="sci_tech", full_name="省科技厅 陈处长"),
        "fagai": make_user(Role.DEPARTMENT, "fagai", department="drc", full_name="省发展改革委 周处长"),
        "shangwu": make_user(Role.DEPARTMENT, "shangwu", department="commerce"),  # named in task 15 only
        "officer": make_user(Role.OFFICER, "officer"),
        "qiye": make_user(Role.ENTERPRISE, "qiye"),
        "bank": make_user(Role.BANK, "bank"),
        "expert": make_user(Role.EXPERT, "expert"),
    }


def opened(world: dict[str, Any], key: str = Q3) -> Period:
    return services.period_open(user=world["province"], key=key)


def report(period: Period, task: int, department: str) -> Report:
    return Report.objects.get(period=period, task=task, department=department)


def submitted(world: dict[str, Any], period: Period, task: int = 1) -> Report:
    return services.report_submit(user=world["keji"], report=report(period, task, "sci_tech"), data=WRITTEN)
