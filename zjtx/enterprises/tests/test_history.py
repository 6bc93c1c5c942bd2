"""The enterprise page's 变更记录: every change, by form or import, with before and after that read as the
page above them reads."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import logged_in, make_enterprise, province_user
from zjtx.core.models import AuditEvent
from zjtx.enterprises import services
from zjtx.enterprises.models import ImportJob

pytestmark = pytest.mark.django_db

INDICATOR_HEADER = "统一社会信用代码,年度,营业收入（万元）,员工人数,资产总额（万元）,主导产品市场占有率（%）"


def history_of(client, code: str) -> str:
    page = client.get(f"/enterprises/{code}/").content.decode()
    return re.sub(r"\s+", " ", page.split('data-testid="history"')[1].split("</ul>")[0])


def import_indicators(tmp_path: Path, user, lines: list[str]) -> ImportJob:
    path = tmp_path / "指标.csv"
    path.write_text("\n".join([INDICATOR_HEADER, *lines]), encoding="utf-8")
    return services.import_from_path(user=user, kind="indicators", mode="all", path=path)


def test_an_indicator_import_writes_each_new_and_changed_figure_to_the_enterprise_history(tmp_path):
    enterprise, user = make_enterprise(), province_user()
    first = import_indicators(tmp_path, user, [f"{enterprise.credit_code},2024,5000,120,9000,12.5"])
    second = import_indicators(tmp_path, user, [f"{enterprise.credit_code},2024,6000.5,120,9000,12.5"])
    assert (first.created_rows, second.updated_rows) == (1, 1)

    history = history_of(logged_in(user), enterprise.credit_code)
    assert f"导入修改2024年度指标（导入任务#{second.pk}《指标.csv》）" in history
    assert "营业收入（万元）：5,000.00 → 6,000.50" in history
    assert f"导入新增2024年度指标（导入任务#{first.pk}《指标.csv》）" in history
    assert "员工人数：空 → 120" in history and "主导产品市场占有率（%）：空 → 12.50%" in history
    events = AuditEvent.objects.filter(enterprise_code=enterprise.credit_code, target_type="indicator")
    assert sorted(events.values_list("action", "actor", "target_id")) == [
        ("import_create", user.pk, f"{enterprise.pk}/2024"), ("import_update", user.pk, f"{enterprise.pk}/2024")]

    third = import_indicators(tmp_path, user, [f"{enterprise.credit_code},2024,6000.5,120,9000,12.5"])
    assert third.unchanged_rows == 1 and events.count() == 2  # the same file again records nothing


def test_history_reads_dates_and_amounts_as_the_page_above_it(tmp_path):
    user = province_user()
    enterprise = make_enterprise(founded_on=date(2016, 3, 5), registered_capital=Decimal("1234.5"))
    services.enterprise_update(user=user, enterprise=enterprise, data={
        "founded_on": date(2018, 7, 1), "registered_capital": Decimal("8000")})
    import_indicators(tmp_path, user, [f"{enterprise.credit_code},2024,12800.5,120,9000,"])

    page = logged_in(user).get(f"/enterprises/{enterprise.credit_code}/").content.decode()
    assert "<dt>成立日期</dt><dd>2018-07-01</dd>" in page
    assert "<dt>注册资本</dt><dd>8,000.00 万元</dd>" in page
    assert '<td class="num">12,800.50</td>' in page  # the indicator table
    history = history_of(logged_in(user), enterprise.credit_code)
    assert "成立日期：2016-03-05 → 2018-07-01" in history
    assert "注册资本（万元）：1,234.50 → 8,000.00" in history
    assert "营业收入（万元）：空 → 12,800.50" in history
