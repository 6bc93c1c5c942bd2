"""Edits through services and pages: validation naming the field, audit with before/after, derived size."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import city_user, make_enterprise, make_indicator, province_user
from zjtx.core.audit import audit_record
from zjtx.core.errors import ApplicationError
from zjtx.core.models import AuditEvent
from zjtx.enterprises import services
from zjtx.enterprises.models import Indicator

pytestmark = pytest.mark.django_db


def test_update_is_audited_and_shown_on_the_detail_page():
    user = city_user("340100", full_name="李科长")
    enterprise = make_enterprise(name="旧名称有限公司")
    services.enterprise_update(user=user, enterprise=enterprise, data={"name": "新名称有限公司"})
    event = AuditEvent.objects.get(action="update")
    assert (event.before, event.after, event.actor_label) == ({"name": "旧名称有限公司"}, {"name": "新名称有限公司"},
                                                              "李科长")
    client = Client()
    client.force_login(user)
    history = client.get(f"/enterprises/{enterprise.credit_code}/").content.decode()
    assert "企业名称：旧名称有限公司 → 新名称有限公司" in history


def test_unchanged_save_writes_no_audit():
    user = city_user("340100")
    enterprise = make_enterprise(name="不变有限公司")
    services.enterprise_update(user=user, enterprise=enterprise, data={"name": "不变有限公司"})
    assert not AuditEvent.objects.exists()


def test_bad_input_names_the_field_and_changes_nothing():
    user = city_user("340100")
    enterprise = make_enterprise(industry_code="3562")
    with pytest.raises(ApplicationError) as error:
        services.enterprise_update(user=user, enterprise=enterprise, data={"industry_code": "99"})
    assert error.value.field == "industry_code"
    assert error.value.message.startswith("国民经济行业代码：")
    enterprise.refresh_from_db()
    assert enterprise.industry_code == "3562" and not AuditEvent.objects.exists()


def test_edit_page_shows_chinese_error_for_the_field():
    user = province_user()  # a city user is not even offered another city's counties
    enterprise = make_enterprise()
    client = Client()
    client.force_login(user)
    response = client.post(f"/enterprises/{enterprise.credit_code}/edit/", {
        "name": "某公司", "city_code": "340100", "county_code": "340202", "industry_code": "3562"})
    assert response.status_code == 200
    assert "所在县（区）不属于所选的市" in response.content.decode()


def test_size_class_follows_indicators_and_industry():
    user = city_user("340100")
    enterprise = make_enterprise(industry_code="3562")  # 工业
    services.indicator_save(user=user, enterprise=enterprise, year=2024,
                            data={"revenue": Decimal("25000"), "employees": 350, "total_assets": Decimal("1")})
    enterprise.refresh_from_db()
    assert (enterprise.size_class, enterprise.size_year) == ("medium", 2024)  # ≥300 staff and ≥2000万
    services.enterprise_update(user=user, enterprise=enterprise, data={"industry_code": "6510"})  # 软件
    enterprise.refresh_from_db()
    assert enterprise.size_class == "large"  # 软件: an SME needs < 300 staff or < 1亿 revenue; neither holds


def test_indicator_rules_are_checked():
    enterprise = make_enterprise()
    make_indicator(enterprise, 2024)
    with pytest.raises(ApplicationError) as error:
        services.indicator_save(user=city_user(), enterprise=enterprise, year=2024,
                                data={"rd_staff": 500, "employees": 100})
    assert error.value.field == "rd_staff" and "研发人员不能多于员工人数" in error.value.message


def test_name_search_finds_two_character_names_and_codes():
    from zjtx.enterprises import selectors

    user = city_user("340100")
    wanted = make_enterprise(name="合肥汉绣精工科技有限公司")
    make_enterprise(name="合肥汉服文化有限公司")
    make_enterprise(name="合肥精工绣品有限公司")

    def found(q: str) -> list[str]:
        page = selectors.enterprise_page(user=user, filters=selectors.Filters(q=q))
        return [e.name for e in page.rows]

    assert found("汉绣") == ["合肥汉绣精工科技有限公司"]
    assert found("汉绣精工") == ["合肥汉绣精工科技有限公司"]
    assert sorted(found("精工")) == ["合肥汉绣精工科技有限公司", "合肥精工绣品有限公司"]
    assert found(wanted.credit_code.lower()) == ["合肥汉绣精工科技有限公司"]
    assert found("绣精工科") == ["合肥汉绣精工科技有限公司"]
    assert found("工绣") == ["合肥精工绣品有限公司"]


@pytest.mark.parametrize("name", ["revenue", "net_profit"])
def test_an_indicator_of_1_wan_yi_yuan_or_more_is_refused_as_the_import_does(name):
    # the policy engine refuses such amounts, so one typo would stop every province-wide run
    enterprise = make_enterprise()
    with pytest.raises(ApplicationError) as error:
        services.indicator_save(user=city_user(), enterprise=enterprise, year=2024,
                                data={name: Decimal("-100000000") if name == "net_profit" else Decimal("100000000")})
    assert error.value.field == name and "数值过大（单位为万元），请核对" in error.value.message
    assert not enterprise.indicators.exists()


def test_the_history_names_coded_fields_and_takes_any_audited_value():
    user = city_user("340100")
    enterprise = make_enterprise(county_code="340122", emerging_industry="new_energy_env")
    services.enterprise_update(user=user, enterprise=enterprise, data={"county_code": "340104",
                                                                       "emerging_industry": ""})
    audit_record(actor=user, action="tiers.submit", target_type="application", target_id="1",
                 enterprise_code=enterprise.credit_code, summary="提交申报",
                 after={"status": "submitted", "attachments": ["审计报告.pdf"], "flagged": False})
    client = Client()
    client.force_login(user)
    response = client.get(f"/enterprises/{enterprise.credit_code}/")
    history = response.content.decode()
    assert response.status_code == 200
    assert "所在县（区）：肥东县 → 蜀山区" in history and "十大新兴产业：新能源和节能环保 → 空" in history
    # (PostgreSQL's jsonb orders the keys its own way: each change is looked for alone)
    for change in ("状态：空 → 待市级审核", "附件：空 → 审计报告.pdf", "引擎判定明显不符合：空 → 否"):
        assert change in history


def test_a_future_or_too_early_indicator_year_is_refused_in_chinese_never_a_500():
    enterprise = make_enterprise()
    client = Client()
    client.force_login(city_user("340100"))
    base = f"/enterprises/{enterprise.credit_code}"
    future = date.today().year + 1
    response = client.get(f"{base}/indicators/new/", {"year": future}, follow=True)
    assert response.redirect_chain[-1][0] == f"{base}/" and "年度不能晚于今年" in response.content.decode()
    for year, message in ((future, "年度不能晚于今年"), (1800, "年度不能早于1949年")):
        assert client.get(f"{base}/indicators/{year}/").status_code == 302
        response = client.post(f"{base}/indicators/{year}/", {"revenue": "100"}, follow=True)
        assert response.status_code == 200 and message in response.content.decode()
        assert "indicator_year_range" not in response.content.decode()
    assert not Indicator.objects.exists()
    with pytest.raises(ApplicationError) as error:
        services.indicator_save(user=city_user(), enterprise=enterprise, year=future, data={"revenue": 1})
    assert error.value.field == "year" and "年度不能晚于今年" in error.value.message


def _post_edit_page(enterprise, **changes: str):
    """Post the enterprise's edit form as a 合肥 city official: the required fields filled, plus changes."""
    client = Client()
    client.force_login(city_user("340100"))
    data = {"name": enterprise.name, "city_code": "340100", "county_code": "", "industry_code": "3562", **changes}
    return client.post(f"/enterprises/{enterprise.credit_code}/edit/", data)


