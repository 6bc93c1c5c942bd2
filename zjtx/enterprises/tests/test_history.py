"""The enterprise page's 变更记录: every change, by form or import, with before and after that read as the
page above them reads."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import credit_code, logged_in, make_enterprise, province_user
from zjtx.core.models import AuditEvent
from zjtx.enterprises import services
from zjtx.enterprises.models import Enterprise, ImportJob

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


def size_records(enterprise) -> list[tuple[str, object, object]]:
    events = AuditEvent.objects.filter(enterprise_code=enterprise.credit_code, action="size_change").order_by("id")
    return [(e.summary, e.before, e.after) for e in events]


def test_a_form_edit_that_changes_the_size_class_records_it_once_in_chinese():
    user = province_user()
    enterprise = make_enterprise()  # 3562, industry (工业): 120 staff and 5,000 万元 are 小型
    services.indicator_save(user=user, enterprise=enterprise, year=2024, data={
        "revenue": Decimal("5000"), "employees": 120, "total_assets": Decimal("8000")})
    services.indicator_save(user=user, enterprise=enterprise, year=2024, data={"employees": 400})  # 中型
    services.indicator_save(user=user, enterprise=enterprise, year=2024, data={"employees": 420})  # still 中型

    assert size_records(enterprise) == [
        ("企业规模重新划型（按2024年度指标；新增2024年度指标）", {"size_class": ""}, {"size_class": "small"}),
        ("企业规模重新划型（按2024年度指标；修改2024年度指标）", {"size_class": "small"}, {"size_class": "medium"})]
    history = history_of(logged_in(user), enterprise.credit_code)
    assert "企业规模：小型 → 中型" in history and "企业规模：未划型（数据不足） → 小型" in history
    assert history.count("企业规模：") == 2


def test_an_industry_change_that_moves_the_size_class_is_recorded():
    user = province_user()
    enterprise = make_enterprise()
    services.indicator_save(user=user, enterprise=enterprise, year=2024, data={
        "revenue": Decimal("5000"), "employees": 120, "total_assets": Decimal("8000")})
    # 5,000 万元 of revenue in retail (52) is 中型 there (≥ 500 万元 and ≥ 50 staff)
    services.enterprise_update(user=user, enterprise=enterprise, data={"industry_code": "5211"})

    enterprise.refresh_from_db()
    assert enterprise.size_class == "medium"
    assert size_records(enterprise)[-1] == ("企业规模重新划型（按2024年度指标；修改国民经济行业）",
                                            {"size_class": "small"}, {"size_class": "medium"})


def test_an_indicator_import_records_each_size_change_once_with_its_job(tmp_path):
    user = province_user()
    moved, kept = make_enterprise(), make_enterprise()
    first = import_indicators(tmp_path, user, [f"{moved.credit_code},2024,5000,120,9000,",
                                               f"{kept.credit_code},2024,5000,120,9000,"])
    second = import_indicators(tmp_path, user, [f"{moved.credit_code},2024,5000,400,9000,",
                                                f"{kept.credit_code},2024,5100,120,9000,"])
    import_indicators(tmp_path, user, [f"{moved.credit_code},2024,5000,400,9000,"])  # the same again

    assert size_records(moved) == [
        (f"企业规模重新划型（按2024年度指标；导入任务#{first.pk}《指标.csv》）", {"size_class": ""},
         {"size_class": "small"}),
        (f"企业规模重新划型（按2024年度指标；导入任务#{second.pk}《指标.csv》）", {"size_class": "small"},
         {"size_class": "medium"})]
    assert len(size_records(kept)) == 1  # 小型 from the start: a changed figure is no change of size
    event = AuditEvent.objects.filter(enterprise_code=moved.credit_code, action="size_change").last()
    assert (event.actor, event.target_type, event.target_id) == (user, "enterprise", moved.credit_code)
    assert "企业规模：小型 → 中型" in history_of(logged_in(user), moved.credit_code)


def test_a_long_history_is_paged_newest_first_and_keeps_its_oldest_records(tmp_path):
    from zjtx.core.audit import audit_record

    user = province_user()
    path = tmp_path / "企业.csv"
    path.write_text("统一社会信用代码,企业名称,所在市,国民经济行业代码\n"
                    f"{credit_code()},历史很长的企业有限公司,合肥市,3562\n", encoding="utf-8")
    job = services.import_from_path(user=user, kind="enterprises", mode="all", path=path)
    enterprise = Enterprise.objects.get(created_job=job)
    for n in range(1, 206):  # 205 changes: more than the 200 the page used to show, the oldest dropped
        audit_record(actor=user, action="update", target_type="enterprise", target_id=enterprise.credit_code,
                     enterprise_code=enterprise.credit_code, summary=f"第{n}次修改",
                     before={"contact_name": f"联系人{n - 1}"}, after={"contact_name": f"联系人{n}"})
    client = logged_in(user)

    first = client.get(f"/enterprises/{enterprise.credit_code}/").content.decode()
    assert "共 205 条，按时间从新到旧，本页第 1–20 条" in first and "第 1 / 11 页" in first
    shown = re.findall(r"第(\d+)次修改", history_of(client, enterprise.credit_code))
    assert shown == [str(n) for n in range(205, 185, -1)]
    assert "由导入任务" not in first  # the creation is the oldest record: on the last page

    last = client.get(f"/enterprises/{enterprise.credit_code}/?history=11").content.decode()
    timeline = re.sub(r"\s+", " ", last.split('data-testid="history"')[1].split("</ul>")[0])
    assert re.findall(r"第(\d+)次修改", timeline) == ["5", "4", "3", "2", "1"]
    assert "联系人：联系人0 → 联系人1" in timeline
    assert timeline.rindex("第1次修改") < timeline.index(f"由导入任务 #{job.pk}《企业.csv》创建")
    assert "本页第 201–205 条" in last and 'href="?history=10#history">较新的记录' in last


def test_the_enterprise_reads_that_it_was_imported_not_the_officials_file(tmp_path):
    from tests.factories import make_user

    path = tmp_path / "合肥市2025年企业名单.csv"
    path.write_text("统一社会信用代码,企业名称,所在市,国民经济行业代码\n"
                    f"{credit_code()},导入来的企业有限公司,合肥市,3562\n", encoding="utf-8")
    job = services.import_from_path(user=make_user("province", full_name="省经信厅 王处长"), kind="enterprises",
                                    mode="all", path=path)
    enterprise = Enterprise.objects.get(created_job=job)

    own = history_of(logged_in(make_user("enterprise", credit_code=enterprise.credit_code)), enterprise.credit_code)
    assert "由省经信厅 王处长批量导入创建" in own and "合肥市2025年企业名单" not in own and f"#{job.pk}" not in own
    official = history_of(logged_in(province_user()), enterprise.credit_code)
    assert f"由导入任务 #{job.pk}《合肥市2025年企业名单.csv》创建" in official
