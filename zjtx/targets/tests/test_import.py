"""A year's figures from a file: every row checked as the form checks it, all stored or none."""

from __future__ import annotations

import re
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.factories import city_user, logged_in, make_user
from zjtx.accounts.roles import Role
from zjtx.core.models import AuditEvent
from zjtx.targets.models import ReportedFigure

pytestmark = pytest.mark.django_db

HEADER = ["目标", "年度", "地区", "类型", "数值", "说明"]


def xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("2025年目标完成数.xlsx", out.getvalue())


def upload(client, file):
    return client.post("/targets/import/", {"file": file})


def test_province_imports_a_years_figures_each_audited():
    client = logged_in(make_user(Role.PROVINCE))
    response = upload(client, xlsx([
        ["每年推广应用工业机器人", 2025, "全省", "完成数", 12100, "省统计局"],
        ["每年推广应用工业机器人", 2025, "合肥", "", 3262, ""],
        ["targets.industrial_robots.yearly", 2025, "合肥市", "分解目标", 2134, ""],
        [None, None, None, None, None, None],  # a blank line is skipped
        ["合作银行每年安排专项信贷资金", 2025, "全省", "完成数", 5160.3, ""],
    ]))
    assert response.status_code == 302
    stored = set(ReportedFigure.objects.values_list("target", "city_code", "kind", "value"))
    assert stored == {("targets.industrial_robots.yearly", "", "actual", D(12100)),
                      ("targets.industrial_robots.yearly", "340100", "actual", D(3262)),
                      ("targets.industrial_robots.yearly", "340100", "allocation", D(2134)),
                      ("targets.special_credit.yearly", "", "actual", D("5160.3"))}
    summaries = list(AuditEvent.objects.filter(target_type="reportedfigure").values_list("summary", flat=True))
    assert len(summaries) == 4
    assert "填报合肥市2025年“每年推广应用工业机器人”完成数：3262台（导入《2025年目标完成数.xlsx》）" in summaries


def test_a_file_with_bad_rows_stores_nothing_and_names_each_row_and_column():
    ReportedFigure.objects.create(target="targets.industrial_robots.yearly", year=2025, value=D(9000))
    client = logged_in(make_user(Role.PROVINCE))
    response = upload(client, xlsx([
        ["每年推广应用工业机器人", 2025, "全省", "完成数", 12100, ""],         # row 2: fine
        ["每年推广应用工业机器人", 2025, "南京", "完成数", 10, ""],           # row 3
        ["每年推广机器人", 2025, "全省", "完成数", 10, ""],                   # row 4
        ["每年推广应用工业机器人", 2019, "合肥", "完成数", 10, ""],           # row 5
        ["每年推广应用工业机器人", 2025, "芜湖", "完成数", -1, ""],           # row 6
        ["每年遴选省专精特新企业", 2025, "全省", "完成数", 500, ""],           # row 7
        ["每年推广应用工业机器人", 2025, "全省", "完成数", 12000, ""],         # row 8: again row 2
    ]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "有 6 处错误，未导入任何数据" in page
    errors = [(r[0], r[1], r[3]) for r in _error_rows(page)]
    assert errors == [
        ("3", "地区", "地区应为全省或16个市之一"),
        ("4", "目标", "不是方案中的目标，请按目标总览中的名称填写"),
        ("5", "年度", "年度应在 2022 至 2026 年之间"),
        ("6", "数值", "数值应为不小于0的数字"),
        ("7", "目标", "“每年遴选省专精特新企业”的完成数由系统按认定记录统计，不能填报"),
        ("8", "目标", "与第2行重复（同一目标、年度、地区、类型）"),
    ]
    assert ReportedFigure.objects.get().value == D(9000)  # the stored figure untouched
    assert not AuditEvent.objects.filter(target_type="reportedfigure").exists()


def test_a_city_imports_its_own_city_only():
    client = logged_in(city_user("340100"))
    response = upload(client, xlsx([["每年推广应用工业机器人", 2025, "芜湖市", "完成数", 959, ""]]))
    assert [(r[0], r[1], r[3]) for r in _error_rows(response.content.decode())] == [
        ("2", "地区", "只能填报本市的完成数")]
    assert upload(client, xlsx([["每年推广应用工业机器人", 2025, "合肥市", "完成数", 3262, ""]])).status_code == 302
    assert list(ReportedFigure.objects.values_list("city_code", flat=True)) == ["340100"]


def test_a_gbk_csv_is_read_and_a_missing_column_named():
    client = logged_in(make_user(Role.PROVINCE))
    text = "目标,年度,地区,数值\n每年评定首台套装备,2025,全省,205\n"
    assert upload(client, SimpleUploadedFile("首台套.csv", text.encode("gbk"))).status_code == 302
    assert ReportedFigure.objects.get().value == D(205)
    response = upload(client, SimpleUploadedFile("缺列.csv", "目标,年度\n每年评定首台套装备,2025\n".encode()))
    assert "数值" in response.content.decode() and ReportedFigure.objects.count() == 1


def test_a_department_may_not_import():
    client = logged_in(make_user(Role.DEPARTMENT, department="sci_tech"))
    assert upload(client, xlsx([["每年推广应用工业机器人", 2025, "全省", "完成数", 1, ""]])).status_code == 403
    assert not ReportedFigure.objects.exists()


def _error_rows(page: str) -> list[list[str]]:
    table = page.split('data-testid="import-errors"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td class=\"num\">(.*?)</tr>", table, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.split(r"</td>", "<td>" + row)][:4]
            for row in rows]
