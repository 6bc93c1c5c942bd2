"""Who sees 目标监测, reporting a figure (refusals by field, nothing stored, every change audited), exports."""

from __future__ import annotations

from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.factories import city_user, logged_in, make_user
from zjtx.accounts.roles import Role
from zjtx.core.models import AuditEvent
from zjtx.targets.models import ReportedFigure

pytestmark = pytest.mark.django_db

HEFEI, WUHU = "340100", "340200"
ROBOTS = "targets.industrial_robots.yearly"


def user_of(role: str):
    if role == Role.CITY:
        return city_user(HEFEI)
    return make_user(role, **({"department": "sci_tech"} if role == Role.DEPARTMENT else {}))


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.CITY, Role.DEPARTMENT])
def test_roles_that_see_the_module_find_it_in_the_menu(role):
    client = logged_in(user_of(role))
    assert 'href="/targets/"' in client.get("/").content.decode()
    assert client.get("/targets/").status_code == 200
    assert client.get(f"/targets/{ROBOTS}/").status_code == 200
    assert client.get("/targets/export.xlsx").status_code == 200


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.BANK, Role.OFFICER, Role.EXPERT])
def test_other_roles_neither_see_nor_open_it(role):
    client = logged_in(make_user(role))
    assert 'href="/targets/"' not in client.get("/").content.decode()
    for url in ("/targets/", f"/targets/{ROBOTS}/", "/targets/report/", "/targets/export.xlsx",
                "/targets/cities.xlsx"):
        assert client.get(url).status_code == 403, url


def test_a_city_reads_its_own_city_and_the_province_never_another_city():
    ReportedFigure.objects.create(target=ROBOTS, year=2025, city_code=HEFEI, value=D(3111))
    ReportedFigure.objects.create(target=ROBOTS, year=2025, city_code=WUHU, value=D(2222))
    client = logged_in(city_user(HEFEI))
    page = client.get("/targets/").content.decode()
    assert '<option value="340100"' in page and '<option value="340200"' not in page
    assert "3,111" not in page  # the province's view by default: 全省 (not reported here)
    assert "3,111" in client.get("/targets/?city=340100").content.decode()
    other = client.get("/targets/?city=340200").content.decode()  # not its city: the province instead
    assert "2,222" not in other and "目标监测 · 全省" in other
    detail = client.get(f"/targets/{ROBOTS}/?city=340200&year=2025").content.decode()
    assert 'data-testid="city-table"' not in detail and "2,222" not in detail
    assert client.get("/targets/cities.xlsx").status_code == 403
    own = client.get(f"/targets/{ROBOTS}/?city=340100").content.decode()
    assert "每年<b>8,000</b>台左右（以全省计）" in own  # the plan's target, though 合肥 has no share of it
    assert "未分解目标，不作结论" in own and 'class="tag"></span>' not in own


def test_a_city_reads_the_reports_of_its_own_city_and_the_province_in_a_figure_s_history_never_another_city():
    from zjtx.targets import services

    services.figure_report(user=city_user(WUHU), target=ROBOTS, year=2025, city_code=WUHU, kind="actual",
                           value="2222")
    services.figure_report(user=user_of(Role.PROVINCE), target=ROBOTS, year=2025, city_code=WUHU,
                           kind="allocation", value="1500")
    services.figure_report(user=city_user(HEFEI), target=ROBOTS, year=2025, city_code=HEFEI, kind="actual",
                           value="3111")
    services.figure_report(user=user_of(Role.PROVINCE), target=ROBOTS, year=2025, city_code="", kind="actual",
                           value="9000")
    page = logged_in(city_user(HEFEI)).get(f"/targets/{ROBOTS}/").content.decode()
    history = page.split('data-testid="history"')[1].split("</ul>")[0]
    assert "合肥市2025年“每年推广应用工业机器人”完成数：3111台" in history
    assert "全省2025年“每年推广应用工业机器人”完成数：9000台" in history
    assert "芜湖" not in history and "2222" not in history and "1500" not in history
    province = logged_in(user_of(Role.PROVINCE)).get(f"/targets/{ROBOTS}/").content.decode()
    assert "芜湖市2025年“每年推广应用工业机器人”完成数：2222台" in province  # the province reads every city's


def test_the_province_sees_every_city_ranked():
    ReportedFigure.objects.create(target=ROBOTS, year=2025, city_code=WUHU, value=D(2222))
    page = logged_in(user_of(Role.PROVINCE)).get(f"/targets/{ROBOTS}/?year=2025").content.decode()
    assert 'data-testid="city-table"' in page and page.count('<tr data-city=') == 16
    assert "2,222" in page


def test_a_department_reads_but_does_not_report():
    client = logged_in(user_of(Role.DEPARTMENT))
    assert client.get("/targets/report/").status_code == 403
    assert client.post("/targets/report/", {"target": ROBOTS, "year": "2025", "city_code": "", "kind": "actual",
                                            "value": "9000"}).status_code == 403
    assert not ReportedFigure.objects.exists()


def post(client, **fields):
    data = {"target": ROBOTS, "year": "2025", "city_code": "", "kind": "actual", "value": "9000", "note": ""}
    data.update(fields)
    return client.post("/targets/report/", data)