def test_contact_phone_takes_digits_dashes_and_spaces_only():
    enterprise = make_enterprise()
    response = _post_edit_page(enterprise, contact_phone="abc-not-a-phone")
    assert response.status_code == 200 and "联系电话只能包含数字和“-”" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.contact_phone == ""
    with pytest.raises(ApplicationError) as error:
        services.enterprise_update(user=city_user(), enterprise=enterprise, data={"contact_phone": "+86(551)1"})
    assert (error.value.field, error.value.message) == ("contact_phone", "联系电话：联系电话只能包含数字和“-”")
    services.enterprise_update(user=city_user(), enterprise=enterprise, data={"contact_phone": "0551-6234 5678"})
    enterprise.refresh_from_db()
    assert enterprise.contact_phone == "0551-6234 5678"


def test_an_indicator_year_without_revenue_staff_or_assets_is_refused(tmp_path):
    enterprise = make_enterprise()
    with pytest.raises(ApplicationError) as error:
        services.indicator_save(user=city_user(), enterprise=enterprise, year=2024, data={"rd_expense": 10})
    assert error.value.field == "revenue" and "营业收入、员工人数、资产总额至少填写一项" in error.value.message
    assert not Indicator.objects.exists()
    path = tmp_path / "ind.csv"
    path.write_text("统一社会信用代码,年度,营业收入（万元）,员工人数,资产总额（万元）,研发费用（万元）\n"
                    f"{enterprise.credit_code},2024,,,,10\n", encoding="utf-8")
    job = services.import_from_path(user=province_user(), kind="indicators", mode="valid", path=path)
    assert job.errors[0]["错误原因"] == "营业收入、员工人数、资产总额至少填写一项" and not Indicator.objects.exists()


