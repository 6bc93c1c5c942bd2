"""A new parameter value, a what-if or a run date the engine cannot use is refused at entry, by field;
runs that fail anyway end 失败 with a reason instead of staying 计算中."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.factories import make_enterprise, make_indicator, province_user
from zjtx.core.errors import ApplicationError
from zjtx.policy import services
from zjtx.policy.models import ParameterValue, PolicyRun

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("parameter_id", "text", "message"),
    [
        ("awards.little_giant.amount", "NaN", "有限的数字"),
        ("awards.little_giant.amount", "Infinity", "有限的数字"),
        ("awards.little_giant.amount", "0.0000001", "超出分的精度"),
        ("awards.four_transformations.rate", "150", "奖补比例不能超过 100%"),
        ("criteria.2026.srdi.min_rd_ratio", "3.005", "超出可精确比较的精度"),
        ("awards.upgrade_policy", "foo", "该参数只能取：difference、full"),
        ("awards.cloud_service_provider.amount_by_rank", "[1, 2]", "应包含这些项：max_rank、amount"),
    ],
)
def test_a_value_the_engine_cannot_use_is_refused_and_nothing_is_saved(parameter_id, text, message):
    _assert_value_refused(parameter_id, text, message, start=dt.date(2026, 12, 1))


def _assert_value_refused(parameter_id: str, text: str, message: str, *, start: dt.date) -> None:
    with pytest.raises(ApplicationError) as error:
        services.parameter_value_add(user=province_user(), parameter_id=parameter_id, start=start,
                                     text=text, reference="测试文件")
    assert message in error.value.message and error.value.field == "value"
    assert not ParameterValue.objects.exists()


def test_the_parameter_page_names_the_field_of_a_bad_value():
    client = Client()
    client.force_login(province_user())
    response = client.post("/policy/p/awards.little_giant.amount/",
                           {"start": "2026-12-01", "value": "NaN", "reference": "测试文件"})
    assert response.status_code == 200 and "有限的数字" in response.content.decode()
    assert not ParameterValue.objects.exists()


def _whatif(client: Client, **values: str):
    data = {"name": "测试方案", "as_of": "2025-06-30", "param_0": "awards.little_giant.amount", "value_0": "120"}
    data.update(values)
    return client.post("/policy/whatif/", {k: v for k, v in data.items() if v is not None})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"as_of": ""}, "测算日期：这个字段是必填项"),
        ({"name": ""}, "方案名称：这个字段是必填项"),
        ({"as_of": "2022-05-31"}, "测算日期：测算日期 2022年5月31日 早于认定规则的参数生效日期，请选择 2022年6月1日"),
        ({"value_0": "NaN"}, "一次性奖补”：该参数的取值应为有限的数字"),
        ({"param_1": "awards.little_giant.amount", "value_1": "200"}, "参数2：同一参数只能调整一次"),
        ({"param_1": "awards.upgrade_policy", "value_1": ""}, "新取值2：请填写所选参数的新取值"),
        ({"param_1": "awards.upgrade_policy", "value_1": "foo"}, "新取值2：“"),
        ({"param_1": "awards.upgrade_policy", "value_1": "difference"}, "新取值与现行取值相同，模拟不会有任何变化"),
        # a value typed without choosing its parameter was dropped and the run started without it
        ({"value_1": "300"}, "参数2：请选择新取值2要调整的参数"),
    ],
)
def test_whatif_errors_name_their_field_and_start_nothing(values, message):
    client = Client()
    client.force_login(province_user())
    response = _whatif(client, **values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PolicyRun.objects.exists()


def test_a_province_run_before_the_rules_are_in_force_is_refused_on_its_date():
    client = Client()
    client.force_login(province_user())
    text = client.post("/policy/runs/", {"as_of": "2022-05-31"}).content.decode()
    # in words: the engine's own message named the parameter criteria.data_year_lag
    assert "测算日期：测算日期 2022年5月31日 早于认定规则的参数生效日期" in text and "criteria." not in text
    assert not PolicyRun.objects.exists()


def test_an_unexpected_failure_ends_the_run_with_a_reason(monkeypatch):
    make_indicator(make_enterprise(), 2024)
    run = PolicyRun.objects.create(kind=PolicyRun.Kind.EVALUATE, as_of=dt.date(2025, 6, 30))

    def broken(*args, **kwargs):
        raise OverflowError("cannot convert Infinity to integer")

    monkeypatch.setattr(services, "evaluate", broken)
    services.run_execute(run)
    run.refresh_from_db()
    assert run.status == PolicyRun.Status.FAILED and run.progress == 100
    assert run.message == "测算出错（OverflowError），请联系系统管理员查看日志"


def test_the_explanation_before_the_rules_are_in_force_says_so_instead_of_failing():
    enterprise = make_enterprise()
    client = Client()
    client.force_login(province_user())
    response = client.get(f"/policy/explain/{enterprise.credit_code}/?as_of=2022-05-31")
    text = response.content.decode()
    assert response.status_code == 200 and "请选择 2022年6月1日 或以后的日期" in text and 'min="2022-06-01"' in text
    assert "criteria." not in text  # the engine's message names a parameter id: not for this page's readers
    text = client.get(f"/policy/explain/{enterprise.credit_code}/?as_of=2026-13-45").content.decode()
    assert "测算日期“2026-13-45”不是有效日期，已按今天测算。" in text


def test_the_parameter_list_names_every_group_in_chinese_and_dates_without_quotes():
    from zjtx.policy import selectors

    rows = selectors.parameter_rows()
    assert all(not row["group"].isascii() for row in rows), {r["group"] for r in rows if r["group"].isascii()}
    assert selectors.value_text(dt.date(2022, 6, 1)) == "2022-06-01"


def test_a_rank_of_zero_reads_none_not_missing():
    from zjtx.policy.models import EnterpriseFacts

    enterprise = make_enterprise(tier="provincial")
    EnterpriseFacts.objects.create(enterprise=enterprise,
                                   data={"st_award_national_rank": 0, "st_award_provincial_rank": 0})
    client = Client()
    client.force_login(province_user())
    text = client.get(f"/policy/explain/{enterprise.credit_code}/?as_of=2026-06-30").content.decode()
    assert "近3年国家科技奖励排名：实际 无，要求 前 3 名" in text and "科技奖励排名：实际 缺" not in text


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"local_feature_score": "40"}, "特色化指标得分（省定）：不能大于 15。"),
        ({"digital_level": "99"}, "数字化水平等级：不能大于 4。"),
        ({"quality_items": "1000"}, "满足的质量管理条目数：不能大于 4。"),
        ({"equity_financing_2y": "7232.6", "equity_financing_3y": "0"}, "近3年新增股权融资不能少于近2年"),
    ],
)
def test_facts_beyond_what_the_criteria_allow_are_refused(values, message):
    from zjtx.policy.models import EnterpriseFacts

    enterprise = make_enterprise()
    client = Client()
    client.force_login(province_user())
    text = client.post(f"/policy/facts/{enterprise.credit_code}/", values).content.decode()
    assert message in text and not EnterpriseFacts.objects.exists()


def test_a_whatif_page_names_its_changed_parameters_in_chinese():
    from zjtx.policy import selectors

    run = PolicyRun.objects.create(kind=PolicyRun.Kind.WHATIF, as_of=dt.date(2025, 6, 30), name="门槛调整",
                                   reform={"criteria.innovative.min_growth": "55"})
    label = "创新型中小企业：" + services.parameter_set()["criteria.innovative.min_growth"].label  # with its tier
    assert selectors.reform_items(run) == [{"label": label, "id": "criteria.innovative.min_growth", "value": "55 分",
                                            "unused": False}]
    client = Client()
    client.force_login(province_user())
    text = client.get(f"/policy/runs/{run.pk}/").content.decode()
    assert f"调整的参数：{label} → <strong>55 分</strong>" in text and "没有用到这个参数" not in text


def test_a_whatif_of_a_parameter_the_run_did_not_read_says_the_change_makes_no_difference():
    # on 2026-11-30 专精特新 is judged by the 2026版: the 2022版 threshold is not read, nothing can change
    run = PolicyRun.objects.create(kind=PolicyRun.Kind.WHATIF, as_of=dt.date(2026, 11, 30), name="提高研发门槛",
                                   status=PolicyRun.Status.DONE, reform={"criteria.2022.srdi.min_rd_expense": "200"},
                                   parameter_versions=[{"id": "criteria.2026.srdi.min_rd_expense"}])
    client = Client()
    client.force_login(province_user())
    text = client.get(f"/policy/runs/{run.pk}/").content.decode()
    assert "<strong>200 万元</strong>" in text and "没有用到这个参数，调整对结果没有影响" in text


@pytest.mark.parametrize(
    ("parameter_id", "text", "message"),
    [
        # a list of known codes, in the parameter's defined form
        ("awards.no_application.awards", "5", "应为列表"),
        ("awards.no_application.awards", "[little_giant, lottery]", "不认识的代码：lottery"),
        ("province.emerging_industries", "5", "应为列表"),
        ("province.emerging_industries", "[新材料, 元宇宙]", "不认识的代码：元宇宙"),
        ("criteria.innovative.direct_institution_levels", "[galaxy]", "不认识的代码：galaxy"),
        # 分档表 and 名次表
        ("criteria.2022.srdi.rd_staff_points", "{cuts: [20, 10, 5], points: [0, 1, 3, 5]}", "cuts 应从小到大排列"),
        ("criteria.2022.srdi.rd_staff_points", "{cuts: [5, 10], points: [0, 1, 3, 5]}", "points 应比 cuts 多一项"),
        ("criteria.2022.srdi.rd_staff_points", "{cuts: [5, 10, 20], points: [0, 1, 3, 500]}", "该项满分 5 分"),
        ("criteria.2022.srdi.ip_points", "{i_high_value: 50, i_own: 8, i_any: 6, ii_any: 2, none: 0}", "满分 10 分"),
        ("awards.cloud_service_provider.amount_by_rank", "[{max_rank: 10, amount: -100}]", "amount 不能为负数"),
        ("awards.cloud_service_provider.amount_by_rank", "[{max_rank: 50, amount: 10}, {max_rank: 10, amount: 100}]",
         "按 max_rank 从小到大排列"),
        ("awards.cloud_service_provider.amount_by_rank", "[]", "不能为空表"),
        # numbers by unit
        ("criteria.innovative.validity_years", "2.5", "单位为“年”，取值应为整数"),
        ("tiers.city_review.days", "15.7", "单位为“日”，取值应为整数"),
        ("targets.little_giant.stock", "500.5", "单位为“家”，取值应为整数"),
        ("criteria.data_year_lag", "50", "取值应在 1—3年 之间"),
        ("targets.horizon_year", "0", "取值应在 2000—2100 之间"),
        ("criteria.2022.little_giant.max_liability", "250", "比例不能超过 100%"),
        ("criteria.2022.srdi.min_score", "150", "取值应在 0—100分 之间"),
    ],
)
def test_a_value_out_of_the_parameters_defined_form_is_refused(parameter_id, text, message):
    _assert_value_refused(parameter_id, text, message, start=dt.date(2030, 1, 1))


@pytest.mark.parametrize(
    ("parameter_id", "text"),
    [
        ("awards.no_application.awards", "[provincial_champion, little_giant, digital_assessment]"),
        ("awards.no_application.awards", "[]"),
        ("criteria.2022.srdi.rd_staff_points", "{cuts: [5, 10, 20], points: [0, 2, 4, 5]}"),
        ("criteria.single_champion.version", "2023"),
        ("criteria.single_champion.manufacturing_divisions", "[13, 43]"),
        ("targets.horizon_year", "2027"),
    ],
)
def test_a_value_in_the_defined_form_is_saved(parameter_id, text):
    services.parameter_value_add(user=province_user(), parameter_id=parameter_id, start=dt.date(2030, 1, 1),
                                 text=text, reference="测试文件")
    assert ParameterValue.objects.get().parameter_id == parameter_id


def test_a_wrong_value_saved_earlier_does_not_refuse_its_correction():
    # written past the checks (as before they existed): the correction is checked against the
    # parameter's defined form, a list of award ids, not against the wrong number
    ParameterValue.objects.create(parameter_id="awards.no_application.awards", start=dt.date(2026, 11, 29),
                                  value="5", reference="测试")
    services.parameter_value_add(user=province_user(), parameter_id="awards.no_application.awards",
                                 start=dt.date(2026, 11, 30), text="[little_giant, digital_assessment]",
                                 reference="测试文件")
    assert services.parameter_set().value("awards.no_application.awards", dt.date(2026, 12, 1)) == [
        "little_giant", "digital_assessment"]


def test_a_whatif_with_a_broken_table_is_refused_on_its_row():
    client = Client()
    client.force_login(province_user())
    response = _whatif(client, param_0="criteria.innovative.rd_ratio_points",
                       value_0="{cuts: [5, 3, 2, 1], points: [0, 5, 10, 15, 20]}")
    assert "新取值1：“" in response.content.decode() and "cuts 应从小到大排列" in response.content.decode()
    assert not PolicyRun.objects.exists()


@pytest.mark.parametrize("as_of", ["9999-12-31", "2099-12-31"])
def test_a_run_date_whose_data_year_has_not_begun_is_refused(as_of):
    client = Client()
    client.force_login(province_user())
    text = client.post("/policy/runs/", {"as_of": as_of}).content.decode()
    assert f"测算日期：测算日期 {as_of[:4]}年12月31日 要用" in text and "该年度尚未开始" in text
    text = _whatif(client, as_of=as_of).content.decode()
    assert "该年度尚未开始" in text
    assert not PolicyRun.objects.exists()


def test_a_whatif_whose_change_starts_after_its_run_date_is_refused_on_that_date():
    client = Client()
    client.force_login(province_user())
    text = _whatif(client, as_of="2025-06-30", reform_start="2025-07-01").content.decode()
    assert "调整生效日期：调整生效日期 2025年7月1日 晚于测算日期 2025年6月30日" in text
    assert not PolicyRun.objects.exists()


def test_parameter_values_read_in_chinese_with_the_typed_form_beside():
    client = Client()
    client.force_login(province_user())
    listing = client.get("/policy/?q=points").content.decode()
    assert "&lt; 5%：0分；5–10%：1分；10–20%：3分；≥ 20%：5分" in listing  # a band table as bands
    assert "国家级：10；省级：8；市级：4；县级：2；无：0" in listing
    page = client.get("/policy/p/awards.upgrade_policy/").content.decode()
    assert "就高不重复（只补差额）" in page and "录入格式：<code>difference</code>" in page
    page = client.get("/policy/p/awards.cloud_service_provider.amount_by_rank/").content.decode()
    assert "前10名 100万元；前30名 50万元；前50名 20万元" in page


def test_the_explanation_refuses_a_date_whose_data_year_has_not_begun():
    enterprise = make_enterprise()
    client = Client()
    client.force_login(province_user())
    text = client.get(f"/policy/explain/{enterprise.credit_code}/?as_of=2099-06-30").content.decode()
    assert "无法测算：测算日期 2099年6月30日 要用 2098 年度的数据，该年度尚未开始" in text
    assert 'data-testid="explain-text"' not in text