def test_province_reports_a_figure_and_changes_it_each_step_audited():
    province = user_of(Role.PROVINCE)
    client = logged_in(province)
    response = post(client, note="省经信厅统计")
    assert response.status_code == 302 and response["Location"] == f"/targets/{ROBOTS}/"
    figure = ReportedFigure.objects.get()
    assert (figure.value, figure.note, figure.reported_by) == (D(9000), "省经信厅统计", province)
    post(client, value="9,500", note="更正")
    figure.refresh_from_db()
    assert figure.value == D(9500) and ReportedFigure.objects.count() == 1
    records = list(AuditEvent.objects.filter(target_type="reportedfigure").order_by("id"))
    assert [r.action for r in records] == ["targets.figure_report", "targets.figure_change"]
    assert records[0].summary == "填报全省2025年“每年推广应用工业机器人”完成数：9000台"
    assert records[1].before == {"value": "9000.00", "note": "省经信厅统计"}
    assert records[1].after == {"value": "9500.00", "note": "更正"}
    assert all(r.actor == province for r in records)
    page = client.get(f"/targets/{ROBOTS}/").content.decode()
    assert "修改全省2025年“每年推广应用工业机器人”完成数：9500台" in page  # the figure's history on its page


@pytest.mark.parametrize(("fields", "message"), [
    ({"value": ""}, "数值：不能为空"),
    ({"value": "-5"}, "数值应为不小于0的数字"),
    ({"value": "abc"}, "数值应为不小于0的数字"),
    ({"value": "12.5"}, "数值应为整数（单位：台）"),
    ({"year": "2021"}, "年度应在 2022 至 2026 年之间"),
    ({"year": "20x5"}, "年度应为四位年份"),
    ({"target": "targets.provincial_srdi.yearly"}, "“每年遴选省专精特新企业”的完成数由系统按认定记录统计，不能填报"),
    ({"kind": "allocation", "city_code": ""}, "分解目标应选择一个市"),
    ({"note": "很" * 301}, "说明"),
])
def test_bad_input_is_refused_beside_its_field_and_nothing_is_stored(fields, message):
    response = post(logged_in(user_of(Role.PROVINCE)), **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportedFigure.objects.exists() and not AuditEvent.objects.filter(target_type="reportedfigure")


def test_a_figure_unchanged_by_a_bad_correction():
    client = logged_in(user_of(Role.PROVINCE))
    post(client)
    post(client, value="9.5.1")
    assert ReportedFigure.objects.get().value == D(9000)
    assert AuditEvent.objects.filter(target_type="reportedfigure").count() == 1


def test_a_city_reports_its_own_city_only_and_no_shares():
    client = logged_in(city_user(HEFEI))
    assert post(client, city_code=HEFEI).status_code == 302
    response = post(client, city_code=WUHU, value="1")
    assert "选择一个有效的选项" in response.content.decode()  # 芜湖 is not among its choices
    response = post(client, city_code=HEFEI, kind="allocation", value="1")
    assert response.status_code == 200
    assert list(ReportedFigure.objects.values_list("city_code", "kind", "value")) == [(HEFEI, "actual", D(9000))]


def test_a_special_credit_figure_keeps_its_decimals():
    client = logged_in(user_of(Role.PROVINCE))
    assert post(client, target="targets.special_credit.yearly", value="4210.55").status_code == 302
    assert ReportedFigure.objects.get().value == D("4210.55")
    assert post(client, target="targets.special_credit.yearly", value="4210.555").status_code == 200


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
                         ).active


def test_export_lists_every_target_by_year_with_its_figures():
    ReportedFigure.objects.create(target=ROBOTS, year=2025, value=D(12100), note="=HYPERLINK(1)")
    sheet = _sheet(logged_in(user_of(Role.PROVINCE)).get("/targets/export.xlsx"))
    assert sheet["A1"].value == "倍增行动方案目标完成情况（全省）"
    assert [c.value for c in sheet[3]][:6] == ["条款", "目标", "方案用语", "口径", "单位", "年度"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert len(rows) == 23 * 5  # every target, 2022–2026
    robots = next(r for r in rows if r[1] == "每年推广应用工业机器人" and r[5] == 2025)
    assert robots[6:12] == [8000, 12100, "填报", 151.3, "已完成", "=HYPERLINK(1)"]
    unreported = next(r for r in rows if r[1] == "每年推广应用工业机器人" and r[5] == 2024)
    assert unreported[7] is None and unreported[10] == "未填报"  # empty, never 0


def test_city_export_ranks_the_cities_for_the_year():
    ReportedFigure.objects.create(target=ROBOTS, year=2025, city_code=WUHU, value=D(900))
    ReportedFigure.objects.create(target=ROBOTS, year=2025, city_code=HEFEI, value=D(3000))
    sheet = _sheet(logged_in(user_of(Role.PROVINCE)).get("/targets/cities.xlsx?year=2025"))
    assert sheet["A1"].value == "2025年各市目标完成情况及排名"
    robots = [[c.value for c in row] for row in sheet.iter_rows(min_row=4) if row[1].value == "每年推广应用工业机器人"]
    assert [r[3:6] for r in robots[:2]] == [[1, "合肥市", 3000], [2, "芜湖市", 900]]
    assert len(robots) == 16


def test_a_county_account_reads_its_city_but_does_not_report_for_it():
    client = logged_in(city_user(HEFEI, county_code="340104"))
    assert client.get("/targets/?city=340100").status_code == 200
    assert "填报完成数" not in client.get("/targets/").content.decode()
    assert client.get("/targets/report/").status_code == 403
    assert post(client, city_code=HEFEI).status_code == 403
    assert not ReportedFigure.objects.exists()

