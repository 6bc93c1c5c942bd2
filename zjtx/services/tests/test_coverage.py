"""服务覆盖: every provincial 专精特新 enterprise or higher has one officer (parameter
services.officers_per_enterprise); figures by city, the uncovered list, assignment through the registry, export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.factories import logged_in, make_enterprise
from zjtx.core.models import AuditEvent
from zjtx.policy.models import ParameterValue
from zjtx.services import selectors, services
from zjtx.services.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def hefei(world):
    """合肥: A (covered) plus two uncovered 专精特新 enterprises and two that need no officer."""
    world["C"] = make_enterprise("340100", name="丙智造有限公司", tier="provincial_champion")
    world["D"] = make_enterprise("340100", name="丁新材有限公司", tier="single_champion", county_code="340104")
    make_enterprise("340100", name="戊创新有限公司", tier="innovative")
    make_enterprise("340100", name="己商贸有限公司")
    return world


def _row(coverage, city):
    return next((r.total, r.covered, r.uncovered, r.percent) for r in coverage.rows if r.city_code == city)


def test_coverage_counts_provincial_tiers_and_above_by_city(hefei):
    data = selectors.coverage(hefei["province"])
    assert data.required == 1
    assert len(data.rows) == 16
    assert _row(data, "340100") == (3, 1, 2, "33.3%")
    assert _row(data, "340200") == (1, 1, 0, "100.0%")
    assert _row(data, "340300") == (0, 0, 0, "—")
    assert (data.total.total, data.total.covered, data.total.percent) == (4, 2, "50.0%")
    assert [e.name for e in selectors.uncovered(hefei["province"])] == ["丁新材有限公司", "丙智造有限公司"]


def test_a_city_sees_its_own_and_a_county_its_county(hefei):
    city = selectors.coverage(hefei["city"])
    assert [(r.city_name, r.total, r.covered) for r in city.rows] == [("合肥市", 3, 1)]
    county = selectors.coverage(hefei["county"])
    assert [(r.city_name, r.total, r.covered) for r in county.rows] == [("合肥市 · 蜀山区", 2, 1)]  # A and D
    assert [e.name for e in selectors.uncovered(hefei["county"])] == ["丁新材有限公司"]


def test_a_requirement_of_two_officers_leaves_every_enterprise_uncovered(hefei):
    ParameterValue.objects.create(parameter_id="services.officers_per_enterprise", start=dt.date(2026, 1, 1),
                                  value=2, reference="测试", confirmed=True)
    data = selectors.coverage(hefei["province"])
    assert (data.required, data.total.covered, data.total.uncovered) == (2, 0, 4)


def test_loads_count_each_officers_enterprises_and_this_years_visits(hefei):
    services.visit_record(user=hefei["officer"], enterprise=hefei["A"], visited_on=TODAY, way="on_site", topics="x")
    services.visit_record(user=hefei["officer"], enterprise=hefei["A"], visited_on=dt.date(2025, 12, 30),
                          way="on_site", topics="去年")
    make_enterprise("340100", name="庚有限公司", service_officer=hefei["officer"])  # served, no tier
    loads = [(x.officer.username, x.enterprises, x.srdi, x.visits) for x in selectors.officer_loads(hefei["province"])]
    assert loads == [("officer", 2, 1, 1), ("officer2", 1, 1, 0)]
    assert [x.officer.username for x in selectors.officer_loads(hefei["other_city"])] == ["officer2"]


def test_assigning_from_the_coverage_page_uses_the_registrys_audited_assignment(hefei):
    client = logged_in(hefei["city"])
    code = hefei["C"].credit_code
    page = client.get("/services/coverage/").content.decode()
    assert f"/services/coverage/assign/{code}/" in page and "丙智造有限公司" in page
    form = client.get(f"/services/coverage/assign/{code}/").content.decode()
    assert "服务专员 孙明" in form and "服务专员 赵亮" not in form  # 芜湖's officer is not offered in 合肥
    refused = client.post(f"/services/coverage/assign/{code}/", {"officer": hefei["other_officer"].pk})
    assert "服务专员：请从列表中选择本市的服务专员" in refused.content.decode()
    hefei["C"].refresh_from_db()
    assert hefei["C"].service_officer is None
    client.post(f"/services/coverage/assign/{code}/", {"officer": hefei["officer"].pk})
    hefei["C"].refresh_from_db()
    assert hefei["C"].service_officer == hefei["officer"]
    record = AuditEvent.objects.get(action="assign_officer", target_id=code)
    assert (record.before, record.after) == ({"service_officer": None}, {"service_officer": "服务专员 孙明"})
    assert _row(selectors.coverage(hefei["city"]), "340100") == (3, 2, 1, "66.7%")


def test_another_citys_enterprise_cannot_be_assigned(hefei):
    client = logged_in(hefei["other_city"])
    assert client.get(f"/services/coverage/assign/{hefei['C'].credit_code}/").status_code == 404
    assert logged_in(hefei["keji"]).get(f"/services/coverage/assign/{hefei['C'].credit_code}/").status_code == 403


def test_the_export_holds_the_figures_the_uncovered_and_the_loads(hefei):
    response = logged_in(hefei["city"]).get("/services/coverage.xlsx")
    assert response["Content-Disposition"] == ("attachment; filename*=UTF-8''"
                                               "%E5%90%88%E8%82%A5%E5%B8%82%E6%9C%8D%E5%8A%A1%E4%B8%93%E5%91%98"
                                               "%E9%85%8D%E5%A4%87%E6%83%85%E5%86%B5_20260601.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["覆盖情况", "未配备企业", "服务专员工作量"]
    cover = [list(r) for r in book["覆盖情况"].iter_rows(min_row=1, values_only=True)]
    assert cover[0][0] == "合肥市专精特新企业服务专员配备情况"
    assert cover[2:] == [["市", "专精特新企业数", "已配备服务专员", "未配备", "覆盖率"],
                         ["合肥市", 3, 1, 2, "33.3%"], ["合计", 3, 1, 2, "33.3%"]]
    missing = [list(r) for r in book["未配备企业"].iter_rows(values_only=True)]
    assert missing == [["序号", "统一社会信用代码", "企业名称", "所在市", "梯度层级"],
                       [1, hefei["D"].credit_code, "丁新材有限公司", "合肥市", "国家级制造业单项冠军企业"],
                       [2, hefei["C"].credit_code, "丙智造有限公司", "合肥市", "省专精特新冠军企业"]]
    loads = [list(r) for r in book["服务专员工作量"].iter_rows(values_only=True)]
    assert loads[1:] == [["服务专员 孙明", "合肥市中小企业服务中心", 1, 1, 0]]


def test_a_typed_name_is_exported_as_text_never_as_a_formula(hefei):
    hefei["C"].name = "=HYPERLINK(\"http://x\")"
    hefei["C"].save()
    book = load_workbook(io.BytesIO(logged_in(hefei["province"]).get("/services/coverage.xlsx").content))
    cell = next(c for row in book["未配备企业"].iter_rows(min_row=2) for c in row if str(c.value).startswith("="))
    assert cell.data_type == "s" and cell.quotePrefix