def test_the_detail_page_does_not_say_sized_by_a_year_that_could_not_size_it():
    user = city_user()
    enterprise = make_enterprise(industry_code="3562")
    services.indicator_save(user=user, enterprise=enterprise, year=2024,
                            data={"revenue": Decimal("1000"), "employees": 50})
    services.indicator_save(user=user, enterprise=enterprise, year=2025, data={"revenue": Decimal("1200")})
    client = Client()
    client.force_login(user)
    html = client.get(f"/enterprises/{enterprise.credit_code}/").content.decode()
    assert "未划型（2025年指标不足以划型）" in html
    assert "按2025年指标划型" not in html
    bare = make_enterprise()
    assert "未划型（尚无年度指标）" in client.get(f"/enterprises/{bare.credit_code}/").content.decode()


def test_a_founding_date_before_1900_is_refused_on_the_page_as_in_the_import():
    enterprise = make_enterprise(founded_on=date(2015, 6, 18))
    response = _post_edit_page(enterprise, founded_on="1800-01-01")
    assert response.status_code == 200 and "成立日期早于1900年，请核对" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.founded_on == date(2015, 6, 18) and not AuditEvent.objects.exists()


def test_the_registry_dates_by_the_sites_today_not_the_servers_clock(tmp_path, settings):
    # Settings may pin the site's today (demos, tests: the workflow's deadlines follow it). A 成立日期 or
    # 年度 after that day is refused by the service and the import alike, as the workflow counts the days.
    from zjtx.enterprises.models import indicator_year_error

    settings.ZJTX_TODAY = "2025-06-30"
    user, enterprise = province_user(), make_enterprise()
    with pytest.raises(ApplicationError, match="成立日期不能晚于今天"):
        services.enterprise_update(user=user, enterprise=enterprise, data={"founded_on": date(2025, 7, 1)})
    assert indicator_year_error(2026) == "年度不能晚于今年" and indicator_year_error(2025) is None
    path = tmp_path / "指标.csv"
    path.write_text(f"统一社会信用代码,年度,营业收入（万元）\n{enterprise.credit_code},2026,100", encoding="utf-8")
    job = services.import_from_path(user=user, kind="indicators", mode="all", path=path)
    assert job.status == "rejected" and job.errors[0]["列"] == "年度"
